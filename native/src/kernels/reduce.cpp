// Reductions over the middle axis of (outer, r, inner), argmax / argmin, softmax and its
// gradient. Sums accumulate in double, as src/backend/js/reduce.ts does.
#include <cmath>
#include <limits>
#include <vector>

#include "dispatch.h"

namespace tensile {

namespace {

template <class T>
double combine(ReduceOp op, double acc, T v) {
    switch (op) {
        case ReduceOp::Sum: return acc + v;
        case ReduceOp::Prod: return acc * v;
        case ReduceOp::Max: return v > acc || v != v ? v : acc;
        case ReduceOp::Min: return v < acc || v != v ? v : acc;
    }
    return acc;
}

double initial(ReduceOp op) {
    switch (op) {
        case ReduceOp::Sum: return 0;
        case ReduceOp::Prod: return 1;
        case ReduceOp::Max: return -std::numeric_limits<double>::infinity();
        case ReduceOp::Min: return std::numeric_limits<double>::infinity();
    }
    return 0;
}

// A contiguous sum with eight partial sums, so the adds pipeline (and vectorize) instead of
// waiting on one another.
template <class T>
double sum_run(const T* x, index_t r) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    index_t j = 0;
    for (; j + 8 <= r; j += 8) {
        for (int u = 0; u < 8; ++u) s[u] += x[j + u];
    }
    double total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; j < r; ++j) total += x[j];
    return total;
}

template <class T>
void reduce_typed(ReduceOp op, const T* x, index_t outer, index_t r, index_t inner, T* out) {
    const double init = initial(op);
    if (inner == 1) {
        parallel_for(outer, std::max<index_t>(1, kCheapGrain / std::max<index_t>(r, 1)),
                     [&](index_t begin, index_t end) {
                         for (index_t o = begin; o < end; ++o) {
                             const T* row = x + o * r;
                             double acc = init;
                             if (op == ReduceOp::Sum) {
                                 acc = sum_run(row, r);
                             } else {
                                 for (index_t j = 0; j < r; ++j) acc = combine(op, acc, row[j]);
                             }
                             out[o] = static_cast<T>(acc);
                         }
                     });
        return;
    }
    // Rows of `inner` combine elementwise into a double accumulator; tasks split outer×inner.
    const index_t lines = outer * inner;
    parallel_for(lines, std::max<index_t>(1, kCheapGrain / std::max<index_t>(r, 1)),
                 [&](index_t begin, index_t end) {
                     std::vector<double> acc;
                     for (index_t o = begin / inner; o <= (end - 1) / inner; ++o) {
                         const index_t lo = std::max(begin, o * inner) - o * inner;
                         const index_t hi = std::min(end, (o + 1) * inner) - o * inner;
                         acc.assign(static_cast<std::size_t>(hi - lo), init);
                         for (index_t j = 0; j < r; ++j) {
                             const T* row = x + (o * r + j) * inner + lo;
                             double* a = acc.data();
                             const index_t w = hi - lo;
                             switch (op) {
                                 case ReduceOp::Sum:
                                     for (index_t i = 0; i < w; ++i) a[i] += row[i];
                                     break;
                                 case ReduceOp::Prod:
                                     for (index_t i = 0; i < w; ++i) a[i] *= row[i];
                                     break;
                                 default:
                                     for (index_t i = 0; i < w; ++i)
                                         a[i] = combine(op, a[i], row[i]);
                             }
                         }
                         T* dst = out + o * inner + lo;
                         for (index_t i = 0; i < hi - lo; ++i) dst[i] = static_cast<T>(acc[i]);
                     }
                 });
}

}  // namespace

void reduce(ReduceOp op, const Array& x, index_t outer, index_t r, index_t inner,
            const Array& out) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        T* o = as<T>(out);
        if (r == 0) {
            for (index_t i = 0; i < outer * inner; ++i) o[i] = static_cast<T>(initial(op));
            return;
        }
        reduce_typed<T>(op, as<T>(x), outer, r, inner, o);
    });
}

