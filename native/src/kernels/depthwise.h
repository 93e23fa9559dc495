// Depthwise convolution (groups == inC, one input channel per group) computed directly: as a
// GEMM it would have K = kh·kw and as few columns as the channel multiplier, far too thin for
// the micro-kernel. The loops keep the channel axis innermost, where NHWC stores it contiguously.
#pragma once

#include <cstring>
#include <vector>

#include "dispatch.h"

namespace tensile {

inline bool is_depthwise(const Conv2DParams& p) { return p.groups > 1 && p.groups == p.in_c; }

// Calls fn(ky, kx, iy, ix) for the taps of output pixel (oy, ox) that fall inside the image.
template <class F>
void for_taps(const Conv2DParams& p, index_t oy, index_t ox, F&& fn) {
    for (index_t ky = 0; ky < p.kh; ++ky) {
        const index_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
        if (iy < 0 || iy >= p.in_h) continue;
        for (index_t kx = 0; kx < p.kw; ++kx) {
            const index_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
            if (ix < 0 || ix >= p.in_w) continue;
            fn(ky, kx, iy, ix);
        }
    }
}

template <class T>
void depthwise_forward(const T* x, const T* w, T* out, const Conv2DParams& p) {
    const index_t C = p.in_c, mult = p.out_c / p.in_c;
    const index_t per_row = std::max<index_t>(1, p.out_w * p.out_c * p.kh * p.kw);
    const index_t grain = std::max<index_t>(1, kCheapGrain / per_row);
    parallel_for(p.batch * p.out_h, grain, [&](index_t r0, index_t r1) {
        for (index_t row = r0; row < r1; ++row) {
            const index_t b = row / p.out_h, oy = row % p.out_h;
            for (index_t ox = 0; ox < p.out_w; ++ox) {
                T* o = out + ((b * p.out_h + oy) * p.out_w + ox) * p.out_c;
                std::memset(o, 0, static_cast<std::size_t>(p.out_c) * sizeof(T));
                for_taps(p, oy, ox, [&](index_t ky, index_t kx, index_t iy, index_t ix) {
                    const T* xp = x + ((b * p.in_h + iy) * p.in_w + ix) * C;
                    const T* wp = w + (ky * p.kw + kx) * p.out_c;
                    if (mult == 1) {
                        for (index_t c = 0; c < C; ++c) o[c] += xp[c] * wp[c];
                    } else {
                        for (index_t c = 0; c < C; ++c) {
                            for (index_t j = 0; j < mult; ++j)
                                o[c * mult + j] += xp[c] * wp[c * mult + j];
                        }
                    }
                });
            }
        }
    });
}

template <class T>
void depthwise_backprop_input(const T* dy, const T* w, T* dx, const Conv2DParams& p) {
    const index_t C = p.in_c, mult = p.out_c / p.in_c;
    std::memset(dx, 0, static_cast<std::size_t>(p.batch * p.in_h * p.in_w * C) * sizeof(T));
    // Neighbouring output pixels add into the same input pixels: split over images only.
    parallel_for(p.batch, 1, [&](index_t b0, index_t b1) {
        for (index_t b = b0; b < b1; ++b) {
            for (index_t oy = 0; oy < p.out_h; ++oy) {
                for (index_t ox = 0; ox < p.out_w; ++ox) {
                    const T* g = dy + ((b * p.out_h + oy) * p.out_w + ox) * p.out_c;
                    for_taps(p, oy, ox, [&](index_t ky, index_t kx, index_t iy, index_t ix) {
                        T* d = dx + ((b * p.in_h + iy) * p.in_w + ix) * C;
                        const T* wp = w + (ky * p.kw + kx) * p.out_c;
                        for (index_t c = 0; c < C; ++c) {
                            T s = 0;
                            for (index_t j = 0; j < mult; ++j)
                                s += g[c * mult + j] * wp[c * mult + j];
                            d[c] += s;
                        }
                    });
                }
            }
        }
    });
}

template <class T>
void depthwise_backprop_filter(const T* x, const T* dy, T* dw, const Conv2DParams& p) {
    const index_t C = p.in_c, mult = p.out_c / p.in_c;
    const index_t size = p.kh * p.kw * p.out_c;
    ThreadPool& pool = ThreadPool::instance();
    const index_t tasks = std::max<index_t>(1, std::min<index_t>(pool.num_threads(), p.batch));
    // One partial dW per task, added together at the end.
    std::vector<T> partial(static_cast<std::size_t>(size * tasks), T(0));
    auto work = [&](int t) {
        T* acc = partial.data() + t * size;
        for (index_t b = p.batch * t / tasks; b < p.batch * (t + 1) / tasks; ++b) {
            for (index_t oy = 0; oy < p.out_h; ++oy) {
                for (index_t ox = 0; ox < p.out_w; ++ox) {
                    const T* g = dy + ((b * p.out_h + oy) * p.out_w + ox) * p.out_c;
                    for_taps(p, oy, ox, [&](index_t ky, index_t kx, index_t iy, index_t ix) {
                        const T* xp = x + ((b * p.in_h + iy) * p.in_w + ix) * C;
                        T* a = acc + (ky * p.kw + kx) * p.out_c;
                        for (index_t c = 0; c < C; ++c) {
                            for (index_t j = 0; j < mult; ++j)
                                a[c * mult + j] += xp[c] * g[c * mult + j];
                        }
                    });
                }
            }
        }
    };
    if (tasks == 1) {
        work(0);
    } else {
        pool.run(static_cast<int>(tasks), work);
    }
    for (index_t i = 0; i < size; ++i) {
        T s = 0;
        for (index_t t = 0; t < tasks; ++t) s += partial[t * size + i];
        dw[i] = s;
    }
}

}  // namespace tensile
