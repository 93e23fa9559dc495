// Unary ops and their gradients, float32 and float64. Each op gets its own loop so the compiler
// can vectorize the simple ones; the formulas follow src/backend/js/unary.ts exactly, NaN
// handling included.
#include <cmath>

#include "dispatch.h"

namespace tensile {

const char* const kUnaryOpNames[] = {
    "neg",  "exp",  "log",       "log1p",   "expm1", "sqrt",     "rsqrt",    "reciprocal",
    "abs",  "sign", "square",    "floor",   "ceil",  "round",    "sin",      "cos",
    "clip", "relu", "relu6",     "leakyRelu", "elu", "selu",     "gelu",     "geluTanh",
    "sigmoid", "hardSigmoid", "tanh", "softplus", "softsign", "silu", nullptr,
};

namespace {

constexpr double kSeluAlpha = 1.6732632423543772;
constexpr double kSeluScale = 1.0507009873554805;
constexpr double kSqrtHalf = 0.7071067811865476;
constexpr double kInvSqrt2Pi = 0.3989422804014327;
constexpr double kGeluC = 0.7978845608028654;  // √(2/π)
constexpr double kGeluK = 0.044715;

template <class T>
T sigmoid(T x) {
    if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
    const T e = std::exp(x);
    return e / (T(1) + e);
}

template <class T, class F>
void map(const T* x, T* out, index_t n, index_t grain, F f) {
    parallel_vectorized(n, grain, [&](index_t begin, index_t end) __attribute__((always_inline)) {
        for (index_t i = begin; i < end; ++i) out[i] = f(x[i]);
    });
}

template <class T, class G>
void map_grad(const T* x, const T* y, const T* dy, T* out, index_t n, index_t grain, G g) {
    parallel_vectorized(n, grain, [&](index_t begin, index_t end) __attribute__((always_inline)) {
        for (index_t i = begin; i < end; ++i) out[i] = dy[i] * g(x[i], y[i]);
    });
}

template <class T>
void unary_typed(UnaryOp op, const T* x, T* out, index_t n, T a, T b) {
    const index_t cheap = kCheapGrain, costly = kCostlyGrain;
    switch (op) {
        case UnaryOp::Neg: return map(x, out, n, cheap, [](T v) { return -v; });
        case UnaryOp::Exp: return map(x, out, n, costly, [](T v) { return std::exp(v); });
        case UnaryOp::Log: return map(x, out, n, costly, [](T v) { return std::log(v); });
        case UnaryOp::Log1p: return map(x, out, n, costly, [](T v) { return std::log1p(v); });
        case UnaryOp::Expm1: return map(x, out, n, costly, [](T v) { return std::expm1(v); });
        case UnaryOp::Sqrt: return map(x, out, n, cheap, [](T v) { return std::sqrt(v); });
        case UnaryOp::Rsqrt: return map(x, out, n, cheap, [](T v) { return T(1) / std::sqrt(v); });
        case UnaryOp::Reciprocal: return map(x, out, n, cheap, [](T v) { return T(1) / v; });
        case UnaryOp::Abs: return map(x, out, n, cheap, [](T v) { return std::fabs(v); });
        case UnaryOp::Sign:
            return map(x, out, n, cheap, [](T v) { return v > 0 ? T(1) : v < 0 ? T(-1) : v; });
        case UnaryOp::Square: return map(x, out, n, cheap, [](T v) { return v * v; });
        case UnaryOp::Floor: return map(x, out, n, cheap, [](T v) { return std::floor(v); });
        case UnaryOp::Ceil: return map(x, out, n, cheap, [](T v) { return std::ceil(v); });
        // nearbyint in the default rounding mode rounds half to even, as NumPy does.
        case UnaryOp::Round: return map(x, out, n, cheap, [](T v) { return std::nearbyint(v); });
        case UnaryOp::Sin: return map(x, out, n, costly, [](T v) { return std::sin(v); });
        case UnaryOp::Cos: return map(x, out, n, costly, [](T v) { return std::cos(v); });
        case UnaryOp::Clip:
            return map(x, out, n, cheap, [a, b](T v) { return v < a ? a : v > b ? b : v; });
        case UnaryOp::Relu:
            return map(x, out, n, cheap, [](T v) { return v > 0 ? v : v == v ? T(0) : v; });
        case UnaryOp::Relu6:
            return map(x, out, n, cheap,
                       [](T v) { return v > 6 ? T(6) : v > 0 ? v : v == v ? T(0) : v; });
        case UnaryOp::LeakyRelu:
            return map(x, out, n, cheap, [a](T v) { return v > 0 ? v : v * a; });
        case UnaryOp::Elu:
            return map(x, out, n, costly, [a](T v) { return v > 0 ? v : a * std::expm1(v); });
        case UnaryOp::Selu:
            return map(x, out, n, costly, [](T v) {
                return v > 0 ? T(kSeluScale) * v : T(kSeluScale * kSeluAlpha) * std::expm1(v);
            });
        case UnaryOp::Gelu:
            return map(x, out, n, costly,
                       [](T v) { return T(0.5) * v * std::erfc(-v * T(kSqrtHalf)); });
        case UnaryOp::GeluTanh:
            return map(x, out, n, costly, [](T v) {
                return T(0.5) * v * (T(1) + std::tanh(T(kGeluC) * (v + T(kGeluK) * v * v * v)));
            });
        case UnaryOp::Sigmoid: return map(x, out, n, costly, [](T v) { return sigmoid(v); });
        case UnaryOp::HardSigmoid:
            return map(x, out, n, cheap, [](T v) {
                const T r = v / T(6) + T(0.5);
                return r < 0 ? T(0) : r > 1 ? T(1) : r;
            });
        case UnaryOp::Tanh: return map(x, out, n, costly, [](T v) { return std::tanh(v); });
        case UnaryOp::Softplus:
            return map(x, out, n, costly, [](T v) {
                return (v > 0 || v != v ? v : T(0)) + std::log1p(std::exp(-std::fabs(v)));
            });
        case UnaryOp::Softsign:
            return map(x, out, n, cheap, [](T v) { return v / (T(1) + std::fabs(v)); });
        case UnaryOp::Silu: return map(x, out, n, costly, [](T v) { return v * sigmoid(v); });
        case UnaryOp::Count: break;
    }
    throw KernelError{"internal error, please report: unknown unary op"};
}

template <class T>
void unary_grad_typed(UnaryOp op, const T* x, const T* y, const T* dy, T* out, index_t n, T a,
                      T b) {
    const index_t cheap = kCheapGrain, costly = kCostlyGrain;
    auto zero = [](T, T) { return T(0); };
    switch (op) {
        case UnaryOp::Neg: return map_grad(x, y, dy, out, n, cheap, [](T, T) { return T(-1); });
        case UnaryOp::Exp: return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return v; });
        case UnaryOp::Log: return map_grad(x, y, dy, out, n, cheap, [](T u, T) { return 1 / u; });
        case UnaryOp::Log1p:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T) { return 1 / (1 + u); });
        case UnaryOp::Expm1:
            return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return v + 1; });
        case UnaryOp::Sqrt:
            return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return T(0.5) / v; });
        case UnaryOp::Rsqrt:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T v) { return T(-0.5) * v / u; });
        case UnaryOp::Reciprocal:
            return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return -v * v; });
        // sign(x): 0 at the kink, NaN for NaN.
        case UnaryOp::Abs:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T) {
                return u > 0 ? T(1) : u < 0 ? T(-1) : u == u ? T(0) : u;
            });
        case UnaryOp::Square:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T) { return 2 * u; });
        case UnaryOp::Sign:
        case UnaryOp::Floor:
        case UnaryOp::Ceil:
        case UnaryOp::Round: return map_grad(x, y, dy, out, n, cheap, zero);
        case UnaryOp::Sin:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) { return std::cos(u); });
        case UnaryOp::Cos:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) { return -std::sin(u); });
        case UnaryOp::Clip:
            return map_grad(x, y, dy, out, n, cheap,
                            [a, b](T u, T) { return u >= a && u <= b ? T(1) : T(0); });
        case UnaryOp::Relu:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T) { return u > 0 ? T(1) : T(0); });
        case UnaryOp::Relu6:
            return map_grad(x, y, dy, out, n, cheap,
                            [](T u, T) { return u > 0 && u < 6 ? T(1) : T(0); });
        case UnaryOp::LeakyRelu:
            return map_grad(x, y, dy, out, n, cheap, [a](T u, T) { return u > 0 ? T(1) : a; });
        case UnaryOp::Elu:
            return map_grad(x, y, dy, out, n, cheap,
                            [a](T u, T v) { return u > 0 ? T(1) : v + a; });
        case UnaryOp::Selu:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T v) {
                return u > 0 ? T(kSeluScale) : v + T(kSeluScale * kSeluAlpha);
            });
        case UnaryOp::Gelu:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) {
                return T(0.5) * std::erfc(-u * T(kSqrtHalf)) +
                       u * T(kInvSqrt2Pi) * std::exp(T(-0.5) * u * u);
            });
        case UnaryOp::GeluTanh:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) {
                const T t = std::tanh(T(kGeluC) * (u + T(kGeluK) * u * u * u));
                const T du = T(kGeluC) * (1 + 3 * T(kGeluK) * u * u);
                return T(0.5) * (1 + t) + T(0.5) * u * (1 - t * t) * du;
            });
        case UnaryOp::Sigmoid:
            return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return v * (1 - v); });
        case UnaryOp::HardSigmoid:
            return map_grad(x, y, dy, out, n, cheap,
                            [](T u, T) { return u > -3 && u < 3 ? T(1) / T(6) : T(0); });
        case UnaryOp::Tanh:
            return map_grad(x, y, dy, out, n, cheap, [](T, T v) { return 1 - v * v; });
        case UnaryOp::Softplus:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) { return sigmoid(u); });
        case UnaryOp::Softsign:
            return map_grad(x, y, dy, out, n, cheap, [](T u, T) {
                const T d = 1 + std::fabs(u);
                return 1 / (d * d);
            });
        case UnaryOp::Silu:
            return map_grad(x, y, dy, out, n, costly, [](T u, T) {
                const T s = sigmoid(u);
                return s * (1 + u * (1 - s));
            });
        case UnaryOp::Count: break;
    }
    throw KernelError{"internal error, please report: unknown unary op"};
}

}  // namespace

void unary(UnaryOp op, const Array& x, const Array& out, double a, double b) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        unary_typed<T>(op, as<T>(x), as<T>(out), x.length, T(a), T(b));
    });
}

void unary_grad(UnaryOp op, const Array& x, const Array& y, const Array& dy, const Array& out,
                double a, double b) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        unary_grad_typed<T>(op, as<T>(x), as<T>(y), as<T>(dy), as<T>(out), x.length, T(a), T(b));
    });
}

}  // namespace tensile