void arg_reduce(bool want_max, const Array& x, index_t outer, index_t r, index_t inner,
                std::int32_t* out) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* px = as<T>(x);
        parallel_for(outer * inner, std::max<index_t>(1, kCheapGrain / std::max<index_t>(r, 1)),
                     [&](index_t begin, index_t end) {
                         for (index_t t = begin; t < end; ++t) {
                             const index_t o = t / inner;
                             const index_t i = t % inner;
                             const T* line = px + o * r * inner + i;
                             T best = line[0];
                             std::int32_t index = 0;
                             for (index_t j = 1; j < r && best == best; ++j) {
                                 const T v = line[j * inner];
                                 if (v != v || (want_max ? v > best : v < best)) {
                                     best = v;
                                     index = static_cast<std::int32_t>(j);
                                 }
                             }
                             out[t] = index;
                         }
                     });
    });
}

void softmax(const Array& x, index_t outer, index_t r, index_t inner, const Array& out,
             bool log) {
    dispatch_float(x.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* px = as<T>(x);
        T* po = as<T>(out);
        parallel_for(outer * inner, std::max<index_t>(1, kCostlyGrain / std::max<index_t>(r, 1)),
                     [&](index_t begin, index_t end) {
                         for (index_t t = begin; t < end; ++t) {
                             const index_t base = (t / inner) * r * inner + t % inner;
                             const T* line = px + base;
                             T* dst = po + base;
                             T max = -std::numeric_limits<T>::infinity();
                             for (index_t j = 0; j < r; ++j) {
                                 if (line[j * inner] > max) max = line[j * inner];
                             }
                             // All -Infinity rows shift by 0, giving NaN as the maths says.
                             if (max == -std::numeric_limits<T>::infinity()) max = 0;
                             double sum = 0;
                             for (index_t j = 0; j < r; ++j) {
                                 const T e = std::exp(line[j * inner] - max);
                                 sum += e;
                                 if (!log) dst[j * inner] = e;
                             }
                             if (log) {
                                 const double lse = std::log(sum);
                                 for (index_t j = 0; j < r; ++j) {
                                     dst[j * inner] = static_cast<T>(line[j * inner] - max - lse);
                                 }
                             } else {
                                 const T inv = static_cast<T>(1 / sum);
                                 for (index_t j = 0; j < r; ++j) dst[j * inner] *= inv;
                             }
                         }
                     });
    });
}

void softmax_grad(const Array& y, const Array& dy, index_t outer, index_t r, index_t inner,
                  const Array& out, bool log) {
    dispatch_float(y.dtype, [&](auto zero) {
        using T = decltype(zero);
        const T* py = as<T>(y);
        const T* pdy = as<T>(dy);
        T* po = as<T>(out);
        parallel_for(outer * inner, std::max<index_t>(1, kCostlyGrain / std::max<index_t>(r, 1)),
                     [&](index_t begin, index_t end) {
                         for (index_t t = begin; t < end; ++t) {
                             const index_t base = (t / inner) * r * inner + t % inner;
                             double s = 0;
                             if (log) {
                                 for (index_t j = 0; j < r; ++j) s += pdy[base + j * inner];
                                 for (index_t j = 0; j < r; ++j) {
                                     const index_t k = base + j * inner;
                                     po[k] = static_cast<T>(pdy[k] - std::exp(py[k]) * s);
                                 }
                             } else {
                                 for (index_t j = 0; j < r; ++j) {
                                     s += static_cast<double>(pdy[base + j * inner]) *
                                          py[base + j * inner];
                                 }
                                 for (index_t j = 0; j < r; ++j) {
                                     const index_t k = base + j * inner;
                                     po[k] = static_cast<T>(py[k] * (pdy[k] - s));
                                 }
                             }
                         }
                     });
    });
}

}  // namespace tensile
