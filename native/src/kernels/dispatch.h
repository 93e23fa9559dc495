// Helpers shared by the kernel files: dtype dispatch and parallel element loops.
#pragma once

#include "../cpu.h"
#include "../thread_pool.h"
#include "kernels.h"

namespace tensile {

// Calls f(T{}) with T the C++ type of a float dtype.
template <class F>
void dispatch_float(DType dtype, F&& f) {
    if (dtype == DType::F32) {
        f(float{});
    } else if (dtype == DType::F64) {
        f(double{});
    } else {
        throw KernelError{"internal error, please report: a float kernel got a non-float array"};
    }
}

// Calls f(T{}) with T an unsigned type of the dtype's element size: for kernels that only move
// elements (copies, gathers, where).
template <class F>
void dispatch_bytes(DType dtype, F&& f) {
    switch (dtype) {
        case DType::F64: f(std::uint64_t{}); break;
        case DType::F32:
        case DType::I32: f(std::uint32_t{}); break;
        case DType::Bool: f(std::uint8_t{}); break;
    }
}

template <class T>
T* as(const Array& a) {
    return static_cast<T*>(a.data);
}

// Runs body(begin, end) compiled for the best instruction set of this CPU. The body is a lambda
// inlined into one of three copies of `run_for`, each compiled with its own target attribute,
// so the simple loops inside (elementwise ops, optimizer steps) vectorize with AVX-512 or AVX2
// where available, and nothing above SSE2 runs on a CPU that lacks it. Everything stays in this
// file's instantiations: no out-of-line function is shared between the copies.
#if defined(TENSILE_X86) && defined(__GNUC__)
template <class Body>
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"))) void run_avx512(
    const Body& body, index_t begin, index_t end) {
    body(begin, end);
}
template <class Body>
__attribute__((target("avx2,fma"))) void run_avx2(const Body& body, index_t begin, index_t end) {
    body(begin, end);
}
#endif

template <class Body>
void run_vectorized(const Body& body, index_t begin, index_t end) {
#if defined(TENSILE_X86) && defined(__GNUC__)
    static const Isa isa = best_isa();
    if (isa == Isa::Avx512) return run_avx512(body, begin, end);
    if (isa == Isa::Avx2) return run_avx2(body, begin, end);
#endif
    body(begin, end);
}

// parallel_for whose chunks run through run_vectorized.
template <class Body>
void parallel_vectorized(index_t n, index_t grain, const Body& body) {
    parallel_for(n, grain, [&](index_t begin, index_t end) { run_vectorized(body, begin, end); });
}

// Elements per task below which an elementwise loop stays on the calling thread.
constexpr index_t kCheapGrain = index_t{1} << 15;
constexpr index_t kCostlyGrain = index_t{1} << 12;

}  // namespace tensile
