import type { DataArray, FloatArray } from '../../tensor/dtype.js';
import type { ArgReduceOp, ReduceOp } from '../backend.js';

/**
 * Reductions over the middle axis of (outer, r, inner). With inner = 1 (the last axis, the
 * common case) each output is one contiguous run; otherwise rows of `inner` are combined
 * elementwise, which keeps the reads sequential.
 */
export function reduce(
  op: ReduceOp,
  x: DataArray,
  outer: number,
  r: number,
  inner: number,
  out: DataArray,
): void {
  const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
  if (r === 0) {
    out.fill(init);
    return;
  }
  if (inner === 1) {
    reduceRows(op, x, outer, r, out, init);
    return;
  }
  // Accumulate in a double array: float32 sums keep float64 precision until the final store.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    acc.fill(init);
    for (let j = 0; j < r; j++) {
      const row = base + j * inner;
      switch (op) {
        case 'sum':
          for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
          break;
        case 'prod':
          for (let i = 0; i < inner; i++) acc[i]! *= x[row + i]!;
          break;
        case 'max':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v > acc[i]! || v !== v) acc[i] = v;
          }
          break;
        case 'min':
          for (let i = 0; i < inner; i++) {
            const v = x[row + i]!;
            if (v < acc[i]! || v !== v) acc[i] = v;
          }
          break;
      }
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i]!;
  }
}

/** The inner = 1 case: each output reduces one contiguous run of r values into a scalar. */
function reduceRows(
  op: ReduceOp,
  x: DataArray,
  outer: number,
  r: number,
  out: DataArray,
  init: number,
): void {
  for (let o = 0, base = 0; o < outer; o++, base += r) {
    let acc = init;
    const end = base + r;
    switch (op) {
      case 'sum':
        for (let j = base; j < end; j++) acc += x[j]!;
        break;
      case 'prod':
        for (let j = base; j < end; j++) acc *= x[j]!;
        break;
      case 'max':
        for (let j = base; j < end; j++) {
          const v = x[j]!;
          if (v > acc || v !== v) acc = v;
        }
        break;
      case 'min':
        for (let j = base; j < end; j++) {
          const v = x[j]!;
          if (v < acc || v !== v) acc = v;
        }
        break;
    }
    out[o] = acc;
  }
}

export function argReduce(
  op: ArgReduceOp,
  x: DataArray,
  outer: number,
  r: number,
  inner: number,
  out: Int32Array,
): void {
  const wantMax = op === 'argMax';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * r * inner + i;
      let best = x[base]!;
      let index = 0;
      for (let j = 1; j < r; j++) {
        const v = x[base + j * inner]!;
        if (best !== best) break; // NaN wins, as in NumPy
        if (v !== v || (wantMax ? v > best : v < best)) {
          best = v;
          index = j;
        }
      }
      out[o * inner + i] = index;
    }
  }
}

export function softmax(
  x: FloatArray,
  outer: number,
  r: number,
  inner: number,
  out: FloatArray,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * r * inner + i;
      let max = -Infinity;
      for (let j = 0; j < r; j++) {
        const v = x[base + j * inner]!;
        if (v > max) max = v;
      }
      // All -Infinity (or empty) rows shift by 0 so they give NaN as the maths says.
      if (max === -Infinity) max = 0;
      let sum = 0;
      for (let j = 0; j < r; j++) sum += Math.exp(x[base + j * inner]! - max);
      if (log) {
        const lse = Math.log(sum);
        for (let j = 0; j < r; j++) out[base + j * inner] = x[base + j * inner]! - max - lse;
      } else {
        const inv = 1 / sum;
        for (let j = 0; j < r; j++)
          out[base + j * inner] = Math.exp(x[base + j * inner]! - max) * inv;
      }
    }
  }
}

/**
 * softmax: dx = y·(dy − Σ dy·y); log-softmax: dx = dy − softmax(x)·Σ dy, with softmax = e^y.
 */
export function softmaxGrad(
  y: FloatArray,
  dy: FloatArray,
  outer: number,
  r: number,
  inner: number,
  out: FloatArray,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * r * inner + i;
      let s = 0;
      if (log) {
        for (let j = 0; j < r; j++) s += dy[base + j * inner]!;
        for (let j = 0; j < r; j++) {
          const k = base + j * inner;
          out[k] = dy[k]! - Math.exp(y[k]!) * s;
        }
      } else {
        for (let j = 0; j < r; j++) s += dy[base + j * inner]! * y[base + j * inner]!;
        for (let j = 0; j < r; j++) {
          const k = base + j * inner;
          out[k] = y[k]! * (dy[k]! - s);
        }
      }
    }
  }
}
