// The backend's kernels in plain C++ (no Node): the same names and semantics as the
// TypeScript backend in src/backend/js. Arrays are typed by DType and passed as raw pointers;
// the binding has checked sizes and dtypes before any call.
#pragma once

#include <vector>

#include "../common.h"

namespace tensile {

enum class DType { F32 = 0, F64 = 1, I32 = 2, Bool = 3 };

struct Array {
    void* data;
    DType dtype;
    index_t length;
};

using Dims = std::vector<index_t>;

// The op lists, in the order of the names the binding exports; TypeScript maps its op names to
// these indices by name, so the order only has to agree with kUnaryOpNames and kBinaryOpNames.
enum class UnaryOp {
    Neg, Exp, Log, Log1p, Expm1, Sqrt, Rsqrt, Reciprocal, Abs, Sign, Square, Floor, Ceil, Round,
    Sin, Cos, Clip, Relu, Relu6, LeakyRelu, Elu, Selu, Gelu, GeluTanh, Sigmoid, HardSigmoid, Tanh,
    Softplus, Softsign, Silu, Count
};
extern const char* const kUnaryOpNames[];

enum class BinaryOp {
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Equal, NotEqual, Less, LessEqual, Greater,
    GreaterEqual, LogicalAnd, LogicalOr, Count
};
extern const char* const kBinaryOpNames[];

enum class ReduceOp { Sum, Max, Min, Prod };

// Unary ops on float32 / float64, x and out of the same dtype.
void unary(UnaryOp op, const Array& x, const Array& out, double a, double b);
void unary_grad(UnaryOp op, const Array& x, const Array& y, const Array& dy, const Array& out,
                double a, double b);

// a and b of one float dtype; out of that dtype, or bool for comparisons and logical ops.
void binary(BinaryOp op, const Array& a, const Dims& a_strides, const Array& b,
            const Dims& b_strides, const Array& out, const Dims& shape);
// a, b and out of one dtype (any).
void where(const Array& cond, const Dims& c_strides, const Array& a, const Dims& a_strides,
           const Array& b, const Dims& b_strides, const Array& out, const Dims& shape);
void cast(const Array& x, const Array& out);

// src and dst of one dtype (any).
void copy_strided(const Array& src, index_t src_offset, const Dims& src_strides,
                  const Dims& shape, const Array& dst, index_t dst_offset,
                  const Dims& dst_strides);
void gather(const Array& x, const std::int32_t* indices, index_t count, index_t outer,
            index_t axis_len, index_t inner, const Array& out);
void gather_grad(const Array& dy, const std::int32_t* indices, index_t count, index_t outer,
                 index_t axis_len, index_t inner, const Array& out);

// Float inputs only.
void reduce(ReduceOp op, const Array& x, index_t outer, index_t r, index_t inner,
            const Array& out);
void arg_reduce(bool want_max, const Array& x, index_t outer, index_t r, index_t inner,
                std::int32_t* out);
void softmax(const Array& x, index_t outer, index_t r, index_t inner, const Array& out,
             bool log);
void softmax_grad(const Array& y, const Array& dy, index_t outer, index_t r, index_t inner,
                  const Array& out, bool log);

struct MatmulParams {
    index_t batch, m, n, k;
    bool trans_a, trans_b;
    const std::int32_t* a_offsets;  // null: b·m·k
    const std::int32_t* b_offsets;  // null: b·k·n
};
void matmul(const Array& a, const Array& b, const Array& out, const MatmulParams& p);

struct Conv2DParams {
    index_t batch, in_h, in_w, in_c, out_h, out_w, out_c, kh, kw;
    index_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, groups;
};
void conv2d(const Array& x, const Array& w, const Array& out, const Conv2DParams& p);
void conv2d_backprop_input(const Array& dy, const Array& w, const Array& dx,
                           const Conv2DParams& p);
void conv2d_backprop_filter(const Array& x, const Array& dy, const Array& dw,
                            const Conv2DParams& p);

struct Pool2DParams {
    index_t batch, in_h, in_w, channels, out_h, out_w, kh, kw, stride_h, stride_w, pad_top,
        pad_left;
};
void max_pool2d(const Array& x, const Array& out, const Pool2DParams& p);
void max_pool2d_grad(const Array& x, const Array& dy, const Array& dx, const Pool2DParams& p);
void avg_pool2d(const Array& x, const Array& out, const Pool2DParams& p);
void avg_pool2d_grad(const Array& dy, const Array& dx, const Pool2DParams& p);

struct ResizeParams {
    index_t batch, in_h, in_w, channels, out_h, out_w;
};
void resize_bilinear(const Array& x, const Array& out, const ResizeParams& p);
void resize_bilinear_grad(const Array& dy, const Array& dx, const ResizeParams& p);

struct AdamParams {
    double lr, beta1, beta2, epsilon, step, weight_decay;
};
void adam_update(const Array& p, const Array& g, const Array& m, const Array& v,
                 const Array* v_max, const AdamParams& h);
struct SgdParams {
    double lr, momentum;
    bool nesterov;
};
void sgd_update(const Array& p, const Array& g, const Array* velocity, const SgdParams& h);

}  // namespace tensile
