// Portable GEMM micro-kernels in plain C++, written so the compiler vectorizes the NR loop with
// whatever the baseline target has (SSE2 on x86-64, NEON on arm64).
#include "gemm_impl.h"

namespace tensile {
namespace {

#include "gemm_driver.h"

template <class Scalar, int R, int C>
struct Generic {
    using T = Scalar;
    static constexpr int MR = R, NR = C;
    static constexpr index_t KC = 256, MC = R * 128, NC = 256;

    template <bool UnitRow>
    static void kernel(index_t kc, const T* a, index_t step, const T* b, T* c, index_t ldc,
                       bool acc) {
        T t[MR][NR] = {};
        for (index_t l = 0; l < kc; ++l) {
            for (int r = 0; r < MR; ++r) {
                const T ar = UnitRow ? a[r] : a[r * step];
                for (int j = 0; j < NR; ++j) t[r][j] += ar * b[j];
            }
            a += UnitRow ? step : 1;
            b += NR;
        }
        for (int r = 0; r < MR; ++r) {
            T* row = c + r * ldc;
            for (int j = 0; j < NR; ++j) row[j] = acc ? row[j] + t[r][j] : t[r][j];
        }
    }
};

using GenericF32 = Generic<float, 4, 8>;
using GenericF64 = Generic<double, 4, 4>;

void sgemm(const GemmArgs<float>& g, float* ws) { gemm_blocked<GenericF32>(g, ws); }
void dgemm(const GemmArgs<double>& g, double* ws) { gemm_blocked<GenericF64>(g, ws); }

}  // namespace

const GemmKernelSet& gemm_kernels_generic() {
    static const GemmKernelSet set = {
        "generic",
        sgemm,
        dgemm,
        gemm_workspace_elements<GenericF32>(),
        gemm_workspace_elements<GenericF64>(),
        GenericF32::MR,
        GenericF32::NR,
        GenericF64::MR,
        GenericF64::NR,
    };
    return set;
}

}  // namespace tensile
