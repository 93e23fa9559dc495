import type { FloatArray } from '../../tensor/dtype.js';
import type { AdamParams, SgdParams } from '../backend.js';

/** Keras 3's Adam update (see AdamParams), one pass over the parameter. */
export function adamUpdate(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vMax: FloatArray | null,
  h: AdamParams,
): void {
  const { beta1, beta2, epsilon } = h;
  const alpha = (h.lr * Math.sqrt(1 - Math.pow(beta2, h.step))) / (1 - Math.pow(beta1, h.step));
  const decay = h.lr * h.weightDecay;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    let vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    if (vMax !== null) {
      if (vMax[i]! > vi) vi = vMax[i]!;
      vMax[i] = vi;
    }
    let pi = p[i]!;
    if (decay !== 0) pi -= pi * decay;
    p[i] = pi - (alpha * mi) / (Math.sqrt(vi) + epsilon);
  }
}

export function sgdUpdate(
  p: FloatArray,
  g: FloatArray,
  velocity: FloatArray | null,
  h: SgdParams,
): void {
  const { lr, momentum } = h;
  const n = p.length;
  if (velocity === null) {
    for (let i = 0; i < n; i++) p[i] = p[i]! - lr * g[i]!;
    return;
  }
  for (let i = 0; i < n; i++) {
    const vi = momentum * velocity[i]! - lr * g[i]!;
    velocity[i] = vi;
    p[i] = h.nesterov ? p[i]! + momentum * vi - lr * g[i]! : p[i]! + vi;
  }
}
