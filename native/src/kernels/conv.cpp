// conv2d and its two gradients as im2col + GEMM over NHWC images and (kh, kw, inC/groups, outC)
// kernels. The receptive field of an output pixel is laid out as one row of K = kh·kw·cinG
// values in the kernel's own (ky, kx, c) order, so the kernel is already a K × outC matrix:
//   forward          out[pixels, g] = col[pixels, K] · W_g[K, outCg]
//   backprop input   dcol[pixels, K] = dy[pixels, g] · W_gᵀ, then col2im adds dcol into dx
//   backprop filter  dW_g[K, outCg] += colᵀ · dy[pixels, g]
// Groups are column offsets into x, W and out, so nothing is repacked besides the columns.
// Pixels go in blocks that keep the column buffer near L2-sized, one block per task.
#include <cstring>
#include <vector>

#include "../gemm/gemm.h"
#include "depthwise.h"
#include "dispatch.h"

namespace tensile {

namespace {

// Column-buffer elements per block: 256k keeps a float32 block at 1 MB.
constexpr index_t kBlockElements = index_t{1} << 18;

template <class T>
T* column_buffer(index_t elements) {
    thread_local std::vector<T> buffer;
    if (static_cast<index_t>(buffer.size()) < elements) buffer.resize(elements);
    return buffer.data();
}

struct Geometry {
    index_t pixels;  // outH·outW per image
    index_t cin_g, cout_g, k;
};

Geometry geometry(const Conv2DParams& p) {
    const index_t cin_g = p.in_c / p.groups;
    return {p.out_h * p.out_w, cin_g, p.out_c / p.groups, p.kh * p.kw * cin_g};
}

// True when the convolution is a plain matrix product of the pixels with the kernel.
bool is_pointwise(const Conv2DParams& p) {
    return p.kh == 1 && p.kw == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_top == 0 &&
           p.pad_left == 0 && p.out_h == p.in_h && p.out_w == p.in_w;
}

// Writes the receptive fields of flat output pixels [q0, q0 + rows) for group g into col.
template <class T>
void im2col(const T* x, T* col, const Conv2DParams& p, const Geometry& geo, index_t q0,
            index_t rows, index_t g) {
    const index_t cg = geo.cin_g;
    for (index_t r = 0; r < rows; ++r) {
        const index_t q = q0 + r;
        const index_t b = q / geo.pixels;
        const index_t oy = (q % geo.pixels) / p.out_w;
        const index_t ox = q % p.out_w;
        T* dst = col + r * geo.k;
        for (index_t ky = 0; ky < p.kh; ++ky) {
            const index_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            for (index_t kx = 0; kx < p.kw; ++kx, dst += cg) {
                const index_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) {
                    std::memset(dst, 0, static_cast<std::size_t>(cg) * sizeof(T));
                } else {
                    const T* src = x + ((b * p.in_h + iy) * p.in_w + ix) * p.in_c + g * cg;
                    std::memcpy(dst, src, static_cast<std::size_t>(cg) * sizeof(T));
                }
            }
        }
    }
}

// Adds the columns of flat output pixels [q0, q0 + rows) for group g back into dx.
template <class T>
void col2im(const T* col, T* dx, const Conv2DParams& p, const Geometry& geo, index_t q0,
            index_t rows, index_t g) {
    const index_t cg = geo.cin_g;
    for (index_t r = 0; r < rows; ++r) {
        const index_t q = q0 + r;
        const index_t b = q / geo.pixels;
        const index_t oy = (q % geo.pixels) / p.out_w;
        const index_t ox = q % p.out_w;
        const T* src = col + r * geo.k;
        for (index_t ky = 0; ky < p.kh; ++ky) {
            const index_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
            for (index_t kx = 0; kx < p.kw; ++kx, src += cg) {
                const index_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) continue;
                T* dst = dx + ((b * p.in_h + iy) * p.in_w + ix) * p.in_c + g * cg;
                for (index_t c = 0; c < cg; ++c) dst[c] += src[c];
            }
        }
    }
}

