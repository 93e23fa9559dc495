// Helpers shared by the kernel files: dtype dispatch and parallel element loops.
#pragma once

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

// Elements per task below which an elementwise loop stays on the calling thread.
constexpr index_t kCheapGrain = index_t{1} << 15;
constexpr index_t kCostlyGrain = index_t{1} << 12;

}  // namespace tensile
