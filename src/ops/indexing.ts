import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { type DType, type FloatArray, allocate, checkDType } from '../tensor/dtype.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { empty, expectTensor } from './util.js';
import { unwindowRaw, windowOf, windowRaw } from './window.js';

/**
 * The block of x that starts at `begin` and has `size` elements along each axis (TensorFlow's
 * slice, Keras' `ops.slice`). A size of -1 takes everything to the end of that axis.
 *
 * @param x the tensor to cut from.
 * @param begin the first index along each axis; one entry per axis, each in [0, dim].
 * @param size the extent along each axis, or -1 for "to the end"; one entry per axis.
 * @returns a new tensor of shape `size` (with -1 resolved).
 * @throws TensileError `invalid_argument` when begin or size is malformed, `shape_mismatch`
 *   when the block does not fit inside x.
 * @example
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, -1]); // [[2, 3], [5, 6]]
 */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  expectTensor(x, 'slice');
  const shown = `begin=${JSON.stringify(begin)}, size=${JSON.stringify(size)}`;
  if (!Array.isArray(begin) || !Array.isArray(size)) {
    throw invalidArgument(`slice: begin and size must be arrays of integers. Received: ${shown}`);
  }
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw invalidArgument(
      `slice: begin and size need one entry per axis of x (rank ${x.rank}, shape ` +
        `${fmtShape(x.shape)}). Received: ${shown}`,
    );
  }
  const shape = new Array<number>(x.rank);
  for (let i = 0; i < x.rank; i++) {
    const b = begin[i]!;
    const s = size[i]!;
    const dim = x.shape[i]!;
    if (!Number.isInteger(b) || b < 0 || !Number.isInteger(s) || s < -1) {
      throw invalidArgument(
        `slice: begin entries must be non-negative integers and size entries non-negative ` +
          `integers or -1. Received: ${shown}`,
      );
    }
    shape[i] = s === -1 ? dim - b : s;
    if (b > dim || b + shape[i]! > dim) {
      throw shapeMismatch(
        `slice: the block ${shown} does not fit in a tensor of shape ${fmtShape(x.shape)} ` +
          `(axis ${i} has ${dim} elements).`,
      );
    }
  }
  return windowOf(x, begin, new Array<number>(x.rank).fill(1), shape, 'slice');
}

export interface StridedSliceSpec {
  /**
   * Start index per axis, negative from the end. null or missing: the first element (the last
   * when stepping backwards).
   */
  begin?: readonly (number | null)[];
  /**
   * Stop index per axis, exclusive, negative from the end. null or missing: past the last element
   * (before the first when stepping backwards).
   */
  end?: readonly (number | null)[];
  /** Step per axis, non-zero and possibly negative; 1 when missing. */
  strides?: readonly number[];
}

/**
 * Python-style slicing, `x[b0:e0:s0, b1:e1:s1, ...]`: out-of-range bounds are clamped, negative
 * bounds count from the end, negative strides walk backwards, and axes beyond the given lists
 * are kept whole.
 *
 * @example
 * stridedSlice(arange(6), { begin: [null], end: [null], strides: [-2] }); // [5, 3, 1]
 */
export function stridedSlice(x: Tensor, spec: StridedSliceSpec): Tensor {
  expectTensor(x, 'stridedSlice');
  const begin = spec.begin ?? [];
  const end = spec.end ?? [];
  const strides = spec.strides ?? [];
  const given = Math.max(begin.length, end.length, strides.length);
  if (given > x.rank) {
    throw invalidArgument(
      `stridedSlice: more entries than axes for a tensor of shape ${fmtShape(x.shape)}. ` +
        `Received: begin=${JSON.stringify(begin)}, end=${JSON.stringify(end)}, ` +
        `strides=${JSON.stringify(strides)}`,
    );
  }
  const starts: number[] = [];
  const steps: number[] = [];
  const shape: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const n = x.shape[i]!;
    const step = strides[i] ?? 1;
    const b = begin[i] ?? null;
    const e = end[i] ?? null;
    if (!Number.isInteger(step) || step === 0 || (b !== null && !Number.isInteger(b))) {
      throw invalidArgument(
        `stridedSlice: begin and end entries must be integers or null, strides non-zero ` +
          `integers. Received on axis ${i}: begin=${b}, end=${e}, stride=${step}`,
      );
    }
    if (e !== null && !Number.isInteger(e)) {
      throw invalidArgument(
        `stridedSlice: end entries must be integers or null. Received: end=${e}`,
      );
    }
    // Python's slice.indices: clamp into [0, n] going forward, into [-1, n-1] going back.
    const lo = step > 0 ? 0 : -1;
    const hi = step > 0 ? n : n - 1;
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const start = b === null ? (step > 0 ? 0 : n - 1) : clamp(b);
    const stop = e === null ? (step > 0 ? n : -1) : clamp(e);
    const len = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
    starts.push(len > 0 ? start : 0);
    steps.push(step);
    shape.push(Math.max(len, 0));
  }
  return windowOf(x, starts, steps, shape, 'stridedSlice');
}

