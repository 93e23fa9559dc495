import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import {
  type Shape,
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  sizeOf,
  stridesOf,
} from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { empty, expectTensor, sumToShape } from './util.js';

/**
 * Gives the same elements a new shape; one dimension may be -1 and is inferred. Shares storage
 * with x (tensors are never written after creation, so sharing is safe).
 *
 * @throws TensileError `shape_mismatch` when the sizes differ, naming both shapes.
 * @example
 * reshape(arange(6), [3, -1]); // shape [3, 2]: [[0, 1], [2, 3], [4, 5]]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'reshape');
  const target = resolveShape(x, shape);
  const out = new Tensor(x.values, target);
  return record(out, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

function resolveShape(x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) {
    throw invalidArgument(
      `reshape: the new shape must be an array of integers. Received: shape=${String(shape)}`,
    );
  }
  const target = shape.slice();
  const unknown = target.indexOf(-1);
  if (target.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== unknown))) {
    throw invalidArgument(
      `reshape: the new shape may hold non-negative integers and at most one -1. ` +
        `Received: shape=${fmtShape(shape)}`,
    );
  }
  if (unknown >= 0) {
    const known = sizeOf(target.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) {
      throw shapeMismatch(
        `reshape: cannot infer -1 in ${fmtShape(shape)} for a tensor of shape ` +
          `${fmtShape(x.shape)} (${x.size} elements).`,
      );
    }
    target[unknown] = x.size / known;
  }
  if (sizeOf(target) !== x.size) {
    throw shapeMismatch(
      `reshape: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${x.size} elements) ` +
        `into shape ${fmtShape(shape)} (${sizeOf(target)} elements).`,
    );
  }
  return target;
}

/**
 * Collapses axes startAxis..endAxis, both included (default: all of them), into one.
 *
 * @example
 * flatten(zeros([2, 3, 4]), { startAxis: 1 }).shape; // [2, 12]
 */
export function flatten(x: Tensor, options: { startAxis?: number; endAxis?: number } = {}): Tensor {
  expectTensor(x, 'flatten');
  if (x.rank === 0) return reshape(x, [1]);
  const start = normalizeAxis(options.startAxis ?? 0, x.rank, 'flatten');
  const end = normalizeAxis(options.endAxis ?? -1, x.rank, 'flatten');
  if (end < start) {
    throw invalidArgument(
      `flatten: endAxis must not come before startAxis. ` +
        `Received: startAxis=${start}, endAxis=${end}`,
    );
  }
  const shape = [
    ...x.shape.slice(0, start),
    sizeOf(x.shape.slice(start, end + 1)),
    ...x.shape.slice(end + 1),
  ];
  return reshape(x, shape);
}

/**
 * Permutes the axes: axis i of the result is axis perm[i] of x. The default reverses them.
 *
 * @throws TensileError `invalid_argument` when perm is not a permutation of 0..rank-1.
 * @example
 * transpose(zeros([2, 3, 4]), [1, 2, 0]).shape; // [3, 4, 2]
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  expectTensor(x, 'transpose');
  const rank = x.rank;
  if (perm !== undefined && !Array.isArray(perm)) {
    throw invalidArgument(`transpose: perm must be an array. Received: perm=${String(perm)}`);
  }
  const p =
    perm === undefined ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : perm.slice();
  const sorted = p.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (p.length !== rank || sorted.some((a, i) => a !== i)) {
    throw invalidArgument(
      `transpose: perm must be a permutation of 0..${rank - 1}. Received: perm=${fmtShape(p)}`,
    );
  }
  const axes = p.map((a) => (a < 0 ? a + rank : a));
  const out = permuteRaw(x, axes);
  const inverse = new Array<number>(rank);
  for (let i = 0; i < rank; i++) inverse[axes[i]!] = i;
  return record(out, 'transpose', [x], (dy) => [transpose(dy, inverse)]);
}

/** @internal The permuted copy, without recording a gradient. */
export function permuteRaw(x: Tensor, axes: readonly number[]): Tensor {
  const shape = axes.map((a) => x.shape[a]!);
  const out = empty(shape, x.dtype);
  const strides = stridesOf(x.shape);
  getBackend().copyStrided(
    x.values,
    0,
    axes.map((a) => strides[a]!),
    shape,
    out.values,
    0,
    stridesOf(shape),
  );
  return out;
}

/**
 * Inserts an axis of size 1 at `axis`, which may be negative (counted in the result).
 *
 * @example
 * expandDims(zeros([2, 3]), -1).shape; // [2, 3, 1]
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  expectTensor(x, 'expandDims');
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Removes axes of size 1: the given ones (an error if one is not 1), or all of them.
 *
 * @example
 * squeeze(zeros([1, 2, 1])).shape; // [2]
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  expectTensor(x, 'squeeze');
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const axes = normalizeAxes(axis, x.rank, 'squeeze');
  for (const a of axes) {
    if (x.shape[a] !== 1) {
      throw shapeMismatch(
        `squeeze: axis ${a} has size ${x.shape[a]}, not 1, in shape ${fmtShape(x.shape)}.`,
      );
    }
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/**
 * Repeats x along broadcast dimensions to `shape` (NumPy's broadcast_to); the gradient sums
 * over the repeats.
 *
 * @throws TensileError `shape_mismatch` naming both shapes when x cannot broadcast to shape.
 * @example
 * broadcastTo(tensor([[1], [2]]), [2, 3]); // [[1, 1, 1], [2, 2, 2]]
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'broadcastTo');
  checkShape(shape);
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (target.length !== shape.length || target.some((d, i) => d !== shape[i])) {
    throw shapeMismatch(
      `broadcastTo: shape ${fmtShape(x.shape)} cannot be broadcast to ${fmtShape(shape)}.`,
    );
  }
  const out = broadcastRaw(x, target);
  return record(out, 'broadcastTo', [x], (dy) => [sumToShape(dy, x.shape)]);
}

/** @internal The broadcast copy, without recording a gradient. */
export function broadcastRaw(x: Tensor, shape: Shape): Tensor {
  const out = empty(shape, x.dtype);
  getBackend().copyStrided(
    x.values,
    0,
    broadcastStrides(x.shape, shape),
    shape,
    out.values,
    0,
    stridesOf(shape),
  );
  return out;
}
