import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { type Shape, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { castTo, empty } from './util.js';

// Strided windows into a tensor: slice, stridedSlice, split, pad and concat are all a window
// copied out of a tensor (windowRaw) or its adjoint, a tensor written into a window of a larger
// one (unwindowRaw). Both are one copyStrided call. Not exported from the package.

/**
 * Copies the strided window of x that starts at `starts` and steps by `steps` (which
 * may be negative) along each axis into a new contiguous tensor of `shape`.
 */
export function windowRaw(
  x: Tensor,
  starts: readonly number[],
  steps: readonly number[],
  shape: Shape,
): Tensor {
  const out = empty(shape, x.dtype);
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let i = 0; i < x.rank; i++) offset += starts[i]! * strides[i]!;
  getBackend().copyStrided(
    x.values,
    offset,
    strides.map((s, i) => s * steps[i]!),
    shape,
    out.values,
    0,
    stridesOf(shape),
  );
  return out;
}

/**
 * The adjoint of windowRaw: a tensor of `shape` filled with `fill`, with `w` written
 * into the window at `starts` / `steps`. It is slice's gradient and pad's forward pass.
 */
export function unwindowRaw(
  w: Tensor,
  shape: Shape,
  starts: readonly number[],
  steps: readonly number[],
  fill = 0,
): Tensor {
  const out = empty(shape, w.dtype);
  if (fill !== 0) out.values.fill(fill);
  const strides = stridesOf(shape);
  let offset = 0;
  for (let i = 0; i < shape.length; i++) offset += starts[i]! * strides[i]!;
  getBackend().copyStrided(
    w.values,
    0,
    stridesOf(w.shape),
    w.shape,
    out.values,
    offset,
    strides.map((s, i) => s * steps[i]!),
  );
  return out;
}

/** A recorded window of x: the building block of slice and stridedSlice. */
export function windowOf(
  x: Tensor,
  starts: readonly number[],
  steps: readonly number[],
  shape: Shape,
  op: string,
): Tensor {
  const out = windowRaw(x, starts, steps, shape);
  return record(out, op, [x], (dy) => [unwindowRaw(dy, x.shape, starts, steps)]);
}

/**
 * Several disjoint windows of x as separate tensors (split, unstack), sharing one gradient.
 *
 * Recording each window against x would make every part's backward build a zero tensor of x's
 * full size, so k parts cost k·size. Instead the parts hang off one scalar node between them
 * and x: each part's backward writes its gradient into a buffer of x's shape (the windows are
 * disjoint, so writes never overlap) and passes a zero scalar on; the engine runs the scalar
 * node after all of its children, and its backward hands the buffer to x. Total cost: size.
 */
export function disjointWindowsOf(
  x: Tensor,
  windows: readonly { starts: readonly number[]; shape: Shape }[],
  op: string,
): Tensor[] {
  const steps = new Array<number>(x.rank).fill(1);
  const strides = stridesOf(x.shape);
  let buffer: Tensor | null = null;
  const joint = record(empty([], x.dtype), op, [x], () => {
    const g = buffer ?? empty(x.shape, x.dtype);
    buffer = null; // a later backward (retainGraph) starts from zeros again
    return [g];
  });
  return windows.map(({ starts, shape }) => {
    const part = windowRaw(x, starts, steps, shape);
    return record(part, op, [joint], (dy) => {
      buffer ??= empty(x.shape, x.dtype);
      let offset = 0;
      for (let i = 0; i < x.rank; i++) offset += starts[i]! * strides[i]!;
      const g = castTo(dy, x.dtype).values;
      getBackend().copyStrided(g, 0, stridesOf(shape), shape, buffer.values, offset, strides);
      return [empty([], x.dtype)];
    });
  });
}
