// Max and average pooling over NHWC with their gradients, following src/backend/js/pool.ts:
// padding cells are skipped (never a max, not counted in an average), NaN propagates through
// max, and the gradient of max goes to the first maximum of each window.
#include <cstring>
#include <limits>
#include <vector>

#include "dispatch.h"

namespace tensile {

namespace {

struct Window {
    index_t hs, he, ws, we;
};

Window window(const Pool2DParams& p, index_t oh, index_t ow) {
    const index_t h0 = oh * p.stride_h - p.pad_top;
    const index_t w0 = ow * p.stride_w - p.pad_left;
    return {std::max<index_t>(h0, 0), std::min(h0 + p.kh, p.in_h), std::max<index_t>(w0, 0),
            std::min(w0 + p.kw, p.in_w)};
}

// Splits the (batch, outH) output rows over the pool. Gradients that add into dx split over
// images only, so no two tasks add into the same cell.
template <class F>
void over_rows(const Pool2DParams& p, F&& fn) {
    const index_t per_row = std::max<index_t>(1, p.out_w * p.channels * p.kh * p.kw);
    parallel_for(p.batch * p.out_h, std::max<index_t>(1, kCheapGrain / per_row),
                 [&](index_t begin, index_t end) {
                     for (index_t r = begin; r < end; ++r) fn(r / p.out_h, r % p.out_h);
                 });
}

template <class F>
void over_images(const Pool2DParams& p, F&& fn) {
    const index_t per_image = std::max<index_t>(1, p.out_h * p.out_w * p.channels * p.kh * p.kw);
    parallel_for(p.batch, std::max<index_t>(1, kCheapGrain / per_image),
                 [&](index_t begin, index_t end) {
                     for (index_t n = begin; n < end; ++n) fn(n);
                 });
}

// Zeroes image n of dx inside the task that then adds into it: a freshly allocated dx takes
// its page faults on all threads at once instead of in one serial memset.
template <class T>
void zero_image(T* dx, const Pool2DParams& p, index_t n) {
    const index_t size = p.in_h * p.in_w * p.channels;
    std::memset(dx + n * size, 0, static_cast<std::size_t>(size) * sizeof(T));
}

template <class T>
void max_pool_typed(const T* x, T* out, const Pool2DParams& p) {
    const index_t C = p.channels;
    over_rows(p, [&](index_t n, index_t oh) {
        for (index_t ow = 0; ow < p.out_w; ++ow) {
            const Window wnd = window(p, oh, ow);
            T* o = out + ((n * p.out_h + oh) * p.out_w + ow) * C;
            for (index_t c = 0; c < C; ++c) o[c] = -std::numeric_limits<T>::infinity();
            for (index_t ih = wnd.hs; ih < wnd.he; ++ih) {
                for (index_t iw = wnd.ws; iw < wnd.we; ++iw) {
                    const T* src = x + ((n * p.in_h + ih) * p.in_w + iw) * C;
                    for (index_t c = 0; c < C; ++c) {
                        const T v = src[c];
                        o[c] = v > o[c] || v != v ? v : o[c];
                    }
                }
            }
        }
    });
}

// The first tap of a window initializes each channel's running maximum; later taps replace it
// when strictly greater (so the first maximum wins) or when they are the first NaN. Written
// with selects instead of branches and with positions as 32-bit offsets inside the image (I is
// index_t only for images of 2³¹ elements or more), so that the channel loop vectorizes: on
// random data a branch per channel mispredicts half the time.
template <class T, class I>
__attribute__((always_inline)) inline void max_pool_grad_image(const T* x, const T* dy, T* dx,
                                                               const Pool2DParams& p, index_t n,
                                                               T* best, I* arg) {
    const index_t C = p.channels;
    const T* xi = x + n * p.in_h * p.in_w * C;
    T* dxi = dx + n * p.in_h * p.in_w * C;
    for (index_t oh = 0; oh < p.out_h; ++oh) {
        for (index_t ow = 0; ow < p.out_w; ++ow) {
            const Window wnd = window(p, oh, ow);
            if (wnd.hs >= wnd.he || wnd.ws >= wnd.we) continue;
            const I first = static_cast<I>((wnd.hs * p.in_w + wnd.ws) * C);
            for (index_t c = 0; c < C; ++c) {
                best[c] = xi[first + c];
                arg[c] = first + static_cast<I>(c);
            }
            for (index_t ih = wnd.hs; ih < wnd.he; ++ih) {
                for (index_t iw = ih == wnd.hs ? wnd.ws + 1 : wnd.ws; iw < wnd.we; ++iw) {
                    const I base = static_cast<I>((ih * p.in_w + iw) * C);
                    const T* src = xi + base;
                    for (index_t c = 0; c < C; ++c) {
                        const T v = src[c];
                        const T b = best[c];
                        const bool take = v > b || (v != v && b == b);
                        best[c] = take ? v : b;
                        arg[c] = take ? base + static_cast<I>(c) : arg[c];
                    }
                }
            }
            const T* g = dy + ((n * p.out_h + oh) * p.out_w + ow) * C;
            for (index_t c = 0; c < C; ++c) dxi[arg[c]] += g[c];
        }
    }
}

template <class T>
void max_pool_grad_typed(const T* x, const T* dy, T* dx, const Pool2DParams& p) {
    const index_t C = p.channels;
    const bool small = p.in_h * p.in_w * C < (index_t{1} << 31);
    over_images(p, [&](index_t n) {
        zero_image(dx, p, n);
        std::vector<T> best(static_cast<std::size_t>(C));
        if (small) {
            std::vector<std::int32_t> arg(static_cast<std::size_t>(C));
            run_vectorized(
                [&](index_t, index_t) __attribute__((always_inline)) {
                    max_pool_grad_image(x, dy, dx, p, n, best.data(), arg.data());
                },
                0, 1);
        } else {
            std::vector<index_t> arg(static_cast<std::size_t>(C));
            max_pool_grad_image(x, dy, dx, p, n, best.data(), arg.data());
        }
    });
}

template <class T>
void avg_pool_typed(const T* x, T* out, const Pool2DParams& p) {
    const index_t C = p.channels;
    over_rows(p, [&](index_t n, index_t oh) {
        for (index_t ow = 0; ow < p.out_w; ++ow) {
            const Window wnd = window(p, oh, ow);
            T* o = out + ((n * p.out_h + oh) * p.out_w + ow) * C;
            for (index_t c = 0; c < C; ++c) o[c] = 0;
            for (index_t ih = wnd.hs; ih < wnd.he; ++ih) {
                for (index_t iw = wnd.ws; iw < wnd.we; ++iw) {
                    const T* src = x + ((n * p.in_h + ih) * p.in_w + iw) * C;
                    for (index_t c = 0; c < C; ++c) o[c] += src[c];
                }
            }
            const index_t count = (wnd.he - wnd.hs) * (wnd.we - wnd.ws);
            const double scale = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
            for (index_t c = 0; c < C; ++c) o[c] = static_cast<T>(o[c] * scale);
        }
    });
}

template <class T>
void avg_pool_grad_typed(const T* dy, T* dx, const Pool2DParams& p) {
    const index_t C = p.channels;
    over_images(p, [&](index_t n) {
        zero_image(dx, p, n);
        for (index_t oh = 0; oh < p.out_h; ++oh) {
            for (index_t ow = 0; ow < p.out_w; ++ow) {
                const Window wnd = window(p, oh, ow);
                const index_t count = (wnd.he - wnd.hs) * (wnd.we - wnd.ws);
                const double scale = count > 0 ? 1.0 / static_cast<double>(count) : 0.0;
                const T* g = dy + ((n * p.out_h + oh) * p.out_w + ow) * C;
                for (index_t ih = wnd.hs; ih < wnd.he; ++ih) {
                    for (index_t iw = wnd.ws; iw < wnd.we; ++iw) {
                        T* dst = dx + ((n * p.in_h + ih) * p.in_w + iw) * C;
                        for (index_t c = 0; c < C; ++c)
                            dst[c] = static_cast<T>(dst[c] + g[c] * scale);
                    }
                }
            }
        }
    });
}

}  // namespace

void max_pool2d(const Array& x, const Array& out, const Pool2DParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        max_pool_typed<T>(as<T>(x), as<T>(out), p);
    });
}

void max_pool2d_grad(const Array& x, const Array& dy, const Array& dx, const Pool2DParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        max_pool_grad_typed<T>(as<T>(x), as<T>(dy), as<T>(dx), p);
    });
}

void avg_pool2d(const Array& x, const Array& out, const Pool2DParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        avg_pool_typed<T>(as<T>(x), as<T>(out), p);
    });
}

void avg_pool2d_grad(const Array& dy, const Array& dx, const Pool2DParams& p) {
    dispatch_float(dy.dtype, [&](auto zero) {
        using T = decltype(zero);
        avg_pool_grad_typed<T>(as<T>(dy), as<T>(dx), p);
    });
}

}  // namespace tensile
