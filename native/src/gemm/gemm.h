// General matrix multiply: C = op(A)·op(B) (+ C), float32 and float64, in the manner of
// GotoBLAS / BLIS: operands are packed into cache-sized panels and a register-blocked
// micro-kernel, one per instruction set, computes MR×NR tiles of C.
#pragma once

#include "../common.h"

namespace tensile {

// Element (i, l) of op(A) is a[i·ars + l·acs]; element (l, j) of op(B) is b[l·brs + j·bcs];
// element (i, j) of C is c[i·ldc + j]. Transposes are strides, handled while packing.
template <class T>
struct GemmArgs {
    index_t m, n, k;
    const T* a;
    index_t ars, acs;
    const T* b;
    index_t brs, bcs;
    T* c;
    index_t ldc;
    bool accumulate;  // C += op(A)·op(B) instead of C = op(A)·op(B)
};

// Multi-threaded over the process-wide pool; small products run on the calling thread.
void gemm(const GemmArgs<float>& g);
void gemm(const GemmArgs<double>& g);

// On the calling thread only, for callers that already run in parallel (batched products).
void gemm_serial(const GemmArgs<float>& g);
void gemm_serial(const GemmArgs<double>& g);

// The instruction set the GEMM micro-kernels use ("avx512", "avx2" or "generic").
const char* gemm_isa_name();

}  // namespace tensile
