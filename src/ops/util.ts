import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument } from '../errors.js';
import { type DType, type DataArray, allocate, isFloat } from '../tensor/dtype.js';
import { type Shape, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor, or a plain number that takes the dtype of the tensor it meets. */
export type TensorLike = Tensor | number;

/** A new tensor of `shape` and `dtype` with zeroed storage, for a kernel to fill. */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

export function scalarOf(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Checks that `x` is a Tensor, naming the op and argument when it is not. */
export function expectTensor(x: unknown, op: string, arg = 'x'): Tensor {
  if (!(x instanceof Tensor)) {
    throw invalidArgument(
      `${op}: ${arg} must be a Tensor. Received: ${arg}=${describe(x)}. ` +
        `Wrap plain arrays with tensor(...).`,
    );
  }
  return x;
}

export function expectFloat(x: Tensor, op: string, arg = 'x'): void {
  if (!isFloat(x.dtype)) {
    throw invalidArgument(
      `${op} needs a float tensor. Received: ${arg} with dtype=${x.dtype}. ` +
        `Cast it with cast(x, 'float32').`,
    );
  }
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === 'object' ? String(x) : `${typeof x} ${String(x)}`;
}

/** Casts when needed; returns the same tensor when the dtype already matches. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.size);
  getBackend().cast(x.values, out);
  return new Tensor(out, x.shape);
}

/**
 * Sums a gradient over the dimensions that broadcasting added or stretched, so that it has
 * the input's shape again.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const rank = g.shape.length;
  const offset = rank - shape.length;
  // Reduce each maximal run of broadcast dimensions in one kernel call over (outer, r, inner).
  let current: DataArray = g.values;
  const curShape = g.shape.slice();
  for (let d = rank - 1; d >= 0; d--) {
    const target = d < offset ? 1 : shape[d - offset]!;
    if (curShape[d] === target) continue;
    if (target !== 1)
      throw invalidArgument(`internal: cannot sum ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
    let outer = 1;
    for (let i = 0; i < d; i++) outer *= curShape[i]!;
    let inner = 1;
    for (let i = d + 1; i < curShape.length; i++) inner *= curShape[i]!;
    const out = allocate(g.dtype, outer * inner);
    getBackend().reduce('sum', current, outer, curShape[d]!, inner, out);
    current = out;
    curShape[d] = 1;
  }
  return new Tensor(current, shape);
}

/** Allocates the typed array for a new tensor of a given dtype and size. */
export function allocateLike(x: Tensor): DataArray {
  return allocate(x.dtype, x.size);
}
