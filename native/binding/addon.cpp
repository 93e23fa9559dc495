// The Node-API entry points: one function per Backend kernel. Each reads and checks its
// arguments (args.h), then calls the plain C++ kernel on the typed arrays' own memory. Every C++
// exception is turned into a JS exception here; nothing escapes to abort the process.
#include <napi.h>

#include <new>
#include <string>

#include "../src/cpu.h"
#include "../src/gemm/gemm.h"
#include "../src/thread_pool.h"
#include "entry.h"

namespace tensile {

namespace {

UnaryOp unary_op(const Info& info, std::size_t i) {
    const index_t op = integer(info, i);
    if (op < 0 || op >= static_cast<index_t>(UnaryOp::Count)) {
        throw ArgumentError{"unknown unary op"};
    }
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
    if (op < 0 || op >= static_cast<index_t>(BinaryOp::Count)) {
        throw ArgumentError{"unknown binary op"};
    }
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
        if (product({batch, matrix}) > length) {
            throw ArgumentError{std::string(what) + " is too short"};
        }
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
    register_spatial_kernels(env, exports);
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
