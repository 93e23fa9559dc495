import type { FloatArray } from '../../tensor/dtype.js';
import type { Conv2DParams, MatmulParams } from '../backend.js';
import {
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from './depthwise.js';
import { matmul } from './matmul.js';

/*
 * Convolution as im2col + GEMM. For a block of output pixels, `im2col` lays the receptive field
 * of each pixel out as one row of length K = kh·kw·(inC/groups), in the same (ki, kj, c) order
 * as the kernel's rows, so that (kh, kw, inC/groups, outC) read as a (K, outC) matrix needs no
 * repacking:
 *   forward         out[pixels, outC] = col[pixels, K] · W[K, outC]
 *   backprop input  dcol[pixels, K]   = dy[pixels, outC] · Wᵀ, then col2im adds dcol into dx
 *   backprop filter dW[K, outC]      += colᵀ · dy[pixels, outC]
 * Pixels are processed in blocks so the column buffer stays a few MB whatever the batch size.
 * With groups > 1 each group is one batch entry of the GEMM: columns, weights and gradients are
 * packed group-major, (groups, rows, K/groups) and so on, and scattered back afterwards.
 * Depthwise convolutions (one input channel per group) are too thin for a GEMM per group and
 * take the direct loops of depthwise.ts instead.
 */

/** Elements per column block: 1M floats keeps the buffer at 4 MB (float32) or 8 MB (float64). */
const BLOCK_ELEMENTS = 1 << 20;

/** Grow-only scratch buffers, one set per float type, reused across calls. */
const scratch32: Float32Array[] = [];
const scratch64: Float64Array[] = [];

function scratch(like: FloatArray, slot: number, size: number): FloatArray {
  if (like instanceof Float32Array) {
    let buf = scratch32[slot];
    if (buf === undefined || buf.length < size) {
      buf = new Float32Array(Math.max(size, 1));
      scratch32[slot] = buf;
    }
    return buf.subarray(0, size);
  }
  let buf = scratch64[slot];
  if (buf === undefined || buf.length < size) {
    buf = new Float64Array(Math.max(size, 1));
    scratch64[slot] = buf;
  }
  return buf.subarray(0, size);
}

const COL = 0;
const PACK_W = 1;
const PACK_Y = 2;
const TMP = 3;

function gemm(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  batch: number,
): MatmulParams {
  return { batch, m, n, k, transA, transB, aOffsets: null, bOffsets: null };
}

/** A 1×1 convolution with stride 1 and no padding: x itself is the column matrix. */
function isPointwise(p: Conv2DParams): boolean {
  return (
    p.kh === 1 &&
    p.kw === 1 &&
    p.groups === 1 &&
    p.strideH === 1 &&
    p.strideW === 1 &&
    p.padTop === 0 &&
    p.padLeft === 0 &&
    p.outH === p.inH &&
    p.outW === p.inW
  );
}

/** Output pixels per block for a receptive field of `k` elements. */
function blockRows(p: Conv2DParams, k: number): number {
  const total = p.batch * p.outH * p.outW;
  return Math.max(1, Math.min(total, Math.floor(BLOCK_ELEMENTS / Math.max(k, 1))));
}

/**
 * Writes the receptive fields of output pixels [q0, q0 + rows) (flat over batch, outH, outW) for
 * group g into col, one row of length kh·kw·cinG per pixel, starting at col[colOffset]. Cells
 * that fall in the padding are zero.
 */
function im2col(
  x: FloatArray,
  col: FloatArray,
  colOffset: number,
  p: Conv2DParams,
  q0: number,
  rows: number,
  g: number,
): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilationH, dilationW } = p;
  const cinG = inC / p.groups;
  const c0 = g * cinG;
  const perImage = outH * outW;
  let n = Math.floor(q0 / perImage);
  let oh = Math.floor((q0 - n * perImage) / outW);
  let ow = q0 - n * perImage - oh * outW;
  let o = colOffset;
  for (let r = 0; r < rows; r++) {
    const ih0 = oh * strideH - p.padTop;
    const iw0 = ow * strideW - p.padLeft;
    for (let ki = 0; ki < kh; ki++) {
      const ih = ih0 + ki * dilationH;
      const rowInside = ih >= 0 && ih < inH;
      const rowBase = (n * inH + ih) * inW;
      for (let kj = 0; kj < kw; kj++) {
        const iw = iw0 + kj * dilationW;
        if (rowInside && iw >= 0 && iw < inW) {
          const src = (rowBase + iw) * inC + c0;
          for (let c = 0; c < cinG; c++) col[o + c] = x[src + c]!;
        } else {
          for (let c = 0; c < cinG; c++) col[o + c] = 0;
        }
        o += cinG;
      }
    }
    if (++ow === outW) {
      ow = 0;
      if (++oh === outH) {
        oh = 0;
        n++;
      }
    }
  }
}

