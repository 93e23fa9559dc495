// GEMM micro-kernels for AVX2 with FMA. Built with -mavx2 -mfma; only called after gemm.cpp has
// checked that the CPU supports both.
#include <immintrin.h>

#include "gemm_impl.h"

namespace tensile {
namespace {

#include "gemm_driver.h"

// float32: a 6×16 tile in 12 ymm registers, two vectors of B and one broadcast of A per row:
// 15 of the 16 registers.
struct Avx2F32 {
    using T = float;
    static constexpr int MR = 6, NR = 16;
    static constexpr index_t KC = 256, MC = 6 * 200, NC = 768;

    template <bool UnitRow>
    static void kernel(index_t kc, const float* a, index_t step, const float* b, float* c,
                       index_t ldc, bool acc) {
        __m256 c0[MR], c1[MR];
#pragma GCC unroll 6
        for (int r = 0; r < MR; ++r) {
            c0[r] = _mm256_setzero_ps();
            c1[r] = _mm256_setzero_ps();
        }
#pragma GCC unroll 4
        for (index_t l = 0; l < kc; ++l) {
            const __m256 b0 = _mm256_load_ps(b);
            const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
            for (int r = 0; r < MR; ++r) {
                const __m256 ar = _mm256_broadcast_ss(UnitRow ? a + r : a + r * step);
                c0[r] = _mm256_fmadd_ps(ar, b0, c0[r]);
                c1[r] = _mm256_fmadd_ps(ar, b1, c1[r]);
            }
            a += UnitRow ? step : 1;
            b += NR;
        }
#pragma GCC unroll 6
        for (int r = 0; r < MR; ++r) {
            float* row = c + r * ldc;
            if (acc) {
                c0[r] = _mm256_add_ps(c0[r], _mm256_loadu_ps(row));
                c1[r] = _mm256_add_ps(c1[r], _mm256_loadu_ps(row + 8));
            }
            _mm256_storeu_ps(row, c0[r]);
            _mm256_storeu_ps(row + 8, c1[r]);
        }
    }
};

struct Avx2F64 {
    using T = double;
    static constexpr int MR = 6, NR = 8;
    static constexpr index_t KC = 256, MC = 6 * 120, NC = 384;

    template <bool UnitRow>
    static void kernel(index_t kc, const double* a, index_t step, const double* b, double* c,
                       index_t ldc, bool acc) {
        __m256d c0[MR], c1[MR];
#pragma GCC unroll 6
        for (int r = 0; r < MR; ++r) {
            c0[r] = _mm256_setzero_pd();
            c1[r] = _mm256_setzero_pd();
        }
#pragma GCC unroll 4
        for (index_t l = 0; l < kc; ++l) {
            const __m256d b0 = _mm256_load_pd(b);
            const __m256d b1 = _mm256_load_pd(b + 4);
#pragma GCC unroll 6
            for (int r = 0; r < MR; ++r) {
                const __m256d ar = _mm256_broadcast_sd(UnitRow ? a + r : a + r * step);
                c0[r] = _mm256_fmadd_pd(ar, b0, c0[r]);
                c1[r] = _mm256_fmadd_pd(ar, b1, c1[r]);
            }
            a += UnitRow ? step : 1;
            b += NR;
        }
#pragma GCC unroll 6
        for (int r = 0; r < MR; ++r) {
            double* row = c + r * ldc;
            if (acc) {
                c0[r] = _mm256_add_pd(c0[r], _mm256_loadu_pd(row));
                c1[r] = _mm256_add_pd(c1[r], _mm256_loadu_pd(row + 4));
            }
            _mm256_storeu_pd(row, c0[r]);
            _mm256_storeu_pd(row + 4, c1[r]);
        }
    }
};

void sgemm(const GemmArgs<float>& g, float* ws) { gemm_blocked<Avx2F32>(g, ws); }
void dgemm(const GemmArgs<double>& g, double* ws) { gemm_blocked<Avx2F64>(g, ws); }

}  // namespace

const GemmKernelSet& gemm_kernels_avx2() {
    static const GemmKernelSet set = {
        "avx2",
        sgemm,
        dgemm,
        gemm_workspace_elements<Avx2F32>(),
        gemm_workspace_elements<Avx2F64>(),
        Avx2F32::MR,
        Avx2F32::NR,
        Avx2F64::MR,
        Avx2F64::NR,
    };
    return set;
}

}  // namespace tensile