export interface PadOptions {
  /**
   * 'constant' (default) fills with `constantValue`; 'reflect' mirrors around the edge element
   * ([1,2,3] → [3,2,1,2,3]); 'symmetric' mirrors including it ([1,2,3] → [2,1,1,2,3]). Padding
   * wider than the axis keeps mirroring, as NumPy's pad does.
   */
  mode?: 'constant' | 'reflect' | 'symmetric';
  /** The value written into the padding in 'constant' mode. Default 0. */
  constantValue?: number;
}

/**
 * Pads axis i with `paddings[i] = [before, after]` elements: a constant, or a mirror image of x
 * (Keras' `ops.pad`, NumPy's `pad`). The gradient is the gradient of the unpadded part, plus, in
 * the mirror modes, that of each mirrored copy.
 *
 * @param paddings one `[before, after]` pair of non-negative integers per axis.
 * @param options `mode` ('constant', 'reflect' or 'symmetric'; default 'constant') and
 *   `constantValue` (default 0).
 * @throws TensileError `invalid_argument` for malformed paddings or mode, or mirror padding of
 *   an empty axis.
 * @example
 * pad(tensor([1, 2]), [[1, 2]]); // [0, 1, 2, 0, 0]
 * pad(tensor([1, 2, 3]), [[2, 0]], { mode: 'reflect' }); // [3, 2, 1, 2, 3]
 */
export function pad(
  x: Tensor,
  paddings: readonly (readonly [number, number])[],
  options: PadOptions = {},
): Tensor {
  expectTensor(x, 'pad');
  const valid =
    Array.isArray(paddings) &&
    paddings.length === x.rank &&
    paddings.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
    );
  if (!valid) {
    throw invalidArgument(
      `pad: paddings must hold one [before, after] pair of non-negative integers per axis of x ` +
        `(shape ${fmtShape(x.shape)}). Received: paddings=${JSON.stringify(paddings)}`,
    );
  }
  const mode = options.mode ?? 'constant';
  if (mode === 'reflect' || mode === 'symmetric') return mirrorPad(x, paddings, mode);
  if (mode !== 'constant') {
    throw invalidArgument(
      `pad: mode must be 'constant', 'reflect' or 'symmetric'. Received: mode=${String(mode)}`,
    );
  }
  const constantValue = options.constantValue ?? 0;
  if (typeof constantValue !== 'number') {
    throw invalidArgument(
      `pad: constantValue must be a number. Received: ${String(constantValue)}`,
    );
  }
  const starts = paddings.map((p) => p[0]);
  const ones = new Array<number>(x.rank).fill(1);
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = unwindowRaw(x, shape, starts, ones, constantValue);
  return record(out, 'pad', [x], (dy) => [windowRaw(dy, starts, ones, x.shape)]);
}

/** Mirror padding as one gather per padded axis, which also gives it its gradient. */
function mirrorPad(
  x: Tensor,
  paddings: readonly (readonly [number, number])[],
  mode: 'reflect' | 'symmetric',
): Tensor {
  let out = x;
  paddings.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = x.shape[axis]!;
    if (n === 0) {
      throw invalidArgument(
        `pad: cannot ${mode}-pad axis ${axis}, which is empty in shape ${fmtShape(x.shape)}.`,
      );
    }
    // Source index of each output position p - before, by the periodic mirror extension.
    const period = mode === 'reflect' ? 2 * (n - 1) : 2 * n;
    const idx = new Int32Array(before + n + after);
    for (let p = 0; p < idx.length; p++) {
      if (period === 0) continue;
      const m = (((p - before) % period) + period) % period;
      idx[p] = m < n ? m : mode === 'reflect' ? period - m : period - 1 - m;
    }
    out = gather(out, new Tensor(idx, [idx.length]), { axis });
  });
  return out === x
    ? windowOf(
        x,
        new Array<number>(x.rank).fill(0),
        new Array<number>(x.rank).fill(1),
        x.shape,
        'pad',
      )
    : out;
}

