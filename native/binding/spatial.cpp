// Entry points of the image kernels (conv2d and its gradients, pooling, resize) and of the fused
// optimizer updates. Parameters arrive as flat integer arrays in the field order of the
// TypeScript Params interfaces.
#include "../src/kernels/kernels.h"
#include "entry.h"

namespace tensile {

namespace {

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

}  // namespace

void register_spatial_kernels(Napi::Env env, Napi::Object exports) {
    auto fn = [&](const char* name, Napi::Value (*f)(const Info&)) {
        exports.Set(name, Napi::Function::New(env, f, name));
    };
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
}

}  // namespace tensile
