// Binary ops with broadcasting, where, and cast. Formulas follow src/backend/js/binary.ts.
#include <cmath>

#include "strided.h"

namespace tensile {

const char* const kBinaryOpNames[] = {
    "add",  "sub",      "mul",  "div",      "pow",     "maximum",      "minimum",    "equal",
    "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", nullptr,
};

namespace {

template <class T, class O, class F>
void run_binary(const T* a, const T* b, O* out, const StridedShape<3>& s, F f) {
    parallel_rows<3>(s, {0, 0, 0}, kCheapGrain, [&](const std::array<index_t, 3>& off,
                                                    index_t len, const std::array<index_t, 3>& st) {
        const T* pa = a + off[0];
        const T* pb = b + off[1];
        O* po = out + off[2];
        // The three common layouts get loops the compiler can vectorize.
        run_vectorized([&](index_t, index_t) __attribute__((always_inline)) {
            if (st[0] == 1 && st[1] == 1) {
                for (index_t i = 0; i < len; ++i) po[i] = f(pa[i], pb[i]);
            } else if (st[0] == 1 && st[1] == 0) {
                const T y = *pb;
                for (index_t i = 0; i < len; ++i) po[i] = f(pa[i], y);
            } else if (st[0] == 0 && st[1] == 1) {
                const T x = *pa;
                for (index_t i = 0; i < len; ++i) po[i] = f(x, pb[i]);
            } else {
                for (index_t i = 0; i < len; ++i) po[i] = f(pa[i * st[0]], pb[i * st[1]]);
            }
        }, 0, len);
    });
}

template <class T>
void binary_typed(BinaryOp op, const T* a, const T* b, void* out, const StridedShape<3>& s) {
    T* o = static_cast<T*>(out);
    std::uint8_t* q = static_cast<std::uint8_t*>(out);
    using B = std::uint8_t;
    switch (op) {
        case BinaryOp::Add: return run_binary(a, b, o, s, [](T x, T y) { return x + y; });
        case BinaryOp::Sub: return run_binary(a, b, o, s, [](T x, T y) { return x - y; });
        case BinaryOp::Mul: return run_binary(a, b, o, s, [](T x, T y) { return x * y; });
        case BinaryOp::Div: return run_binary(a, b, o, s, [](T x, T y) { return x / y; });
        // In double, as Math.pow, so float32 results round the same way.
        case BinaryOp::Pow:
            return run_binary(a, b, o, s, [](T x, T y) {
                return static_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(y)));
            });
        case BinaryOp::Maximum:
            return run_binary(a, b, o, s, [](T x, T y) { return x > y || x != x ? x : y; });
        case BinaryOp::Minimum:
            return run_binary(a, b, o, s, [](T x, T y) { return x < y || x != x ? x : y; });
        case BinaryOp::Equal: return run_binary(a, b, q, s, [](T x, T y) { return B(x == y); });
        case BinaryOp::NotEqual:
            return run_binary(a, b, q, s, [](T x, T y) { return B(x != y); });
        case BinaryOp::Less: return run_binary(a, b, q, s, [](T x, T y) { return B(x < y); });
        case BinaryOp::LessEqual:
            return run_binary(a, b, q, s, [](T x, T y) { return B(x <= y); });
        case BinaryOp::Greater: return run_binary(a, b, q, s, [](T x, T y) { return B(x > y); });
        case BinaryOp::GreaterEqual:
            return run_binary(a, b, q, s, [](T x, T y) { return B(x >= y); });
        case BinaryOp::LogicalAnd:
            return run_binary(a, b, q, s, [](T x, T y) { return B(x != 0 && y != 0); });
        case BinaryOp::LogicalOr:
            return run_binary(a, b, q, s, [](T x, T y) { return B(x != 0 || y != 0); });
        case BinaryOp::Count: break;
    }
    throw KernelError{"internal error, please report: unknown binary op"};
}

Dims contiguous_strides(const Dims& shape) {
    Dims strides(shape.size());
    index_t s = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
        strides[d] = s;
        s *= shape[d];
    }
    return strides;
}

}  // namespace

void binary(BinaryOp op, const Array& a, const Dims& a_strides, const Array& b,
            const Dims& b_strides, const Array& out, const Dims& shape) {
    if (out.length == 0) return;
    const Dims o_strides = contiguous_strides(shape);
    const StridedShape<3> s = collapse<3>(shape, {&a_strides, &b_strides, &o_strides});
    dispatch_float(a.dtype, [&](auto zero) {
        using T = decltype(zero);
        binary_typed<T>(op, as<T>(a), as<T>(b), out.data, s);
    });
}

void where(const Array& cond, const Dims& c_strides, const Array& a, const Dims& a_strides,
           const Array& b, const Dims& b_strides, const Array& out, const Dims& shape) {
    if (out.length == 0) return;
    const Dims o_strides = contiguous_strides(shape);
    const StridedShape<4> s =
        collapse<4>(shape, {&c_strides, &a_strides, &b_strides, &o_strides});
    const std::uint8_t* c = as<std::uint8_t>(cond);
    dispatch_bytes(a.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* pa = as<T>(a);
        const T* pb = as<T>(b);
        T* po = as<T>(out);
        parallel_rows<4>(s, {0, 0, 0, 0}, kCheapGrain,
                         [&](const std::array<index_t, 4>& off, index_t len,
                             const std::array<index_t, 4>& st) {
                             for (index_t i = 0; i < len; ++i) {
                                 po[off[3] + i * st[3]] = c[off[0] + i * st[0]] != 0
                                                              ? pa[off[1] + i * st[1]]
                                                              : pb[off[2] + i * st[2]];
                             }
                         });
    });
}

namespace {

// Float to int32 truncates toward zero; values outside int32 wrap as JavaScript's ToInt32 does
// when it stores into an Int32Array, and NaN and infinities become 0.
template <class F>
std::int32_t to_int32(F v) {
    if (!std::isfinite(v)) return 0;
    const double t = std::trunc(static_cast<double>(v));
    if (t >= -2147483648.0 && t <= 2147483647.0) return static_cast<std::int32_t>(t);
    const double m = std::fmod(t, 4294967296.0);
    const double u = m < 0 ? m + 4294967296.0 : m;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(u));
}

template <class S, class D>
void cast_typed(const S* x, D* out, index_t n) {
    parallel_vectorized(
        n, kCheapGrain, [&](index_t begin, index_t end) __attribute__((always_inline)) {
            for (index_t i = begin; i < end; ++i) {
                if constexpr (std::is_same_v<D, std::uint8_t>) {
                    out[i] = x[i] != 0 ? 1 : 0;
                } else if constexpr (std::is_same_v<D, std::int32_t> &&
                                     std::is_floating_point_v<S>) {
                    out[i] = to_int32(x[i]);
                } else {
                    out[i] = static_cast<D>(x[i]);
                }
            }
        });
}

template <class F>
void dispatch_any(DType dtype, F&& f) {
    switch (dtype) {
        case DType::F32: f(float{}); break;
        case DType::F64: f(double{}); break;
        case DType::I32: f(std::int32_t{}); break;
        case DType::Bool: f(std::uint8_t{}); break;
    }
}

}  // namespace

void cast(const Array& x, const Array& out) {
    dispatch_any(x.dtype, [&](auto xs) {
        dispatch_any(out.dtype, [&](auto os) {
            using S = decltype(xs);
            using D = decltype(os);
            cast_typed<S, D>(as<S>(x), as<D>(out), x.length);
        });
    });
}

}  // namespace tensile