/** Converts an index tensor to int32, checking every value is an integer. */
function indexValues(indices: Tensor, op: string): Int32Array {
  if (indices.dtype === 'int32') return indices.values as Int32Array;
  const v = indices.values;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || indices.dtype === 'bool') {
      throw invalidArgument(
        `${op}: indices must be integers (an int32 tensor). Received: indices with ` +
          `dtype=${indices.dtype} holding ${v[i]}. Use cast(indices, 'int32').`,
      );
    }
    out[i] = v[i]!;
  }
  return out;
}

export interface GatherOptions {
  /** The axis of x to index. Default 0. */
  axis?: number;
}

/**
 * Picks slices of x along `axis` by index (TensorFlow's gather, NumPy's take). The result has
 * shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Negative indices count from the
 * end, as in NumPy (-1 is the last); indices outside [-n, n) are an error. Repeated indices
 * add their gradients.
 *
 * @param indices an integer tensor of any shape (int32, or float holding integers).
 * @throws TensileError `invalid_argument` naming the first out-of-range index.
 * @example
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), tensor([2, 0], { dtype: 'int32' })); // [[5, 6], [1, 2]]
 */
export function gather(x: Tensor, indices: Tensor, options: GatherOptions = {}): Tensor {
  expectTensor(x, 'gather');
  expectTensor(indices, 'gather', 'indices');
  if (x.rank === 0) {
    throw invalidArgument(`gather: x must have rank 1 or more. Received: x with shape [].`);
  }
  const axis = normalizeAxis(options.axis ?? 0, x.rank, 'gather');
  const n = x.shape[axis]!;
  const raw = indexValues(indices, 'gather');
  let idx = raw;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (v < -n || v >= n) {
      throw invalidArgument(
        `gather: index ${v} (at flat position ${i} of indices) is out of range for axis ${axis} ` +
          `of x with shape ${fmtShape(x.shape)}. Use indices in [${-n}, ${n - 1}].`,
      );
    }
    if (v < 0) {
      if (idx === raw) idx = raw.slice();
      idx[i] = v + n;
    }
  }
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = empty(shape, x.dtype);
  getBackend().gather(x.values, idx, outer, n, inner, out.values);
  return record(out, 'gather', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    const g = dy.dtype === x.dtype ? dy.values : allocate(x.dtype, dy.size);
    if (g !== dy.values) g.set(dy.values);
    getBackend().gatherGrad(g as FloatArray, idx, outer, n, inner, dx.values as FloatArray);
    return [dx];
  });
}

export interface OneHotOptions {
  /** The value at each index. Default 1. */
  onValue?: number;
  /** The value everywhere else. Default 0. */
  offValue?: number;
  /** The result's dtype. Default float32. */
  dtype?: DType;
}

/**
 * One-hot encodes integer indices along a new last axis of length `depth`. As in TensorFlow, an
 * index outside [0, depth), negative ones included, gives a row of `offValue`. Not
 * differentiable (its input is an index).
 *
 * @example
 * oneHot(tensor([0, 2], { dtype: 'int32' }), 3); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, depth: number, options: OneHotOptions = {}): Tensor {
  expectTensor(indices, 'oneHot', 'indices');
  if (!Number.isInteger(depth) || depth < 0) {
    throw invalidArgument(`oneHot: depth must be a non-negative integer. Received: depth=${depth}`);
  }
  const dtype = checkDType(options.dtype ?? 'float32');
  const on = options.onValue ?? 1;
  const off = options.offValue ?? 0;
  const idx = indexValues(indices, 'oneHot');
  const out = empty([...indices.shape, depth], dtype);
  const v = out.values;
  if (off !== 0) v.fill(off);
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i]!;
    if (k >= 0 && k < depth) v[i * depth + k] = on;
  }
  out.op = 'oneHot';
  return out;
}