index_t block_rows(const Geometry& geo, index_t total_rows) {
    return std::max<index_t>(1, std::min(total_rows, kBlockElements / std::max<index_t>(geo.k, 1)));
}

// Runs fn(first_block, last_block, task) over `blocks` blocks split into one range per thread.
template <class F>
void parallel_blocks(index_t blocks, F&& fn) {
    ThreadPool& pool = ThreadPool::instance();
    const index_t tasks = std::min<index_t>(pool.num_threads(), blocks);
    if (tasks <= 1) {
        fn(index_t{0}, blocks, 0);
        return;
    }
    pool.run(static_cast<int>(tasks), [&](int t) {
        fn(blocks * t / tasks, blocks * (t + 1) / tasks, t);
    });
}

template <class T>
void conv2d_typed(const T* x, const T* w, T* out, const Conv2DParams& p) {
    if (is_depthwise(p)) return depthwise_forward(x, w, out, p);
    const Geometry geo = geometry(p);
    const index_t total = p.batch * geo.pixels;
    if (is_pointwise(p)) {
        for (index_t g = 0; g < p.groups; ++g) {
            gemm(GemmArgs<T>{total, geo.cout_g, geo.cin_g, x + g * geo.cin_g, p.in_c, 1,
                             w + g * geo.cout_g, p.out_c, 1, out + g * geo.cout_g, p.out_c,
                             false});
        }
        return;
    }
    const index_t rows = block_rows(geo, total);
    const index_t blocks = (total + rows - 1) / rows;
    auto block = [&](index_t i, bool threaded) {
        const index_t q0 = i * rows;
        const index_t n = std::min(rows, total - q0);
        T* col = column_buffer<T>(n * geo.k);
        for (index_t g = 0; g < p.groups; ++g) {
            im2col(x, col, p, geo, q0, n, g);
            const GemmArgs<T> args{n, geo.cout_g, geo.k, col, geo.k, 1, w + g * geo.cout_g,
                                   p.out_c, 1, out + q0 * p.out_c + g * geo.cout_g, p.out_c,
                                   false};
            threaded ? gemm(args) : gemm_serial(args);
        }
    };
    if (blocks == 1) {
        block(0, true);
        return;
    }
    parallel_blocks(blocks, [&](index_t first, index_t last, int) {
        for (index_t i = first; i < last; ++i) block(i, false);
    });
}

template <class T>
void conv2d_backprop_input_typed(const T* dy, const T* w, T* dx, const Conv2DParams& p) {
    if (is_depthwise(p)) return depthwise_backprop_input(dy, w, dx, p);
    const Geometry geo = geometry(p);
    const index_t image_size = p.in_h * p.in_w * p.in_c;
    if (p.batch == 0) return;
    if (geo.pixels == 0) {
        std::memset(dx, 0, static_cast<std::size_t>(p.batch * image_size) * sizeof(T));
        return;
    }
    if (is_pointwise(p)) {
        // Every element of dx is written (not added to) by one of the group products.
        for (index_t g = 0; g < p.groups; ++g) {
            gemm(GemmArgs<T>{p.batch * geo.pixels, geo.cin_g, geo.cout_g, dy + g * geo.cout_g,
                             p.out_c, 1, w + g * geo.cout_g, 1, p.out_c, dx + g * geo.cin_g,
                             p.in_c, false});
        }
        return;
    }
    // Blocks stay inside one image so that only one task ever adds into an image of dx.
    const index_t rows = block_rows(geo, geo.pixels);
    const index_t per_image = (geo.pixels + rows - 1) / rows;
    auto image = [&](index_t b, bool threaded) {
        // Zeroed by the task that adds into it, so page faults of a fresh dx are taken in parallel.
        std::memset(dx + b * image_size, 0, static_cast<std::size_t>(image_size) * sizeof(T));
        for (index_t i = 0; i < per_image; ++i) {
            const index_t q0 = b * geo.pixels + i * rows;
            const index_t n = std::min(rows, (b + 1) * geo.pixels - q0);
            T* col = column_buffer<T>(n * geo.k);
            for (index_t g = 0; g < p.groups; ++g) {
                const GemmArgs<T> args{n, geo.k, geo.cout_g, dy + q0 * p.out_c + g * geo.cout_g,
                                       p.out_c, 1, w + g * geo.cout_g, 1, p.out_c, col, geo.k,
                                       false};
                threaded ? gemm(args) : gemm_serial(args);
                col2im(col, dx, p, geo, q0, n, g);
            }
        }
    };
    if (p.batch < ThreadPool::instance().num_threads()) {
        for (index_t b = 0; b < p.batch; ++b) image(b, true);
        return;
    }
    parallel_for(p.batch, 1, [&](index_t begin, index_t end) {
        for (index_t b = begin; b < end; ++b) image(b, false);
    });
}