/** The adjoint of im2col: adds each column row back onto the input cells it was read from. */
function col2im(
  col: FloatArray,
  colOffset: number,
  dx: FloatArray,
  p: Conv2DParams,
  q0: number,
  rows: number,
  g: number,
): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilationH, dilationW } = p;
  const cinG = inC / p.groups;
  const c0 = g * cinG;
  const perImage = outH * outW;
  let n = Math.floor(q0 / perImage);
  let oh = Math.floor((q0 - n * perImage) / outW);
  let ow = q0 - n * perImage - oh * outW;
  let o = colOffset;
  for (let r = 0; r < rows; r++) {
    const ih0 = oh * strideH - p.padTop;
    const iw0 = ow * strideW - p.padLeft;
    for (let ki = 0; ki < kh; ki++) {
      const ih = ih0 + ki * dilationH;
      const rowInside = ih >= 0 && ih < inH;
      const rowBase = (n * inH + ih) * inW;
      for (let kj = 0; kj < kw; kj++) {
        const iw = iw0 + kj * dilationW;
        if (rowInside && iw >= 0 && iw < inW) {
          const dst = (rowBase + iw) * inC + c0;
          for (let c = 0; c < cinG; c++) dx[dst + c] = dx[dst + c]! + col[o + c]!;
        }
        o += cinG;
      }
    }
    if (++ow === outW) {
      ow = 0;
      if (++oh === outH) {
        oh = 0;
        n++;
      }
    }
  }
}

/** Copies the kernel (K, outC) into group-major (groups, K, coutG). */
function packWeights(
  w: FloatArray,
  packed: FloatArray,
  k: number,
  outC: number,
  groups: number,
): void {
  const coutG = outC / groups;
  let o = 0;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < k; r++) {
      const src = r * outC + g * coutG;
      for (let c = 0; c < coutG; c++) packed[o++] = w[src + c]!;
    }
  }
}

/** Copies rows [q0, q0 + rows) of y (pixels, outC) into group-major (groups, rows, coutG). */
function packRows(
  y: FloatArray,
  packed: FloatArray,
  q0: number,
  rows: number,
  outC: number,
  groups: number,
): void {
  const coutG = outC / groups;
  let o = 0;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      const src = (q0 + r) * outC + g * coutG;
      for (let c = 0; c < coutG; c++) packed[o++] = y[src + c]!;
    }
  }
}

/** The inverse of packRows: writes group-major rows into rows [q0, q0 + rows) of y. */
function unpackRows(
  packed: FloatArray,
  y: FloatArray,
  q0: number,
  rows: number,
  outC: number,
  groups: number,
): void {
  const coutG = outC / groups;
  let o = 0;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      const dst = (q0 + r) * outC + g * coutG;
      for (let c = 0; c < coutG; c++) y[dst + c] = packed[o++]!;
    }
  }
}

/** out (batch, outH, outW, outC) = x (batch, inH, inW, inC) ⋆ w (kh, kw, inC/groups, outC). */
export function conv2d(x: FloatArray, w: FloatArray, out: FloatArray, p: Conv2DParams): void {
  if (p.groups > 1 && p.inC === p.groups) return depthwiseConv2d(x, w, out, p);
  if (isPointwise(p)) {
    return matmul(x, w, out, gemm(p.batch * p.outH * p.outW, p.outC, p.inC, false, false, 1));
  }
  const { groups, outC } = p;
  const kg = p.kh * p.kw * (p.inC / groups);
  const coutG = outC / groups;
  const total = p.batch * p.outH * p.outW;
  const block = blockRows(p, kg * groups);
  const wg = groups === 1 ? w : scratch(w, PACK_W, groups * kg * coutG);
  if (groups > 1) packWeights(w, wg, kg, outC, groups);
  for (let q0 = 0; q0 < total; q0 += block) {
    const rows = Math.min(block, total - q0);
    const col = scratch(x, COL, groups * rows * kg);
    for (let g = 0; g < groups; g++) im2col(x, col, g * rows * kg, p, q0, rows, g);
    if (groups === 1) {
      matmul(
        col,
        w,
        out.subarray(q0 * outC, (q0 + rows) * outC),
        gemm(rows, outC, kg, false, false, 1),
      );
    } else {
      const tmp = scratch(out, TMP, groups * rows * coutG);
      matmul(col, wg, tmp, gemm(rows, coutG, kg, false, false, groups));
      unpackRows(tmp, out, q0, rows, outC, groups);
    }
  }
}

