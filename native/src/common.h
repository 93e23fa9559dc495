// Shared definitions for the native kernels. Everything here is plain C++17 with no Node
// dependency, so the kernels can be built and tested (with sanitizers) without Node.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tensile {

// Element counts and strides. Signed, because broadcast and transposed strides are arithmetic.
using index_t = std::int64_t;

// Thrown by kernels for conditions the TypeScript validation should already have excluded; the
// binding turns it into a JS exception instead of letting the process abort.
struct KernelError {
    const char* message;
};

}  // namespace tensile
