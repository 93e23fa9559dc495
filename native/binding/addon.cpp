// The Node-API entry points: one function per Backend kernel. Each reads and checks its
// arguments (args.h), then calls the plain C++ kernel on the typed arrays' own memory. Every C++
// exception is turned into a JS exception here; nothing escapes to abort the process.
#include <napi.h>

#include <new>
#include <string>

#include "../src/cpu.h"
#include "../src/gemm/gemm.h"
#include "../src/thread_pool.h"
#include "args.h"

namespace tensile {

namespace {

using Info = Napi::CallbackInfo;

void expect_arity(const Info& info, std::size_t n, const char* name) {
    if (info.Length() < n) {
        throw ArgumentError{std::string(name) + " expects " + std::to_string(n) + " arguments, got " +
                            std::to_string(info.Length())};
    }
}

template <void (*F)(const Info&)>
Napi::Value guarded(const Info& info) {
    Napi::Env env = info.Env();
    try {
        F(info);
        return env.Undefined();
    } catch (const Napi::Error&) {
        throw;
    } catch (const ArgumentError& e) {
        throw Napi::TypeError::New(env, "tensile native: " + e.message);
    } catch (const KernelError& e) {
        throw Napi::Error::New(env, std::string("tensile native: ") + e.message);
    } catch (const std::bad_alloc&) {
        throw Napi::Error::New(env, "tensile native: out of memory");
    } catch (const std::exception& e) {
        throw Napi::Error::New(env, std::string("tensile native: ") + e.what());
    } catch (...) {
        throw Napi::Error::New(env, "tensile native: unknown C++ exception, please report");
    }
}

UnaryOp unary_op(const Info& info, std::size_t i) {
    const index_t op = integer(info, i);
    if (op < 0 || op >= static_cast<index_t>(UnaryOp::Count)) throw ArgumentError{"unknown unary op"};
    return static_cast<UnaryOp>(op);
}

void unary_call(const Info& info) {
    expect_arity(info, 5, "unary");
    const UnaryOp op = unary_op(info, 0);
    const Array x = typed_array(info, 1), out = typed_array(info, 2);
    expect_float(x, "unary x");
    expect_same(x, out, "unary x and out");
    expect_length(out, x.length, "unary out");
    unary(op, x, out, number(info, 3), number(info, 4));
}

void unary_grad_call(const Info& info) {
    expect_arity(info, 7, "unaryGrad");
    const UnaryOp op = unary_op(info, 0);
    const Array x = typed_array(info, 1), y = typed_array(info, 2), dy = typed_array(info, 3),
                out = typed_array(info, 4);
    expect_float(x, "unaryGrad x");
    for (const Array* a : {&y, &dy, &out}) {
        expect_same(x, *a, "unaryGrad arrays");
        expect_length(*a, x.length, "unaryGrad y, dy and out");
    }
    unary_grad(op, x, y, dy, out, number(info, 5), number(info, 6));
}

void binary_call(const Info& info) {
    expect_arity(info, 7, "binary");
    const index_t op = integer(info, 0);
    if (op < 0 || op >= static_cast<index_t>(BinaryOp::Count)) throw ArgumentError{"unknown binary op"};
    const Array a = typed_array(info, 1), b = typed_array(info, 3), out = typed_array(info, 5);
    const Dims as = integers(info, 2), bs = integers(info, 4), shape = integers(info, 6);
    expect_float(a, "binary a");
    expect_same(a, b, "binary a and b");
    const bool to_bool = op >= static_cast<index_t>(BinaryOp::Equal);
    expect_dtype(out, to_bool ? DType::Bool : a.dtype, "binary out");
    expect_span(a, 0, as, shape, "binary a");
    expect_span(b, 0, bs, shape, "binary b");
    expect_length(out, product(shape), "binary out");
    binary(static_cast<BinaryOp>(op), a, as, b, bs, out, shape);
}

void where_call(const Info& info) {
    expect_arity(info, 8, "where");
    const Array c = typed_array(info, 0), a = typed_array(info, 2), b = typed_array(info, 4),
                out = typed_array(info, 6);
    const Dims cs = integers(info, 1), as = integers(info, 3), bs = integers(info, 5),
               shape = integers(info, 7);
    expect_dtype(c, DType::Bool, "where cond");
    expect_same(a, b, "where a and b");
    expect_same(a, out, "where a and out");
    expect_span(c, 0, cs, shape, "where cond");
    expect_span(a, 0, as, shape, "where a");
    expect_span(b, 0, bs, shape, "where b");
    expect_length(out, product(shape), "where out");
    where(c, cs, a, as, b, bs, out, shape);
}

void cast_call(const Info& info) {
    expect_arity(info, 2, "cast");
    const Array x = typed_array(info, 0), out = typed_array(info, 1);
    expect_length(out, x.length, "cast out");
    cast(x, out);
}

void copy_strided_call(const Info& info) {
    expect_arity(info, 7, "copyStrided");
    const Array src = typed_array(info, 0), dst = typed_array(info, 4);
    const index_t so = integer(info, 1), dof = integer(info, 5);
    const Dims ss = integers(info, 2), shape = integers(info, 3), ds = integers(info, 6);
    expect_same(src, dst, "copyStrided src and dst");
    expect_span(src, so, ss, shape, "copyStrided src");
    expect_span(dst, dof, ds, shape, "copyStrided dst");
    copy_strided(src, so, ss, shape, dst, dof, ds);
}

void check_indices(const Array& idx, index_t axis_len) {
    expect_dtype(idx, DType::I32, "gather indices");
    const std::int32_t* p = static_cast<const std::int32_t*>(idx.data);
    for (index_t i = 0; i < idx.length; ++i) {
        if (p[i] < 0 || p[i] >= axis_len) {
            throw ArgumentError{"gather index " + std::to_string(p[i]) + " is outside [0, " +
                                std::to_string(axis_len) + ")"};
        }
    }
}

void gather_call(const Info& info) {
    expect_arity(info, 6, "gather");
    const Array x = typed_array(info, 0), idx = typed_array(info, 1), out = typed_array(info, 5);
    const index_t outer = count(info, 2), axis = count(info, 3), inner = count(info, 4);
    check_indices(idx, axis);
    expect_same(x, out, "gather x and out");
    expect_length(x, product({outer, axis, inner}), "gather x");
    expect_length(out, product({outer, idx.length, inner}), "gather out");
    gather(x, static_cast<const std::int32_t*>(idx.data), idx.length, outer, axis, inner, out);
}

void gather_grad_call(const Info& info) {
    expect_arity(info, 6, "gatherGrad");
    const Array dy = typed_array(info, 0), idx = typed_array(info, 1), out = typed_array(info, 5);
    const index_t outer = count(info, 2), axis = count(info, 3), inner = count(info, 4);
    check_indices(idx, axis);
    expect_float(dy, "gatherGrad dy");
    expect_same(dy, out, "gatherGrad dy and out");
    expect_length(dy, product({outer, idx.length, inner}), "gatherGrad dy");
    expect_length(out, product({outer, axis, inner}), "gatherGrad out");
    gather_grad(dy, static_cast<const std::int32_t*>(idx.data), idx.length, outer, axis, inner,
                out);
}

void reduce_call(const Info& info) {
    expect_arity(info, 6, "reduce");
    const index_t op = integer(info, 0);
    if (op < 0 || op > 3) throw ArgumentError{"unknown reduce op"};
    const Array x = typed_array(info, 1), out = typed_array(info, 5);
    const index_t outer = count(info, 2), r = count(info, 3), inner = count(info, 4);
    expect_float(x, "reduce x");
    expect_same(x, out, "reduce x and out");
    expect_length(x, product({outer, r, inner}), "reduce x");
    expect_length(out, product({outer, inner}), "reduce out");
    reduce(static_cast<ReduceOp>(op), x, outer, r, inner, out);
}

void arg_reduce_call(const Info& info) {
    expect_arity(info, 6, "argReduce");
    const bool want_max = boolean(info, 0);
    const Array x = typed_array(info, 1), out = typed_array(info, 5);
    const index_t outer = count(info, 2), r = count(info, 3), inner = count(info, 4);
    expect_float(x, "argReduce x");
    expect_dtype(out, DType::I32, "argReduce out");
    if (r == 0 && outer * inner > 0) throw ArgumentError{"argReduce over an empty axis"};
    expect_length(x, product({outer, r, inner}), "argReduce x");
    expect_length(out, product({outer, inner}), "argReduce out");
    arg_reduce(want_max, x, outer, r, inner, static_cast<std::int32_t*>(out.data));
}

void softmax_call(const Info& info) {
    expect_arity(info, 6, "softmax");
    const Array x = typed_array(info, 0), out = typed_array(info, 4);
    const index_t outer = count(info, 1), r = count(info, 2), inner = count(info, 3);
    expect_float(x, "softmax x");
    expect_same(x, out, "softmax x and out");
    expect_length(x, product({outer, r, inner}), "softmax x");
    expect_length(out, product({outer, r, inner}), "softmax out");
    softmax(x, outer, r, inner, out, boolean(info, 5));
}

void softmax_grad_call(const Info& info) {
    expect_arity(info, 7, "softmaxGrad");
    const Array y = typed_array(info, 0), dy = typed_array(info, 1), out = typed_array(info, 5);
    const index_t outer = count(info, 2), r = count(info, 3), inner = count(info, 4);
    expect_float(y, "softmaxGrad y");
    for (const Array* a : {&y, &dy, &out}) {
        expect_same(y, *a, "softmaxGrad arrays");
        expect_length(*a, product({outer, r, inner}), "softmaxGrad arrays");
    }
    softmax_grad(y, dy, outer, r, inner, out, boolean(info, 6));
}

const std::int32_t* offsets(const Info& info, std::size_t i, index_t batch, index_t matrix,
                            index_t length, const char* what) {
    if (is_null(info, i)) {
        if (product({batch, matrix}) > length) throw ArgumentError{std::string(what) + " is too short"};
        return nullptr;
    }
    const Array o = typed_array(info, i);
    expect_dtype(o, DType::I32, what);
    expect_length(o, batch, what);
    const std::int32_t* p = static_cast<const std::int32_t*>(o.data);
    for (index_t b = 0; b < batch; ++b) {
        if (p[b] < 0 || p[b] + matrix > length) {
            throw ArgumentError{std::string(what) + " points outside the array"};
        }
    }
    return p;
}

void matmul_call(const Info& info) {
    expect_arity(info, 11, "matmul");
    const Array a = typed_array(info, 0), b = typed_array(info, 1), out = typed_array(info, 2);
    MatmulParams p{};
    p.batch = count(info, 3);
    p.m = count(info, 4);
    p.n = count(info, 5);
    p.k = count(info, 6);
    p.trans_a = boolean(info, 7);
    p.trans_b = boolean(info, 8);
    expect_float(a, "matmul a");
    expect_same(a, b, "matmul a and b");
    expect_same(a, out, "matmul a and out");
    p.a_offsets = offsets(info, 9, p.batch, product({p.m, p.k}), a.length, "matmul a offsets");
    p.b_offsets = offsets(info, 10, p.batch, product({p.k, p.n}), b.length, "matmul b offsets");
    expect_length(out, product({p.batch, p.m, p.n}), "matmul out");
    matmul(a, b, out, p);
}

Conv2DParams conv_params(const Info& info, std::size_t i) {
    const Dims v = integers(info, i);
    if (v.size() != 16) throw ArgumentError{"conv params must have 16 entries"};
    for (index_t e : v) {
        if (e < 0) throw ArgumentError{"conv params must be non-negative"};
    }
    Conv2DParams p{v[0], v[1], v[2], v[3], v[4],  v[5],  v[6],  v[7],
                   v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
    if (p.groups < 1 || p.in_c % p.groups != 0 || p.out_c % p.groups != 0 || p.stride_h < 1 ||
        p.stride_w < 1 || p.dilation_h < 1 || p.dilation_w < 1) {
        throw ArgumentError{"conv params: strides, dilations and groups must be positive, and "
                            "groups must divide the channels"};
    }
    return p;
}

void check_conv(const Array& x, const Array& w, const Array& y, const Conv2DParams& p) {
    expect_float(x, "conv x");
    expect_same(x, w, "conv x and w");
    expect_same(x, y, "conv x and y");
    expect_length(x, product({p.batch, p.in_h, p.in_w, p.in_c}), "conv x");
    expect_length(w, product({p.kh, p.kw, p.in_c / p.groups, p.out_c}), "conv w");
    expect_length(y, product({p.batch, p.out_h, p.out_w, p.out_c}), "conv y");
}

void conv2d_call(const Info& info) {
    expect_arity(info, 4, "conv2d");
    const Array x = typed_array(info, 0), w = typed_array(info, 1), out = typed_array(info, 2);
    const Conv2DParams p = conv_params(info, 3);
    check_conv(x, w, out, p);
    conv2d(x, w, out, p);
}

void conv2d_backprop_input_call(const Info& info) {
    expect_arity(info, 4, "conv2dBackpropInput");
    const Array dy = typed_array(info, 0), w = typed_array(info, 1), dx = typed_array(info, 2);
    const Conv2DParams p = conv_params(info, 3);
    check_conv(dx, w, dy, p);
    conv2d_backprop_input(dy, w, dx, p);
}

void conv2d_backprop_filter_call(const Info& info) {
    expect_arity(info, 4, "conv2dBackpropFilter");
    const Array x = typed_array(info, 0), dy = typed_array(info, 1), dw = typed_array(info, 2);
    const Conv2DParams p = conv_params(info, 3);
    check_conv(x, dw, dy, p);
    conv2d_backprop_filter(x, dy, dw, p);
}

Pool2DParams pool_params(const Info& info, std::size_t i) {
    const Dims v = integers(info, i);
    if (v.size() != 12) throw ArgumentError{"pool params must have 12 entries"};
    for (index_t e : v) {
        if (e < 0) throw ArgumentError{"pool params must be non-negative"};
    }
    Pool2DParams p{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
    if (p.stride_h < 1 || p.stride_w < 1) throw ArgumentError{"pool strides must be positive"};
    return p;
}

void check_pool(const Array& x, const Array& y, const Pool2DParams& p) {
    expect_float(x, "pool x");
    expect_same(x, y, "pool x and y");
    expect_length(x, product({p.batch, p.in_h, p.in_w, p.channels}), "pool x");
    expect_length(y, product({p.batch, p.out_h, p.out_w, p.channels}), "pool y");
}

void max_pool_call(const Info& info) {
    expect_arity(info, 3, "maxPool2d");
    const Array x = typed_array(info, 0), out = typed_array(info, 1);
    const Pool2DParams p = pool_params(info, 2);
    check_pool(x, out, p);
    max_pool2d(x, out, p);
}

void max_pool_grad_call(const Info& info) {
    expect_arity(info, 4, "maxPool2dGrad");
    const Array x = typed_array(info, 0), dy = typed_array(info, 1), dx = typed_array(info, 2);
    const Pool2DParams p = pool_params(info, 3);
    check_pool(x, dy, p);
    check_pool(dx, dy, p);
    max_pool2d_grad(x, dy, dx, p);
}

void avg_pool_call(const Info& info) {
    expect_arity(info, 3, "avgPool2d");
    const Array x = typed_array(info, 0), out = typed_array(info, 1);
    const Pool2DParams p = pool_params(info, 2);
    check_pool(x, out, p);
    avg_pool2d(x, out, p);
}

void avg_pool_grad_call(const Info& info) {
    expect_arity(info, 3, "avgPool2dGrad");
    const Array dy = typed_array(info, 0), dx = typed_array(info, 1);
    const Pool2DParams p = pool_params(info, 2);
    check_pool(dx, dy, p);
    avg_pool2d_grad(dy, dx, p);
}

ResizeParams resize_params(const Info& info, std::size_t i) {
    const Dims v = integers(info, i);
    if (v.size() != 6) throw ArgumentError{"resize params must have 6 entries"};
    for (index_t e : v) {
        if (e < 0) throw ArgumentError{"resize params must be non-negative"};
    }
    ResizeParams p{v[0], v[1], v[2], v[3], v[4], v[5]};
    if ((p.out_h > 0 && p.in_h == 0) || (p.out_w > 0 && p.in_w == 0)) {
        throw ArgumentError{"resize of an empty image"};
    }
    return p;
}

void check_resize(const Array& x, const Array& y, const ResizeParams& p) {
    expect_float(x, "resize x");
    expect_same(x, y, "resize x and y");
    expect_length(x, product({p.batch, p.in_h, p.in_w, p.channels}), "resize x");
    expect_length(y, product({p.batch, p.out_h, p.out_w, p.channels}), "resize y");
}

void resize_call(const Info& info) {
    expect_arity(info, 3, "resizeBilinear");
    const Array x = typed_array(info, 0), out = typed_array(info, 1);
    const ResizeParams p = resize_params(info, 2);
    check_resize(x, out, p);
    resize_bilinear(x, out, p);
}

void resize_grad_call(const Info& info) {
    expect_arity(info, 3, "resizeBilinearGrad");
    const Array dy = typed_array(info, 0), dx = typed_array(info, 1);
    const ResizeParams p = resize_params(info, 2);
    check_resize(dx, dy, p);
    resize_bilinear_grad(dy, dx, p);
}

void adam_call(const Info& info) {
    expect_arity(info, 11, "adamUpdate");
    const Array p = typed_array(info, 0), g = typed_array(info, 1), m = typed_array(info, 2),
                v = typed_array(info, 3);
    expect_float(p, "adam p");
    for (const Array* a : {&g, &m, &v}) {
        expect_same(p, *a, "adam arrays");
        expect_length(*a, p.length, "adam g, m and v");
    }
    Array v_max{};
    const bool amsgrad = !is_null(info, 4);
    if (amsgrad) {
        v_max = typed_array(info, 4);
        expect_same(p, v_max, "adam vMax");
        expect_length(v_max, p.length, "adam vMax");
    }
    const AdamParams h{number(info, 5), number(info, 6), number(info, 7),
                       number(info, 8), number(info, 9), number(info, 10)};
    adam_update(p, g, m, v, amsgrad ? &v_max : nullptr, h);
}

void sgd_call(const Info& info) {
    expect_arity(info, 6, "sgdUpdate");
    const Array p = typed_array(info, 0), g = typed_array(info, 1);
    expect_float(p, "sgd p");
    expect_same(p, g, "sgd p and g");
    expect_length(g, p.length, "sgd g");
    Array vel{};
    const bool momentum = !is_null(info, 2);
    if (momentum) {
        vel = typed_array(info, 2);
        expect_same(p, vel, "sgd velocity");
        expect_length(vel, p.length, "sgd velocity");
    }
    const SgdParams h{number(info, 3), number(info, 4), boolean(info, 5)};
    sgd_update(p, g, momentum ? &vel : nullptr, h);
}

void set_num_threads_call(const Info& info) {
    expect_arity(info, 1, "setNumThreads");
    const index_t n = count(info, 0);
    if (n < 1) throw ArgumentError{"the thread count must be at least 1"};
    ThreadPool::instance().set_num_threads(static_cast<int>(std::min<index_t>(n, 256)));
}

Napi::Value get_num_threads(const Info& info) {
    return Napi::Number::New(info.Env(), ThreadPool::instance().num_threads());
}

Napi::Array names(Napi::Env env, const char* const* list) {
    Napi::Array out = Napi::Array::New(env);
    for (std::uint32_t i = 0; list[i] != nullptr; ++i) out.Set(i, Napi::String::New(env, list[i]));
    return out;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
    auto fn = [&](const char* name, Napi::Value (*f)(const Info&)) {
        exports.Set(name, Napi::Function::New(env, f, name));
    };
    fn("unary", guarded<unary_call>);
    fn("unaryGrad", guarded<unary_grad_call>);
    fn("binary", guarded<binary_call>);
    fn("where", guarded<where_call>);
    fn("cast", guarded<cast_call>);
    fn("copyStrided", guarded<copy_strided_call>);
    fn("gather", guarded<gather_call>);
    fn("gatherGrad", guarded<gather_grad_call>);
    fn("reduce", guarded<reduce_call>);
    fn("argReduce", guarded<arg_reduce_call>);
    fn("softmax", guarded<softmax_call>);
    fn("softmaxGrad", guarded<softmax_grad_call>);
    fn("matmul", guarded<matmul_call>);
    fn("conv2d", guarded<conv2d_call>);
    fn("conv2dBackpropInput", guarded<conv2d_backprop_input_call>);
    fn("conv2dBackpropFilter", guarded<conv2d_backprop_filter_call>);
    fn("maxPool2d", guarded<max_pool_call>);
    fn("maxPool2dGrad", guarded<max_pool_grad_call>);
    fn("avgPool2d", guarded<avg_pool_call>);
    fn("avgPool2dGrad", guarded<avg_pool_grad_call>);
    fn("resizeBilinear", guarded<resize_call>);
    fn("resizeBilinearGrad", guarded<resize_grad_call>);
    fn("adamUpdate", guarded<adam_call>);
    fn("sgdUpdate", guarded<sgd_call>);
    fn("setNumThreads", guarded<set_num_threads_call>);
    fn("getNumThreads", get_num_threads);
    exports.Set("isa", Napi::String::New(env, gemm_isa_name()));
    exports.Set("unaryOps", names(env, kUnaryOpNames));
    exports.Set("binaryOps", names(env, kBinaryOpNames));
    return exports;
}

}  // namespace

}  // namespace tensile

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
    return tensile::init(env, exports);
}

NODE_API_MODULE(tensile, Init)