/** dx (batch, inH, inW, inC) from dy (batch, outH, outW, outC) and w; dx is overwritten. */
export function conv2dBackpropInput(
  dy: FloatArray,
  w: FloatArray,
  dx: FloatArray,
  p: Conv2DParams,
): void {
  if (p.groups > 1 && p.inC === p.groups) return depthwiseConv2dBackpropInput(dy, w, dx, p);
  if (isPointwise(p)) {
    return matmul(dy, w, dx, gemm(p.batch * p.outH * p.outW, p.inC, p.outC, false, true, 1));
  }
  const { groups, outC } = p;
  const kg = p.kh * p.kw * (p.inC / groups);
  const coutG = outC / groups;
  const total = p.batch * p.outH * p.outW;
  const block = blockRows(p, kg * groups);
  dx.fill(0);
  const wg = groups === 1 ? w : scratch(w, PACK_W, groups * kg * coutG);
  if (groups > 1) packWeights(w, wg, kg, outC, groups);
  for (let q0 = 0; q0 < total; q0 += block) {
    const rows = Math.min(block, total - q0);
    const dcol = scratch(dx, COL, groups * rows * kg);
    if (groups === 1) {
      const dyBlock = dy.subarray(q0 * outC, (q0 + rows) * outC);
      matmul(dyBlock, w, dcol, gemm(rows, kg, outC, false, true, 1));
    } else {
      const dyg = scratch(dy, PACK_Y, groups * rows * coutG);
      packRows(dy, dyg, q0, rows, outC, groups);
      matmul(dyg, wg, dcol, gemm(rows, kg, coutG, false, true, groups));
    }
    for (let g = 0; g < groups; g++) col2im(dcol, g * rows * kg, dx, p, q0, rows, g);
  }
}

/** dw (kh, kw, inC/groups, outC) from x and dy; dw is overwritten. */
export function conv2dBackpropFilter(
  x: FloatArray,
  dy: FloatArray,
  dw: FloatArray,
  p: Conv2DParams,
): void {
  if (p.groups > 1 && p.inC === p.groups) return depthwiseConv2dBackpropFilter(x, dy, dw, p);
  if (isPointwise(p)) {
    return matmul(x, dy, dw, gemm(p.inC, p.outC, p.batch * p.outH * p.outW, true, false, 1));
  }
  const { groups, outC } = p;
  const kg = p.kh * p.kw * (p.inC / groups);
  const coutG = outC / groups;
  const total = p.batch * p.outH * p.outW;
  const block = blockRows(p, kg * groups);
  dw.fill(0);
  const tmp = scratch(dw, TMP, groups * kg * coutG);
  for (let q0 = 0; q0 < total; q0 += block) {
    const rows = Math.min(block, total - q0);
    const col = scratch(x, COL, groups * rows * kg);
    for (let g = 0; g < groups; g++) im2col(x, col, g * rows * kg, p, q0, rows, g);
    if (groups === 1) {
      const dyBlock = dy.subarray(q0 * outC, (q0 + rows) * outC);
      matmul(col, dyBlock, tmp, gemm(kg, outC, rows, true, false, 1));
      for (let i = 0; i < tmp.length; i++) dw[i] = dw[i]! + tmp[i]!;
    } else {
      const dyg = scratch(dy, PACK_Y, groups * rows * coutG);
      packRows(dy, dyg, q0, rows, outC, groups);
      matmul(col, dyg, tmp, gemm(kg, coutG, rows, true, false, groups));
      let o = 0;
      for (let g = 0; g < groups; g++) {
        for (let r = 0; r < kg; r++) {
          const dst = r * outC + g * coutG;
          for (let c = 0; c < coutG; c++) dw[dst + c] = dw[dst + c]! + tmp[o++]!;
        }
      }
    }
  }
}
