// Walking N operands through one output shape with per-operand strides (0 where broadcast), a
// row (the last dimension) at a time. Used by binary, where and copyStrided.
#pragma once

#include <array>

#include "dispatch.h"

namespace tensile {

template <int N>
struct StridedShape {
    Dims shape;
    std::array<Dims, N> strides;
};

// Merges neighbouring dimensions that every operand walks as one (stride[d] equals
// stride[d+1]·shape[d+1]) and drops dimensions of size 1, so contiguous operands become a
// single long row and broadcasting a bias becomes rows of the bias' length.
template <int N>
StridedShape<N> collapse(const Dims& shape, const std::array<const Dims*, N>& strides) {
    StridedShape<N> out;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 1) continue;
        bool merge = !out.shape.empty();
        for (int i = 0; i < N && merge; ++i) {
            merge = out.strides[i].back() == (*strides[i])[d] * shape[d];
        }
        if (merge) {
            out.shape.back() *= shape[d];
            for (int i = 0; i < N; ++i) out.strides[i].back() = (*strides[i])[d];
        } else {
            out.shape.push_back(shape[d]);
            for (int i = 0; i < N; ++i) out.strides[i].push_back((*strides[i])[d]);
        }
    }
    if (out.shape.empty()) {
        out.shape.push_back(1);
        for (int i = 0; i < N; ++i) out.strides[i].push_back(0);
    }
    return out;
}

// Calls fn(offsets, len, step) for rows [row_begin, row_end) of s, where offsets[i] is operand
// i's start of the row, step[i] its stride along it, and len the row's length.
template <int N, class F>
void walk_rows(const StridedShape<N>& s, const std::array<index_t, N>& base, index_t row_begin,
               index_t row_end, F&& fn) {
    const int rank = static_cast<int>(s.shape.size());
    const index_t len = s.shape[rank - 1];
    std::array<index_t, N> step;
    for (int i = 0; i < N; ++i) step[i] = s.strides[i][rank - 1];
    // The multi-index of the first row, from the row number.
    Dims counter(rank, 0);
    std::array<index_t, N> off = base;
    index_t rest = row_begin;
    for (int d = rank - 2; d >= 0; --d) {
        counter[d] = rest % s.shape[d];
        rest /= s.shape[d];
        for (int i = 0; i < N; ++i) off[i] += counter[d] * s.strides[i][d];
    }
    for (index_t row = row_begin; row < row_end; ++row) {
        fn(off, len, step);
        for (int d = rank - 2; d >= 0; --d) {
            ++counter[d];
            for (int i = 0; i < N; ++i) off[i] += s.strides[i][d];
            if (counter[d] < s.shape[d]) break;
            for (int i = 0; i < N; ++i) off[i] -= s.strides[i][d] * counter[d];
            counter[d] = 0;
        }
    }
}

// Rows of s in total.
template <int N>
index_t row_count(const StridedShape<N>& s) {
    index_t rows = 1;
    for (std::size_t d = 0; d + 1 < s.shape.size(); ++d) rows *= s.shape[d];
    return rows;
}

// Walks all rows of s in parallel, chunks of roughly `grain` elements per task.
template <int N, class F>
void parallel_rows(const StridedShape<N>& s, const std::array<index_t, N>& base, index_t grain,
                   F&& fn) {
    const index_t rows = row_count(s);
    const index_t len = s.shape.back();
    const index_t row_grain = std::max<index_t>(1, grain / std::max<index_t>(len, 1));
    if (rows == 1 && len >= 2 * grain) {
        // One long row: split the row itself.
        std::array<index_t, N> step;
        for (int i = 0; i < N; ++i) step[i] = s.strides[i][0];
        parallel_for(len, grain, [&](index_t begin, index_t end) {
            std::array<index_t, N> off = base;
            for (int i = 0; i < N; ++i) off[i] += begin * step[i];
            fn(off, end - begin, step);
        });
        return;
    }
    parallel_for(rows, row_grain,
                 [&](index_t begin, index_t end) { walk_rows<N>(s, base, begin, end, fn); });
}

}  // namespace tensile
