// Adam / AdamW and SGD as one fused pass over each parameter, following
// src/backend/js/optim.ts (Keras 3's update rules, see AdamParams and SgdParams).
#include <cmath>

#include "dispatch.h"

namespace tensile {

namespace {

// The arithmetic is in double whatever T is, exactly as the TypeScript loop does, so both
// backends take bit-identical steps (binding.gyp builds with -ffp-contract=off, so no multiply
// and add are fused into an FMA that JavaScript would round twice).
template <class T>
void adam_typed(T* p, const T* g, T* m, T* v, T* v_max, index_t n, const AdamParams& h) {
    const double alpha =
        h.lr * std::sqrt(1 - std::pow(h.beta2, h.step)) / (1 - std::pow(h.beta1, h.step));
    const double b1 = h.beta1, b2 = h.beta2, eps = h.epsilon;
    const double decay = h.lr * h.weight_decay;
    parallel_vectorized(
        n, kCheapGrain, [&](index_t begin, index_t end) __attribute__((always_inline)) {
            for (index_t i = begin; i < end; ++i) {
                const double gi = g[i];
                const double mi = b1 * m[i] + (1 - b1) * gi;
                double vi = b2 * v[i] + (1 - b2) * gi * gi;
                m[i] = static_cast<T>(mi);
                v[i] = static_cast<T>(vi);
                if (v_max != nullptr) {
                    if (v_max[i] > vi) vi = v_max[i];
                    v_max[i] = static_cast<T>(vi);
                }
                double pi = p[i];
                if (decay != 0) pi -= pi * decay;
                p[i] = static_cast<T>(pi - alpha * mi / (std::sqrt(vi) + eps));
            }
        });
}

template <class T>
void sgd_typed(T* p, const T* g, T* velocity, index_t n, const SgdParams& h) {
    const double lr = h.lr, mom = h.momentum;
    const bool nesterov = h.nesterov;
    parallel_vectorized(
        n, kCheapGrain, [&](index_t begin, index_t end) __attribute__((always_inline)) {
            if (velocity == nullptr) {
                for (index_t i = begin; i < end; ++i) p[i] = static_cast<T>(p[i] - lr * g[i]);
                return;
            }
            for (index_t i = begin; i < end; ++i) {
                const double vi = mom * velocity[i] - lr * g[i];
                velocity[i] = static_cast<T>(vi);
                p[i] = static_cast<T>(nesterov ? p[i] + mom * vi - lr * g[i] : p[i] + vi);
            }
        });
}

}  // namespace

void adam_update(const Array& p, const Array& g, const Array& m, const Array& v,
                 const Array* v_max, const AdamParams& h) {
    dispatch_float(p.dtype, [&](auto zero) {
        using T = decltype(zero);
        adam_typed<T>(as<T>(p), as<T>(g), as<T>(m), as<T>(v),
                      v_max == nullptr ? nullptr : as<T>(*v_max), p.length, h);
    });
}

void sgd_update(const Array& p, const Array& g, const Array* velocity, const SgdParams& h) {
    dispatch_float(p.dtype, [&](auto zero) {
        using T = decltype(zero);
        sgd_typed<T>(as<T>(p), as<T>(g), velocity == nullptr ? nullptr : as<T>(*velocity),
                     p.length, h);
    });
}

}  // namespace tensile
