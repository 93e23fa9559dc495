import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { type FloatArray, allocate } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

export interface ClipOptions {
  clipnorm: number | null;
  clipvalue: number | null;
  globalClipnorm: number | null;
}

/**
 * The gradients as arrays of their variables' dtype, clipped as Keras 3 does: `clipnorm` scales
 * each gradient by clipnorm / max(‖g‖, clipnorm); `globalClipnorm` scales all of them by
 * clipnorm·min(1/‖all‖, 1/clipnorm) (NaN when the norm is not finite, so the step shows the
 * problem instead of hiding it); `clipvalue` clamps each element. A zero setting is off.
 * The caller's gradient tensors are never modified: clipping works on copies, kept in `scratch`
 * (one buffer per variable, reused every step).
 */
export function clipGradients(
  pairs: ReadonlyArray<readonly [Tensor, Variable]>,
  options: ClipOptions,
  optimizer: string,
  scratch: Map<Variable, FloatArray>,
): FloatArray[] {
  const clipping =
    (options.clipnorm ?? 0) > 0 ||
    (options.clipvalue ?? 0) > 0 ||
    (options.globalClipnorm ?? 0) > 0;
  const grads = pairs.map(([g, v]) => gradientValues(g, v, optimizer, clipping, scratch));

  if (options.clipnorm !== null && options.clipnorm > 0) {
    const c = options.clipnorm;
    for (const g of grads) {
      const norm = Math.sqrt(sumOfSquares(g));
      scale(g, c / Math.max(norm, c));
    }
  } else if (options.globalClipnorm !== null && options.globalClipnorm > 0) {
    const c = options.globalClipnorm;
    let total = 0;
    for (const g of grads) total += sumOfSquares(g);
    const norm = Math.sqrt(total);
    // (norm − norm) is NaN for an infinite or NaN norm and 0 otherwise, as in Keras.
    const factor = c * Math.min(1 / norm, 1 / c) + (norm - norm);
    for (const g of grads) scale(g, factor);
  } else if (options.clipvalue !== null && options.clipvalue > 0) {
    const c = options.clipvalue;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i]!, -c), c);
    }
  }
  return grads;
}

/** Checks that `g` is a Tensor of `v`'s shape, naming the variable when it is not. */
export function checkGradient(g: Tensor, v: Variable, optimizer: string): void {
  if (!(g instanceof Tensor)) {
    throw invalidArgument(
      `${optimizer}: applyGradients needs [gradient, Variable] pairs. Received: ` +
        `gradient=${String(g)} for variable ${v.name ?? ''}. ` +
        `Variables without a gradient should be left out.`,
    );
  }
  if (!shapesEqual(g.shape, v.shape)) {
    throw shapeMismatch(
      `${optimizer}: the gradient for ${v.name ?? 'a variable'} has shape ${fmtShape(g.shape)}, ` +
        `but the variable has shape ${fmtShape(v.shape)}.`,
    );
  }
}

function gradientValues(
  g: Tensor,
  v: Variable,
  optimizer: string,
  copy: boolean,
  scratch: Map<Variable, FloatArray>,
): FloatArray {
  checkGradient(g, v, optimizer);
  if (!copy && g.dtype === v.dtype) return g.values as FloatArray;
  let out = scratch.get(v);
  if (out === undefined || out.length !== v.size) {
    out = allocate(v.dtype, v.size) as FloatArray;
    scratch.set(v, out);
  }
  out.set(g.values);
  return out;
}

function sumOfSquares(g: FloatArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}

function scale(g: FloatArray, factor: number): void {
  if (factor === 1) return;
  for (let i = 0; i < g.length; i++) g[i] = g[i]! * factor;
}
