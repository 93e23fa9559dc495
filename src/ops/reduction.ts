import { noGrad, record } from '../autograd/engine.js';
import type { ReduceOp } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { TensileError, invalidArgument } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import { normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  abs,
  add,
  cast,
  div,
  equal,
  log,
  mul,
  sqrt,
  square,
  sub,
  where,
  exp,
  logicalNot,
  notEqual,
  pow,
} from './elementwise.js';
import { broadcastRaw, permuteRaw, reshape } from './shape.js';
import { castTo, empty, expectTensor } from './util.js';

export interface ReduceOptions {
  /** The axes to reduce; all of them when omitted. Negative axes count from the end. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1, so the result broadcasts against the input. */
  keepDims?: boolean;
}

interface Plan {
  axes: number[];
  keptShape: number[]; // the result's shape with keepDims
  outShape: number[];
  count: number; // elements combined into each output
}

function plan(x: Tensor, options: ReduceOptions, op: string): Plan {
  const axes = normalizeAxes(options.axis, x.rank, op);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = options.keepDims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  return { axes, keptShape, outShape, count };
}

/**
 * Runs a reduce kernel over `axes`. Contiguous axes are one (outer, r, inner) view of the
 * storage; scattered axes are first moved to the end by one permuted copy.
 */
function reduceRaw(op: ReduceOp, x: Tensor, p: Plan, dtype = x.dtype): Tensor {
  const out = empty(p.outShape, dtype);
  let source = x;
  let first = p.axes[0] ?? x.rank;
  let last = p.axes[p.axes.length - 1] ?? x.rank - 1;
  if (p.axes.length > 0 && last - first + 1 !== p.axes.length) {
    const kept = x.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
    source = permuteRaw(x, [...kept, ...p.axes]);
    first = kept.length;
    last = x.rank - 1;
  }
  let outer = 1;
  for (let i = 0; i < first; i++) outer *= source.shape[i]!;
  let inner = 1;
  for (let i = last + 1; i < source.rank; i++) inner *= source.shape[i]!;
  const values = dtype === x.dtype ? source.values : castTo(source, dtype).values;
  getBackend().reduce(op, values, outer, p.count, inner, out.values);
  return out;
}

/**
 * Sum over `axis` (all axes by default). Bool and int32 inputs sum in int32; floats accumulate
 * in float64. The sum over an empty axis is 0.
 *
 * @param options `axis` (one or several, negative from the end; all when omitted) and
 *   `keepDims` (default false: reduced axes are removed).
 * @throws TensileError `invalid_argument` for an out-of-range or repeated axis.
 * @example
 * sum(tensor([[1, 2], [3, 4]]), { axis: 0 }); // [4, 6]
 * sum(tensor([[1, 2], [3, 4]]), { axis: -1, keepDims: true }); // [[3], [7]]
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'sum');
  const p = plan(x, options, 'sum');
  const out = reduceRaw('sum', x, p, x.dtype === 'bool' ? 'int32' : x.dtype);
  return record(out, 'sum', [x], (dy) => [broadcastRaw(reshape(dy, p.keptShape), x.shape)]);
}

/**
 * Arithmetic mean over axes (see sum for the options); integer inputs give float32. The mean
 * over an empty axis is NaN, as in NumPy.
 *
 * @example
 * mean(tensor([[1, 2], [3, 4]]), { axis: [0, 1] }); // 2.5
 */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'mean');
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  return div(sum(xf, options), plan(xf, options, 'mean').count);
}

function extremum(op: 'max' | 'min', x: Tensor, options: ReduceOptions): Tensor {
  expectTensor(x, op);
  const p = plan(x, options, op);
  if (p.count === 0) {
    const what = op === 'max' ? 'maximum' : 'minimum';
    throw invalidArgument(
      `${op}: cannot reduce over an empty axis of shape [${x.shape.join(',')}] ` +
        `(axis=${JSON.stringify(options.axis ?? null)}): the ${what} of no elements is ` +
        `undefined. Check the input's size, or use sum, whose empty result is 0.`,
    );
  }
  const out = reduceRaw(op, x, p);
  // The gradient goes to every element equal to the extremum, split evenly among ties.
  return record(out, op, [x], (dy) => {
    const y = broadcastRaw(reshape(out, p.keptShape), x.shape);
    const mask = cast(equal(x, y), x.dtype);
    const ties = reduceRaw('sum', mask, { ...p, outShape: p.keptShape });
    return [mul(mask, div(reshape(dy, p.keptShape), ties))];
  });
}

/**
 * Maximum over axes (see sum for the options); NaN wins. The gradient is shared evenly among
 * tied maxima, as TensorFlow's.
 *
 * @throws TensileError `invalid_argument` over an empty axis, which has no maximum.
 * @example
 * max(tensor([[1, 5], [3, 4]]), { axis: 1 }); // [5, 4]
 */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, options);
}

