import { noGrad, record } from '../autograd/engine.js';
import type { ReduceOp } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { invalidArgument } from '../errors.js';
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

/** Sum over axes. Bool and int32 inputs sum in int32. */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'sum');
  const p = plan(x, options, 'sum');
  const out = reduceRaw('sum', x, p, x.dtype === 'bool' ? 'int32' : x.dtype);
  return record(out, 'sum', [x], (dy) => [broadcastRaw(reshape(dy, p.keptShape), x.shape)]);
}

/** Arithmetic mean over axes; integer inputs give float32. */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  expectTensor(x, 'mean');
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  return div(sum(xf, options), plan(xf, options, 'mean').count);
}

function extremum(op: 'max' | 'min', x: Tensor, options: ReduceOptions): Tensor {
  expectTensor(x, op);
  const p = plan(x, options, op);
  if (p.count === 0) {
    throw invalidArgument(`${op}: cannot reduce over an empty axis of shape [${x.shape.join(',')}].`);
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

/** Maximum over axes; the gradient is shared evenly among tied maxima. */
export function max(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('max', x, options);
}

/** Minimum over axes; the gradient is shared evenly among tied minima. */
export function min(x: Tensor, options: ReduceOptions = {}): Tensor {
  return extremum('min', x, options);
}

/** Product over axes. The gradient is exact with zeros present (no division by zero). */
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

/** Population variance (divides by N, as Keras' ops.var) over axes. */
export function variance(x: Tensor, options: ReduceOptions = {}): Tensor {
  const m = mean(x, { ...options, keepDims: true });
  return mean(square(sub(x, m)), options);
}

/** Population standard deviation over axes. */
export function std(x: Tensor, options: ReduceOptions = {}): Tensor {
  return sqrt(variance(x, options));
}

/** log Σ eˣ over axes, shifted by the maximum so that large logits do not overflow. */
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
  /** 1, 2 (default; Frobenius over two axes) or Infinity. */
  ord?: 1 | 2 | typeof Infinity | 'fro';
}

/** Vector norm over axes (all by default): ord 2 is the Euclidean / Frobenius norm. */
export function norm(x: Tensor, options: NormOptions = {}): Tensor {
  const ord = options.ord ?? 2;
  const r = { ...(options.axis !== undefined && { axis: options.axis }), keepDims: options.keepDims ?? false };
  if (ord === 2 || ord === 'fro') return sqrt(sum(square(x), r));
  if (ord === 1) return sum(abs(x), r);
  if (ord === Infinity) return max(abs(x), r);
  throw invalidArgument(`norm: ord must be 1, 2, Infinity or 'fro'. Received: ord=${String(ord)}`);
}

function argReduce(op: 'argMax' | 'argMin', x: Tensor, options: { axis?: number; keepDims?: boolean }): Tensor {
  expectTensor(x, op);
  const flat = options.axis === undefined;
  const source = flat ? reshape(x, [x.size]) : x;
  const axis = flat ? 0 : normalizeAxis(options.axis!, x.rank, op);
  const len = source.shape[axis]!;
  if (len === 0) throw invalidArgument(`${op}: cannot take ${op} over an empty axis.`);
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= source.shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < source.rank; i++) inner *= source.shape[i]!;
  const shape = options.keepDims
    ? source.shape.map((d, i) => (i === axis ? 1 : d))
    : source.shape.filter((_, i) => i !== axis);
  const out = empty(shape, 'int32');
  getBackend().argReduce(op, source.values, outer, len, inner, out.values as Int32Array);
  return out;
}

/** Index of the maximum along `axis` (of the flattened tensor when omitted), as int32. */
export function argMax(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce('argMax', x, options);
}

/** Index of the minimum along `axis` (of the flattened tensor when omitted), as int32. */
export function argMin(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  return argReduce('argMin', x, options);
}
