import type { DataArray, FloatArray } from '../../tensor/dtype.js';

/** dst[dstOffset + i·dstStrides] = src[srcOffset + i·srcStrides] for every index i of shape. */
export function copyStrided(
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  shape: readonly number[],
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
): void {
  const rank = shape.length;
  let total = 1;
  for (let d = 0; d < rank; d++) total *= shape[d]!;
  if (total === 0) return;
  if (rank === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const len = shape[rank - 1]!;
  const ss = srcStrides[rank - 1]!;
  const ds = dstStrides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let si = srcOffset;
  let di = dstOffset;
  for (let done = 0; done < total; done += len) {
    if (ss === 1 && ds === 1 && src.constructor === dst.constructor) {
      dst.set(src.subarray(si, si + len), di);
    } else {
      for (let i = 0, s = si, t = di; i < len; i++, s += ss, t += ds) dst[t] = src[s]!;
    }
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      si += srcStrides[d]!;
      di += dstStrides[d]!;
      if (counter[d]! < shape[d]!) break;
      si -= srcStrides[d]! * counter[d]!;
      di -= dstStrides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
}

export function gather(
  x: DataArray,
  indices: Int32Array,
  outer: number,
  axisLen: number,
  inner: number,
  out: DataArray,
): void {
  const k = indices.length;
  if (inner === 1) {
    // Picking single elements (the last axis, or embedding lookups of width 1).
    for (let o = 0, xb = 0, ob = 0; o < outer; o++, xb += axisLen, ob += k) {
      for (let j = 0; j < k; j++) out[ob + j] = x[xb + indices[j]!]!;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const src = (o * axisLen + indices[j]!) * inner;
      out.set(x.subarray(src, src + inner), (o * k + j) * inner);
    }
  }
}

export function gatherGrad(
  dy: FloatArray,
  indices: Int32Array,
  outer: number,
  axisLen: number,
  inner: number,
  out: FloatArray,
): void {
  out.fill(0);
  const k = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const dst = (o * axisLen + indices[j]!) * inner;
      const src = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += dy[src + i]!;
    }
  }
}
