import type { DataArray } from '../../tensor/dtype.js';
import type { BinaryOp } from '../backend.js';

/**
 * One row of a binary op: out[o + i] = f(a[ai + i·as], b[bi + i·bs]) for i < n. Broadcasting is
 * a walk over rows with stride 0 where an operand repeats, so each op needs only this loop.
 */
type RowLoop = (
  a: DataArray,
  ai: number,
  as: number,
  b: DataArray,
  bi: number,
  bs: number,
  out: DataArray,
  o: number,
  n: number,
) => void;

function row(f: (x: number, y: number) => number): RowLoop {
  return (a, ai, as, b, bi, bs, out, o, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = f(a[ai]!, b[bi]!);
  };
}

const ROWS: Record<BinaryOp, RowLoop> = {
  add: (a, ai, as, b, bi, bs, out, o, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! + b[bi]!;
  },
  sub: (a, ai, as, b, bi, bs, out, o, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! - b[bi]!;
  },
  mul: (a, ai, as, b, bi, bs, out, o, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! * b[bi]!;
  },
  div: (a, ai, as, b, bi, bs, out, o, n) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai]! / b[bi]!;
  },
  pow: row(Math.pow),
  // NaN propagates through maximum and minimum, as in NumPy.
  maximum: row((x, y) => (x > y || x !== x ? x : y)),
  minimum: row((x, y) => (x < y || x !== x ? x : y)),
  equal: row((x, y) => (x === y ? 1 : 0)),
  notEqual: row((x, y) => (x !== y ? 1 : 0)),
  less: row((x, y) => (x < y ? 1 : 0)),
  lessEqual: row((x, y) => (x <= y ? 1 : 0)),
  greater: row((x, y) => (x > y ? 1 : 0)),
  greaterEqual: row((x, y) => (x >= y ? 1 : 0)),
  logicalAnd: row((x, y) => (x !== 0 && y !== 0 ? 1 : 0)),
  logicalOr: row((x, y) => (x !== 0 || y !== 0 ? 1 : 0)),
};

export function binary(
  op: BinaryOp,
  a: DataArray,
  aStrides: readonly number[],
  b: DataArray,
  bStrides: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  const loop = ROWS[op];
  const rank = outShape.length;
  const n = out.length;
  if (n === 0) return;
  if (rank === 0) {
    loop(a, 0, 0, b, 0, 0, out, 0, 1);
    return;
  }
  const len = outShape[rank - 1]!;
  const as = aStrides[rank - 1]!;
  const bs = bStrides[rank - 1]!;
  // Fast path: both operands walk the output in order, or one is a single repeated value.
  if (
    a.length === n &&
    b.length === n &&
    isContiguous(aStrides, outShape) &&
    isContiguous(bStrides, outShape)
  ) {
    loop(a, 0, 1, b, 0, 1, out, 0, n);
    return;
  }
  if (b.length === 1 && a.length === n) {
    loop(a, 0, 1, b, 0, 0, out, 0, n);
    return;
  }
  if (a.length === 1 && b.length === n) {
    loop(a, 0, 0, b, 0, 1, out, 0, n);
    return;
  }
  // General case: walk the outer index with a counter, one row per step.
  const counter = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < n; o += len) {
    loop(a, ai, as, b, bi, bs, out, o, len);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ai += aStrides[d]!;
      bi += bStrides[d]!;
      if (counter[d]! < outShape[d]!) break;
      ai -= aStrides[d]! * counter[d]!;
      bi -= bStrides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
}

function isContiguous(strides: readonly number[], shape: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i]!;
  }
  return true;
}

/** out = cond ? a : b through broadcast strides, by the same counter walk as binary(). */
export function where(
  cond: Uint8Array,
  cStrides: readonly number[],
  a: DataArray,
  aStrides: readonly number[],
  b: DataArray,
  bStrides: readonly number[],
  out: DataArray,
  outShape: readonly number[],
): void {
  const rank = outShape.length;
  const n = out.length;
  if (n === 0) return;
  const counter = new Array<number>(rank).fill(0);
  let ci = 0;
  let ai = 0;
  let bi = 0;
  const len = rank === 0 ? 1 : outShape[rank - 1]!;
  const cs = rank === 0 ? 0 : cStrides[rank - 1]!;
  const as = rank === 0 ? 0 : aStrides[rank - 1]!;
  const bs = rank === 0 ? 0 : bStrides[rank - 1]!;
  for (let o = 0; o < n; o += len) {
    for (let i = 0, c = ci, x = ai, y = bi; i < len; i++, c += cs, x += as, y += bs) {
      out[o + i] = cond[c] !== 0 ? a[x]! : b[y]!;
    }
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ci += cStrides[d]!;
      ai += aStrides[d]!;
      bi += bStrides[d]!;
      if (counter[d]! < outShape[d]!) break;
      ci -= cStrides[d]! * counter[d]!;
      ai -= aStrides[d]! * counter[d]!;
      bi -= bStrides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
}

export function cast(x: DataArray, out: DataArray): void {
  const n = x.length;
  if (out instanceof Uint8Array) {
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else if (out instanceof Int32Array && !(x instanceof Int32Array || x instanceof Uint8Array)) {
    // Float to int truncates toward zero.
    for (let i = 0; i < n; i++) out[i] = Math.trunc(x[i]!);
  } else {
    out.set(x);
  }
}