template <class T>
void conv2d_backprop_filter_typed(const T* x, const T* dy, T* dw, const Conv2DParams& p) {
    if (is_depthwise(p)) return depthwise_backprop_filter(x, dy, dw, p);
    const Geometry geo = geometry(p);
    const index_t dw_size = geo.k * p.out_c;
    std::memset(dw, 0, static_cast<std::size_t>(dw_size) * sizeof(T));
    const index_t total = p.batch * geo.pixels;
    if (total == 0) return;
    const index_t rows = block_rows(geo, total);
    const index_t blocks = (total + rows - 1) / rows;
    auto block = [&](index_t i, T* target, bool threaded) {
        const index_t q0 = i * rows;
        const index_t n = std::min(rows, total - q0);
        const bool pointwise = is_pointwise(p);
        T* col = pointwise ? nullptr : column_buffer<T>(n * geo.k);
        for (index_t g = 0; g < p.groups; ++g) {
            const T* a = x + q0 * p.in_c + g * geo.cin_g;
            index_t a_col_stride = p.in_c;
            if (!pointwise) {
                im2col(x, col, p, geo, q0, n, g);
                a = col;
                a_col_stride = geo.k;
            }
            const GemmArgs<T> args{geo.k, geo.cout_g, n, a, 1, a_col_stride,
                                   dy + q0 * p.out_c + g * geo.cout_g, p.out_c, 1,
                                   target + g * geo.cout_g, p.out_c, true};
            threaded ? gemm(args) : gemm_serial(args);
        }
    };
    if (blocks == 1) {
        block(0, dw, true);
        return;
    }
    // Each task sums its blocks into its own copy of dW; the copies are added at the end.
    const int threads = ThreadPool::instance().num_threads();
    std::vector<T> partial(static_cast<std::size_t>(dw_size) *
                           static_cast<std::size_t>(std::max(0, threads - 1)));
    parallel_blocks(blocks, [&](index_t first, index_t last, int t) {
        T* target = t == 0 ? dw : partial.data() + (t - 1) * dw_size;
        for (index_t i = first; i < last; ++i) block(i, target, false);
    });
    for (int t = 1; t < threads; ++t) {
        const T* src = partial.data() + (t - 1) * dw_size;
        for (index_t i = 0; i < dw_size; ++i) dw[i] += src[i];
    }
}

}  // namespace

void conv2d(const Array& x, const Array& w, const Array& out, const Conv2DParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        conv2d_typed<T>(as<T>(x), as<T>(w), as<T>(out), p);
    });
}

void conv2d_backprop_input(const Array& dy, const Array& w, const Array& dx,
                           const Conv2DParams& p) {
    dispatch_float(dy.dtype, [&](auto zero) {
        using T = decltype(zero);
        conv2d_backprop_input_typed<T>(as<T>(dy), as<T>(w), as<T>(dx), p);
    });
}

void conv2d_backprop_filter(const Array& x, const Array& dy, const Array& dw,
                            const Conv2DParams& p) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        conv2d_backprop_filter_typed<T>(as<T>(x), as<T>(dy), as<T>(dw), p);
    });
}

}  // namespace tensile