/**
 * Minimum over axes (see sum for the options); NaN wins. The gradient is shared evenly among
 * tied minima.
 *
 * @throws TensileError `invalid_argument` over an empty axis, which has no minimum.
 */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, options);
}

/**
 * Product over axes (see sum for the options); 1 over an empty axis. The gradient is exact with
 * zeros present: it never divides by an element that is zero.
 *
 * @example
 * prod(tensor([[1, 2], [3, 4]]), { axis: 1 }); // [2, 12]
 */
export function prod(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'prod');
  const p = plan(x, options, 'prod');
  const out = reduceRaw('prod', x, p);
  return record(out, 'prod', [x], (dy) => {
    // With no zero in a group the gradient is y/x; with one zero only that element gets the
    // product of the others; with two or more zeros every gradient is zero.
    const nonzero = logicalNot(equal(x, 0));
    const safe = where(nonzero, x, 1);
    const keep = { ...p, outShape: p.keptShape };
    const prodNonzero = reduceRaw('prod', safe, keep);
    const zeros = reduceRaw('sum', cast(logicalNot(nonzero), x.dtype), keep);
    const g = where(
      equal(zeros, 0),
      div(prodNonzero, safe),
      where(logicalNot(nonzero), where(equal(zeros, 1), prodNonzero, 0), 0),
    );
    return [mul(g, reshape(dy, p.keptShape))];
  });
}

/**
 * Population variance over axes, dividing by N as NumPy's var and Keras' ops.var do.
 *
 * @example
 * variance(tensor([1, 2, 3, 4])); // 1.25
 */
export function variance(x: Tensor, options: ReduceOptions = {}): Tensor {
  const m = mean(x, { ...options, keepDims: true });
  return mean(square(sub(x, m)), options);
}

/**
 * Population standard deviation over axes: the square root of variance. Its gradient is
 * infinite (NaN) where the variance is 0.
 */
export function std(x: Tensor, options: ReduceOptions = {}): Tensor {
  return sqrt(variance(x, options));
}

/**
 * log Σ eˣ over axes, shifted by the maximum so that large logits do not overflow; -Infinity
 * over an empty axis. The gradient is softmax(x) along the reduced axes.
 *
 * @example
 * logSumExp(tensor([1000, 1000])); // 1000.6931
 */
export function logSumExp(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'logSumExp');
  const p = plan(x, options, 'logSumExp');
  const shift = noGrad(() => {
    const m = reduceRaw('max', x, { ...p, outShape: p.keptShape });
    // Infinite maxima (all -inf, or +inf present) shift by 0 so the maths gives -inf / inf / NaN.
    return where(equal(abs(m), Infinity), 0, m);
  });
  const s = log(sum(exp(sub(x, shift)), { axis: p.axes, keepDims: true }));
  const r = add(s, shift);
  return options.keepDims ? r : reshape(r, p.outShape);
}

export interface NormOptions extends ReduceOptions {
  /**
   * The order, as NumPy's `linalg.norm`. Over one axis (a vector norm): any number, with
   * Infinity the largest |x|, -Infinity the smallest and 0 the count of non-zeros. Over two axes
   * (a matrix norm): 'fro', 1 or -1 (largest / smallest column sum of |x|), Infinity or
   * -Infinity (row sums). Default: the 2-norm of the elements taken as one vector.
   */
  ord?: number | 'fro';
}

/**
 * Vector or matrix norm, following NumPy: without `axis` and `ord` the 2-norm of all the
 * elements; without `axis` but with `ord`, x must be 1-D (vector norm) or 2-D (matrix norm).
 *
 * @throws TensileError `not_supported` for the spectral and nuclear norms (ord 2, -2 over two
 *   axes), `invalid_argument` for an order that does not apply.
 */
export function norm(x: Tensor, options: NormOptions = {}): Tensor {
  expectTensor(x, 'norm');
  const ord = options.ord;
  const keepDims = options.keepDims ?? false;
  let axes: number[];
  if (options.axis !== undefined) axes = normalizeAxes(options.axis, x.rank, 'norm');
  else if (ord === undefined) return sqrt(sum(square(x), { keepDims }));
  else if (x.rank === 1 || x.rank === 2) axes = x.rank === 1 ? [0] : [0, 1];
  else {
    throw invalidArgument(
      `norm: with ord and no axis, x must be 1-D or 2-D, as in NumPy. Received: shape ` +
        `[${x.shape.join(',')}], ord=${String(ord)}. Pass axis.`,
    );
  }
  // Keep the given axis order for matrix norms: NumPy's axis=(1, 0) swaps rows and columns.
  const given = typeof options.axis === 'number' ? [options.axis] : (options.axis ?? axes);
  if (axes.length === 1) return vectorNorm(x, ord ?? 2, axes[0]!, keepDims);
  if (axes.length === 2) {
    const [rowAxis, colAxis] = given.map((a) => normalizeAxis(a, x.rank, 'norm')) as [
      number,
      number,
    ];
    return matrixNorm(x, ord ?? 'fro', rowAxis, colAxis, keepDims);
  }
  if (ord === undefined || ord === 2) return sqrt(sum(square(x), { axis: axes, keepDims }));
  throw invalidArgument(
    `norm: ord applies to one axis (a vector) or two (a matrix). Received: ` +
      `axis=${JSON.stringify(options.axis)}, ord=${String(ord)}`,
  );
}

