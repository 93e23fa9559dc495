// The per-instruction-set GEMM implementations. Each lives in its own translation unit built
// with its own compiler flags; gemm.cpp picks one at load time from the CPU's features, so no
// instruction the processor lacks is ever executed.
#pragma once

#include "gemm.h"

namespace tensile {

struct GemmKernelSet {
    const char* name;
    // Single-threaded GEMM using `workspace` (at least *_workspace elements, 64-byte aligned).
    void (*sgemm)(const GemmArgs<float>& g, float* workspace);
    void (*dgemm)(const GemmArgs<double>& g, double* workspace);
    index_t s_workspace, d_workspace;
    int s_mr, s_nr, d_mr, d_nr;
};

const GemmKernelSet& gemm_kernels_generic();
#if defined(TENSILE_X86)
const GemmKernelSet& gemm_kernels_avx2();
const GemmKernelSet& gemm_kernels_avx512();
#endif

}  // namespace tensile
