// Bilinear resize with half-pixel centers and its gradient, NHWC, following
// src/backend/js/resize.ts: output index o samples the input at s = (o + 0.5)·in/out − 0.5,
// between floor(s) and floor(s) + 1 clamped to the image, with weight s − floor(s).
#include <cmath>
#include <cstring>
#include <vector>

#include "dispatch.h"

namespace tensile {

namespace {

struct Axis {
    std::vector<index_t> lower, upper;
    std::vector<double> lerp;
};

Axis axis_weights(index_t in, index_t out) {
    Axis a{std::vector<index_t>(out), std::vector<index_t>(out), std::vector<double>(out)};
    const double scale = static_cast<double>(in) / static_cast<double>(out);
    for (index_t o = 0; o < out; ++o) {
        const double s = (static_cast<double>(o) + 0.5) * scale - 0.5;
        const double f = std::floor(s);
        const index_t fi = static_cast<index_t>(f);
        a.lower[o] = std::min(std::max<index_t>(fi, 0), in - 1);
        a.upper[o] = std::min(std::max<index_t>(fi + 1, 0), in - 1);
        a.lerp[o] = s - f;
    }
    return a;
}

template <class T>
void resize_typed(const T* x, T* out, const ResizeParams& p) {
    const Axis ys = axis_weights(p.in_h, p.out_h);
    const Axis xs = axis_weights(p.in_w, p.out_w);
    const index_t C = p.channels;
    parallel_for(p.batch * p.out_h,
                 std::max<index_t>(1, kCheapGrain / std::max<index_t>(1, p.out_w * C)),
                 [&](index_t begin, index_t end) {
                     for (index_t row = begin; row < end; ++row) {
                         const index_t n = row / p.out_h;
                         const index_t oh = row % p.out_h;
                         const index_t top = (n * p.in_h + ys.lower[oh]) * p.in_w;
                         const index_t bottom = (n * p.in_h + ys.upper[oh]) * p.in_w;
                         const double wy = ys.lerp[oh];
                         T* o = out + row * p.out_w * C;
                         for (index_t ow = 0; ow < p.out_w; ++ow, o += C) {
                             const double wx = xs.lerp[ow];
                             const T* tl = x + (top + xs.lower[ow]) * C;
                             const T* tr = x + (top + xs.upper[ow]) * C;
                             const T* bl = x + (bottom + xs.lower[ow]) * C;
                             const T* br = x + (bottom + xs.upper[ow]) * C;
                             for (index_t c = 0; c < C; ++c) {
                                 const double t = tl[c] + (static_cast<double>(tr[c]) - tl[c]) * wx;
                                 const double b = bl[c] + (static_cast<double>(br[c]) - bl[c]) * wx;
                                 o[c] = static_cast<T>(t + (b - t) * wy);
                             }
                         }
                     }
                 });
}

template <class T>
void resize_grad_typed(const T* dy, T* dx, const ResizeParams& p) {
    const Axis ys = axis_weights(p.in_h, p.out_h);
    const Axis xs = axis_weights(p.in_w, p.out_w);
    const index_t C = p.channels;
    std::memset(dx, 0, static_cast<std::size_t>(p.batch * p.in_h * p.in_w * C) * sizeof(T));
    // Neighbouring output rows add into the same input rows: split over images only.
    parallel_for(p.batch,
                 std::max<index_t>(1, kCheapGrain / std::max<index_t>(1, p.out_h * p.out_w * C)),
                 [&](index_t begin, index_t end) {
                     for (index_t n = begin; n < end; ++n) {
                         for (index_t oh = 0; oh < p.out_h; ++oh) {
                             const index_t top = (n * p.in_h + ys.lower[oh]) * p.in_w;
                             const index_t bottom = (n * p.in_h + ys.upper[oh]) * p.in_w;
                             const double wy = ys.lerp[oh];
                             const T* g = dy + (n * p.out_h + oh) * p.out_w * C;
                             for (index_t ow = 0; ow < p.out_w; ++ow, g += C) {
                                 const double wx = xs.lerp[ow];
                                 T* tl = dx + (top + xs.lower[ow]) * C;
                                 T* tr = dx + (top + xs.upper[ow]) * C;
                                 T* bl = dx + (bottom + xs.lower[ow]) * C;
                                 T* br = dx + (bottom + xs.upper[ow]) * C;
                                 const double wtl = (1 - wy) * (1 - wx), wtr = (1 - wy) * wx;
                                 const double wbl = wy * (1 - wx), wbr = wy * wx;
                                 for (index_t c = 0; c < C; ++c) {
                                     tl[c] = static_cast<T>(tl[c] + g[c] * wtl);
                                     tr[c] = static_cast<T>(tr[c] + g[c] * wtr);
                                     bl[c] = static_cast<T>(bl[c] + g[c] * wbl);
                                     br[c] = static_cast<T>(br[c] + g[c] * wbr);
                                 }
                             }
                         }
                     }
                 });
}

}  // namespace

void resize_bilinear(const Array& x, const Array& out, const ResizeParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        resize_typed<T>(as<T>(x), as<T>(out), p);
    });
}

void resize_bilinear_grad(const Array& dy, const Array& dx, const ResizeParams& p) {
    dispatch_float(dy.dtype, [&](auto zero) {
        using T = decltype(zero);
        resize_grad_typed<T>(as<T>(dy), as<T>(dx), p);
    });
}

}  // namespace tensile