function vectorNorm(x: Tensor, ord: number | 'fro', axis: number, keepDims: boolean): Tensor {
  const r = { axis, keepDims };
  if (ord === 2) return sqrt(sum(square(x), r));
  if (ord === 1) return sum(abs(x), r);
  if (ord === Infinity) return max(abs(x), r);
  if (ord === -Infinity) return min(abs(x), r);
  if (ord === 0) return sum(cast(notEqual(x, 0), isFloat(x.dtype) ? x.dtype : 'float32'), r);
  if (typeof ord === 'number' && !Number.isNaN(ord)) {
    return pow(sum(pow(abs(x), ord), r), 1 / ord);
  }
  throw invalidArgument(`norm: invalid order for a vector norm. Received: ord=${String(ord)}`);
}

function matrixNorm(
  x: Tensor,
  ord: number | 'fro',
  rowAxis: number,
  colAxis: number,
  keepDims: boolean,
): Tensor {
  let out: Tensor;
  if (ord === 'fro') out = sqrt(sum(square(x), { axis: [rowAxis, colAxis], keepDims: true }));
  else if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // Column sums for ±1, row sums for ±Infinity; then the largest (positive) or smallest.
    const [sumAxis, pickAxis] = Math.abs(ord) === 1 ? [rowAxis, colAxis] : [colAxis, rowAxis];
    const sums = sum(abs(x), { axis: sumAxis, keepDims: true });
    out =
      ord > 0
        ? max(sums, { axis: pickAxis, keepDims: true })
        : min(sums, { axis: pickAxis, keepDims: true });
  } else if (ord === 2 || ord === -2) {
    throw new TensileError(
      'not_supported',
      `norm: the spectral norm (ord=${ord} over two axes) needs singular values, which Tensile ` +
        `does not compute yet. Use ord 'fro', 1 or Infinity.`,
    );
  } else {
    throw invalidArgument(
      `norm: invalid order for a matrix norm. Received: ord=${String(ord)}. ` +
        `Use 'fro', 1, -1, Infinity or -Infinity.`,
    );
  }
  if (keepDims) return out;
  return reshape(
    out,
    x.shape.filter((_, i) => i !== rowAxis && i !== colAxis),
  );
}

function argReduce(
  op: 'argMax' | 'argMin',
  x: Tensor,
  options: { axis?: number; keepDims?: boolean },
): Tensor {
  expectTensor(x, op);
  const flat = options.axis === undefined;
  const source = flat ? reshape(x, [x.size]) : x;
  const axis = flat ? 0 : normalizeAxis(options.axis!, x.rank, op);
  const len = source.shape[axis]!;
  if (len === 0) {
    throw invalidArgument(
      `${op}: cannot take ${op} over an empty axis of shape [${x.shape.join(',')}]` +
        `${flat ? '' : ` (axis ${axis})`}; an empty sequence has no index to return.`,
    );
  }
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= source.shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < source.rank; i++) inner *= source.shape[i]!;
  // keepDims without an axis keeps x's rank, all ones, as NumPy's argmax(keepdims=True).
  const shape = options.keepDims
    ? flat
      ? x.shape.map(() => 1)
      : source.shape.map((d, i) => (i === axis ? 1 : d))
    : source.shape.filter((_, i) => i !== axis);
  const out = empty(shape, 'int32');
  getBackend().argReduce(op, source.values, outer, len, inner, out.values as Int32Array);
  return out;
}

/**
 * Index of the maximum along `axis` (of the flattened tensor when omitted), as int32: the first
 * one on ties, and the first NaN if there is one, as NumPy's argmax. Not differentiable.
 *
 * @throws TensileError `invalid_argument` over an empty axis.
 * @example
 * argMax(tensor([[1, 7, 7], [9, 0, 2]]), { axis: 1 }); // [1, 0]
 */
export function argMax(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce('argMax', x, options);
}

/**
 * Index of the minimum along `axis` (of the flattened tensor when omitted), as int32: the first
 * one on ties, and the first NaN if there is one.
 */
export function argMin(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce('argMin', x, options);
}
