// GEMM micro-kernels for AVX-512F. Built with -mavx512f -mfma; only called after gemm.cpp has
// checked that the CPU supports AVX-512F.
#include <immintrin.h>

#include "gemm_impl.h"

namespace tensile {
namespace {

#include "gemm_driver.h"

// float32: a 14×32 tile of C lives in 28 zmm registers; each step of k loads two vectors of B
// and multiplies them by 14 values of A broadcast straight from memory (embedded broadcast),
// so 30 of the 32 registers are in use and the two FMA ports never wait for a load.
struct Avx512F32 {
    using T = float;
    static constexpr int MR = 14, NR = 32;
    static constexpr index_t KC = 384, MC = 14 * 150, NC = 512;

    template <bool UnitRow>
    static void kernel(index_t kc, const float* a, index_t step, const float* b, float* c,
                       index_t ldc, bool acc) {
        __m512 c0[MR], c1[MR];
#pragma GCC unroll 14
        for (int r = 0; r < MR; ++r) {
            c0[r] = _mm512_setzero_ps();
            c1[r] = _mm512_setzero_ps();
            _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 16), _MM_HINT_T0);
        }
#pragma GCC unroll 2
        for (index_t l = 0; l < kc; ++l) {
            const __m512 b0 = _mm512_load_ps(b);
            const __m512 b1 = _mm512_load_ps(b + 16);
            _mm_prefetch(reinterpret_cast<const char*>(b + 8 * NR), _MM_HINT_T0);
#pragma GCC unroll 14
            for (int r = 0; r < MR; ++r) {
                const __m512 ar = _mm512_set1_ps(UnitRow ? a[r] : a[r * step]);
                c0[r] = _mm512_fmadd_ps(ar, b0, c0[r]);
                c1[r] = _mm512_fmadd_ps(ar, b1, c1[r]);
            }
            a += UnitRow ? step : 1;
            b += NR;
        }
#pragma GCC unroll 14
        for (int r = 0; r < MR; ++r) {
            float* row = c + r * ldc;
            if (acc) {
                c0[r] = _mm512_add_ps(c0[r], _mm512_loadu_ps(row));
                c1[r] = _mm512_add_ps(c1[r], _mm512_loadu_ps(row + 16));
            }
            _mm512_storeu_ps(row, c0[r]);
            _mm512_storeu_ps(row + 16, c1[r]);
        }
    }
};

// float64: the same shape with 8 lanes per vector, a 14×16 tile.
struct Avx512F64 {
    using T = double;
    static constexpr int MR = 14, NR = 16;
    static constexpr index_t KC = 256, MC = 14 * 100, NC = 384;

    template <bool UnitRow>
    static void kernel(index_t kc, const double* a, index_t step, const double* b, double* c,
                       index_t ldc, bool acc) {
        __m512d c0[MR], c1[MR];
#pragma GCC unroll 14
        for (int r = 0; r < MR; ++r) {
            c0[r] = _mm512_setzero_pd();
            c1[r] = _mm512_setzero_pd();
            _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
            _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 8), _MM_HINT_T0);
        }
#pragma GCC unroll 2
        for (index_t l = 0; l < kc; ++l) {
            const __m512d b0 = _mm512_load_pd(b);
            const __m512d b1 = _mm512_load_pd(b + 8);
            _mm_prefetch(reinterpret_cast<const char*>(b + 8 * NR), _MM_HINT_T0);
#pragma GCC unroll 14
            for (int r = 0; r < MR; ++r) {
                const __m512d ar = _mm512_set1_pd(UnitRow ? a[r] : a[r * step]);
                c0[r] = _mm512_fmadd_pd(ar, b0, c0[r]);
                c1[r] = _mm512_fmadd_pd(ar, b1, c1[r]);
            }
            a += UnitRow ? step : 1;
            b += NR;
        }
#pragma GCC unroll 14
        for (int r = 0; r < MR; ++r) {
            double* row = c + r * ldc;
            if (acc) {
                c0[r] = _mm512_add_pd(c0[r], _mm512_loadu_pd(row));
                c1[r] = _mm512_add_pd(c1[r], _mm512_loadu_pd(row + 8));
            }
            _mm512_storeu_pd(row, c0[r]);
            _mm512_storeu_pd(row + 8, c1[r]);
        }
    }
};

void sgemm(const GemmArgs<float>& g, float* ws) { gemm_blocked<Avx512F32>(g, ws); }
void dgemm(const GemmArgs<double>& g, double* ws) { gemm_blocked<Avx512F64>(g, ws); }

}  // namespace

const GemmKernelSet& gemm_kernels_avx512() {
    static const GemmKernelSet set = {
        "avx512",
        sgemm,
        dgemm,
        gemm_workspace_elements<Avx512F32>(),
        gemm_workspace_elements<Avx512F64>(),
        Avx512F32::MR,
        Avx512F32::NR,
        Avx512F64::MR,
        Avx512F64::NR,
    };
    return set;
}

}  // namespace tensile
