// Batched matmul on top of the GEMM (see MatmulParams in src/backend/backend.ts).
#include "../gemm/gemm.h"
#include "dispatch.h"

namespace tensile {

namespace {

// Below this many multiply-adds per product, a batch runs one product per task instead of
// threading inside each product.
constexpr index_t kSmallProduct = index_t{1} << 18;

template <class T>
void matmul_typed(const T* a, const T* b, T* out, const MatmulParams& p) {
    const index_t ars = p.trans_a ? 1 : p.k, acs = p.trans_a ? p.m : 1;
    const index_t brs = p.trans_b ? 1 : p.n, bcs = p.trans_b ? p.k : 1;
    auto args = [&](index_t bt) {
        const index_t ao = p.a_offsets == nullptr ? bt * p.m * p.k : p.a_offsets[bt];
        const index_t bo = p.b_offsets == nullptr ? bt * p.k * p.n : p.b_offsets[bt];
        return GemmArgs<T>{p.m, p.n, p.k, a + ao, ars, acs, b + bo, brs, bcs,
                           out + bt * p.m * p.n, p.n, false};
    };
    if (p.m == 0 || p.n == 0) return;
    if (p.batch > 1 && p.m * p.n * p.k < kSmallProduct) {
        const index_t grain =
            std::max<index_t>(1, kSmallProduct / std::max<index_t>(1, p.m * p.n * p.k));
        parallel_for(p.batch, grain, [&](index_t begin, index_t end) {
            for (index_t bt = begin; bt < end; ++bt) gemm_serial(args(bt));
        });
        return;
    }
    for (index_t bt = 0; bt < p.batch; ++bt) gemm(args(bt));
}

}  // namespace

void matmul(const Array& a, const Array& b, const Array& out, const MatmulParams& p) {
    dispatch_float(a.dtype, [&](auto zero) {
        using T = decltype(zero);
        matmul_typed<T>(as<T>(a), as<T>(b), as<T>(out), p);
    });
}

}  // namespace tensile
