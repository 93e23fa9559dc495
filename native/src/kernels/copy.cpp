// copyStrided, gather and gatherGrad: kernels that move elements. Copies only need the element
// size, so every dtype shares one loop per size.
#include <cstring>

#include "strided.h"

namespace tensile {

void copy_strided(const Array& src, index_t src_offset, const Dims& src_strides,
                  const Dims& shape, const Array& dst, index_t dst_offset,
                  const Dims& dst_strides) {
    for (index_t d : shape) {
        if (d == 0) return;
    }
    const StridedShape<2> s = collapse<2>(shape, {&src_strides, &dst_strides});
    dispatch_bytes(src.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* ps = as<T>(src);
        T* pd = as<T>(dst);
        parallel_rows<2>(s, {src_offset, dst_offset}, kCheapGrain,
                         [&](const std::array<index_t, 2>& off, index_t len,
                             const std::array<index_t, 2>& st) {
                             const T* from = ps + off[0];
                             T* to = pd + off[1];
                             if (st[0] == 1 && st[1] == 1) {
                                 std::memmove(to, from, static_cast<std::size_t>(len) * sizeof(T));
                             } else {
                                 for (index_t i = 0; i < len; ++i) to[i * st[1]] = from[i * st[0]];
                             }
                         });
    });
}

void gather(const Array& x, const std::int32_t* indices, index_t count, index_t outer,
            index_t axis_len, index_t inner, const Array& out) {
    dispatch_bytes(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* px = as<T>(x);
        T* po = as<T>(out);
        parallel_for(outer * count, std::max<index_t>(1, kCheapGrain / std::max<index_t>(inner, 1)),
                     [&](index_t begin, index_t end) {
                         for (index_t t = begin; t < end; ++t) {
                             const index_t o = t / count;
                             const index_t j = t % count;
                             const T* from = px + (o * axis_len + indices[j]) * inner;
                             std::memcpy(po + t * inner, from,
                                         static_cast<std::size_t>(inner) * sizeof(T));
                         }
                     });
    });
}

void gather_grad(const Array& dy, const std::int32_t* indices, index_t count, index_t outer,
                 index_t axis_len, index_t inner, const Array& out) {
    dispatch_float(dy.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* pdy = as<T>(dy);
        T* po = as<T>(out);
        // Repeated indices add into the same row, so the work is split over `outer` (and over
        // the columns of a row when outer is 1), never over the indices.
        std::memset(po, 0, static_cast<std::size_t>(outer * axis_len * inner) * sizeof(T));
        parallel_for(outer * inner, kCheapGrain / 4, [&](index_t begin, index_t end) {
            for (index_t o = begin / inner; o <= (end - 1) / inner; ++o) {
                const index_t lo = std::max(begin, o * inner) - o * inner;
                const index_t hi = std::min(end, (o + 1) * inner) - o * inner;
                for (index_t j = 0; j < count; ++j) {
                    T* to = po + (o * axis_len + indices[j]) * inner;
                    const T* from = pdy + (o * count + j) * inner;
                    for (index_t i = lo; i < hi; ++i) to[i] += from[i];
                }
            }
        });
    });
}

}  // namespace tensile
