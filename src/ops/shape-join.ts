import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { promoteTypes } from '../tensor/dtype.js';
import { normalizeAxis, shapesEqual, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './elementwise.js';
import { disjointWindowsOf, windowRaw } from './window.js';
import { sum } from './reduction.js';
import { expandDims, reshape, squeeze } from './shape.js';
import { empty, expectTensor } from './util.js';

export interface AxisOptions {
  /** The axis to work along; negative counts from the end. Default 0. */
  axis?: number;
}

function expectTensorList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw invalidArgument(
      `${op} needs a non-empty array of tensors. Received: ` +
        `${Array.isArray(tensors) ? 'an empty array' : String(tensors)}`,
    );
  }
  tensors.forEach((t, i) => expectTensor(t, op, `tensors[${i}]`));
}

/**
 * Joins tensors along an existing axis. All must have the same rank and the same size on every
 * other axis; dtypes are promoted to the widest (bool < int32 < float32 < float64).
 *
 * @param tensors one or more tensors of rank 1 or more.
 * @param options `axis` (default 0).
 * @throws TensileError `shape_mismatch` naming the first two shapes that disagree.
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4]])], { axis: 0 }); // [[1, 2], [3, 4]]
 */
export function concat(tensors: readonly Tensor[], options: AxisOptions = {}): Tensor {
  expectTensorList(tensors, 'concat');
  const first = tensors[0]!;
  if (first.rank === 0) {
    throw invalidArgument(
      'concat: cannot join scalars (shape []) along an axis. Use stack to make a new axis.',
    );
  }
  const axis = normalizeAxis(options.axis ?? 0, first.rank, 'concat');
  let total = 0;
  for (const [i, t] of tensors.entries()) {
    const fits =
      t.rank === first.rank && t.shape.every((d, j) => j === axis || d === first.shape[j]);
    if (!fits) {
      throw shapeMismatch(
        `concat: tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has shape ` +
          `${fmtShape(first.shape)}; along axis ${axis} all sizes but that axis must match.`,
      );
    }
    total += t.shape[axis]!;
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const inputs = tensors.map((t) => cast(t, dtype));
  const shape = first.shape.slice();
  shape[axis] = total;
  const out = empty(shape, dtype);
  const outStrides = stridesOf(shape);
  const offsets: number[] = [];
  let offset = 0;
  for (const t of inputs) {
    offsets.push(offset);
    getBackend().copyStrided(
      t.values,
      0,
      stridesOf(t.shape),
      t.shape,
      out.values,
      offset * outStrides[axis]!,
      outStrides,
    );
    offset += t.shape[axis]!;
  }
  const ones = new Array<number>(shape.length).fill(1);
  return record(out, 'concat', inputs, (dy) =>
    inputs.map((t, i) => {
      const starts = new Array<number>(shape.length).fill(0);
      starts[axis] = offsets[i]!;
      return windowRaw(dy, starts, ones, t.shape);
    }),
  );
}

/**
 * Joins tensors of one shape along a new axis, which may be -(rank+1)..rank.
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], options: AxisOptions = {}): Tensor {
  expectTensorList(tensors, 'stack');
  const first = tensors[0]!;
  for (const [i, t] of tensors.entries()) {
    if (!shapesEqual(t.shape, first.shape)) {
      throw shapeMismatch(
        `stack: tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has shape ` +
          `${fmtShape(first.shape)}; all must have the same shape.`,
      );
    }
  }
  const axis = normalizeAxis(options.axis ?? 0, first.rank + 1, 'stack');
  return concat(
    tensors.map((t) => expandDims(t, axis)),
    { axis },
  );
}

/**
 * Splits x along `axis` into `numOrSizes` equal parts (which must divide the axis), or into
 * parts of the given sizes (TensorFlow's convention: sizes, not split points; one size may be
 * -1 and takes the rest). Each part's gradient flows back into its place in x.
 *
 * @returns the parts, in order.
 * @example
 * split(arange(5), [2, -1]); // [arange(0, 2), arange(2, 5)]
 */
export function split(
  x: Tensor,
  numOrSizes: number | readonly number[],
  options: AxisOptions = {},
): Tensor[] {
  expectTensor(x, 'split');
  if (x.rank === 0) throw invalidArgument('split: x must have rank 1 or more. Received: shape [].');
  const axis = normalizeAxis(options.axis ?? 0, x.rank, 'split');
  const n = x.shape[axis]!;
  const sizes = splitSizes(numOrSizes, n, x, axis);
  const windows: { starts: number[]; shape: number[] }[] = [];
  let offset = 0;
  for (const size of sizes) {
    const starts = new Array<number>(x.rank).fill(0);
    starts[axis] = offset;
    const shape = x.shape.slice();
    shape[axis] = size;
    windows.push({ starts, shape });
    offset += size;
  }
  return disjointWindowsOf(x, windows, 'split');
}

function splitSizes(
  numOrSizes: number | readonly number[],
  n: number,
  x: Tensor,
  axis: number,
): number[] {
  const where = `axis ${axis} of shape ${fmtShape(x.shape)} (size ${n})`;
  if (typeof numOrSizes === 'number') {
    const k = numOrSizes;
    if (!Number.isInteger(k) || k < 1 || n % k !== 0) {
      throw invalidArgument(
        `split: cannot split ${where} into ${k} equal parts. Pass a positive divisor of ${n}, ` +
          `or an array of sizes.`,
      );
    }
    return new Array<number>(k).fill(n / k);
  }
  const shown = `sizes=${JSON.stringify(numOrSizes)}`;
  if (!Array.isArray(numOrSizes) || numOrSizes.some((s) => !Number.isInteger(s) || s < -1)) {
    throw invalidArgument(
      `split: sizes must be non-negative integers (one may be -1). Received: ${shown}`,
    );
  }
  const sizes = numOrSizes.slice();
  const unknown = sizes.indexOf(-1);
  if (unknown !== sizes.lastIndexOf(-1)) {
    throw invalidArgument(`split: at most one size may be -1. Received: ${shown}`);
  }
  const known = sizes.reduce((acc, s) => acc + (s === -1 ? 0 : s), 0);
  if (unknown >= 0 && known <= n) sizes[unknown] = n - known;
  if (sizes.reduce((a, b) => a + b, 0) !== n || (unknown >= 0 && known > n)) {
    throw shapeMismatch(`split: ${shown} do not add up to the size of ${where}.`);
  }
  return sizes;
}

/**
 * Splits x along `axis` into its slices, removing that axis.
 *
 * @example
 * unstack(tensor([[1, 2], [3, 4]])); // [tensor([1, 2]), tensor([3, 4])]
 */
export function unstack(x: Tensor, options: AxisOptions = {}): Tensor[] {
  expectTensor(x, 'unstack');
  if (x.rank === 0)
    throw invalidArgument('unstack: x must have rank 1 or more. Received: shape [].');
  const axis = normalizeAxis(options.axis ?? 0, x.rank, 'unstack');
  if (x.shape[axis] === 0) return [];
  return split(x, x.shape[axis]!, { axis }).map((part) => squeeze(part, axis));
}

/**
 * Repeats x `reps[i]` times along axis i (NumPy's tile: when reps and x differ in length, the
 * shorter is padded with leading 1s). The gradient sums the copies.
 *
 * @example
 * tile(tensor([1, 2]), [2]); // [1, 2, 1, 2]
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  expectTensor(x, 'tile');
  if (!Array.isArray(reps) || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw invalidArgument(
      `tile: reps must be an array of non-negative integers, one per axis of x (shape ` +
        `${fmtShape(x.shape)}). Received: reps=${JSON.stringify(reps)}`,
    );
  }
  const rank = Math.max(x.rank, reps.length);
  const dims = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  const shape = dims.map((d, i) => d * r[i]!);
  // View the result as (r0, d0, r1, d1, ...): the source walks each rep with stride 0.
  const outStrides = stridesOf(shape);
  const srcStrides = stridesOf(dims);
  const viewShape: number[] = [];
  const viewSrc: number[] = [];
  const viewDst: number[] = [];
  for (let i = 0; i < rank; i++) {
    viewShape.push(r[i]!, dims[i]!);
    viewSrc.push(0, srcStrides[i]!);
    viewDst.push(dims[i]! * outStrides[i]!, outStrides[i]!);
  }
  const out = empty(shape, x.dtype);
  getBackend().copyStrided(x.values, 0, viewSrc, viewShape, out.values, 0, viewDst);
  return record(out, 'tile', [x], (dy) => {
    const evens = Array.from({ length: rank }, (_, i) => 2 * i);
    return [reshape(sum(reshape(dy, viewShape), { axis: evens }), x.shape)];
  });
}
