import type { FloatArray } from '../../tensor/dtype.js';
import type { Conv2DParams } from '../backend.js';

/*
 * Direct loops for convolutions with one input channel per group (depthwise convs, where
 * groups = inC, and single-channel inputs): output channel j = c·mult + m reads only input
 * channel c = floor(j / mult). Every receptive field row is a handful of multiply-adds, far too
 * little to repay im2col and a GEMM per group, so these walk the output once, channels
 * innermost, with the kernel row for tap (ki, kj) at w[(ki·kw + kj)·outC ...].
 */

/** Accumulator for the filter gradient, kept in float64 because it sums over every pixel. */
let filterAcc = new Float64Array(0);

/** Per-pixel accumulator for the forward pass (float64 whatever the input type). */
let rowAcc = new Float64Array(0);

/** out = the depthwise convolution of x with w; see conv2d in conv.ts for the layout. */
export function depthwiseConv2d(
  x: FloatArray,
  w: FloatArray,
  out: FloatArray,
  p: Conv2DParams,
): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW } =
    p;
  const mult = outC / inC;
  if (rowAcc.length < outC) rowAcc = new Float64Array(outC);
  const acc = rowAcc;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        acc.fill(0, 0, outC);
        for (let ki = 0; ki < kh; ki++) {
          const ih = oh * strideH - p.padTop + ki * dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let kj = 0; kj < kw; kj++) {
            const iw = ow * strideW - p.padLeft + kj * dilationW;
            if (iw < 0 || iw >= inW) continue;
            const src = ((n * inH + ih) * inW + iw) * inC;
            const wb = (ki * kw + kj) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) acc[c] = acc[c]! + x[src + c]! * w[wb + c]!;
            } else {
              let j = 0;
              for (let c = 0; c < inC; c++) {
                const xv = x[src + c]!;
                for (let m = 0; m < mult; m++, j++) acc[j] = acc[j]! + xv * w[wb + j]!;
              }
            }
          }
        }
        for (let j = 0; j < outC; j++) out[o + j] = acc[j]!;
        o += outC;
      }
    }
  }
}

/** dx from dy and w; dx is overwritten. */
export function depthwiseConv2dBackpropInput(
  dy: FloatArray,
  w: FloatArray,
  dx: FloatArray,
  p: Conv2DParams,
): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW } =
    p;
  const mult = outC / inC;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let ki = 0; ki < kh; ki++) {
          const ih = oh * strideH - p.padTop + ki * dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let kj = 0; kj < kw; kj++) {
            const iw = ow * strideW - p.padLeft + kj * dilationW;
            if (iw < 0 || iw >= inW) continue;
            const dst = ((n * inH + ih) * inW + iw) * inC;
            const wb = (ki * kw + kj) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) dx[dst + c] = dx[dst + c]! + dy[o + c]! * w[wb + c]!;
            } else {
              let j = 0;
              for (let c = 0; c < inC; c++) {
                let s = 0;
                for (let m = 0; m < mult; m++, j++) s += dy[o + j]! * w[wb + j]!;
                dx[dst + c] = dx[dst + c]! + s;
              }
            }
          }
        }
        o += outC;
      }
    }
  }
}

/** dw from x and dy; dw is overwritten. */
export function depthwiseConv2dBackpropFilter(
  x: FloatArray,
  dy: FloatArray,
  dw: FloatArray,
  p: Conv2DParams,
): void {
  const { batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW } =
    p;
  const mult = outC / inC;
  if (filterAcc.length < dw.length) filterAcc = new Float64Array(dw.length);
  const acc = filterAcc;
  acc.fill(0, 0, dw.length);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let ki = 0; ki < kh; ki++) {
          const ih = oh * strideH - p.padTop + ki * dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let kj = 0; kj < kw; kj++) {
            const iw = ow * strideW - p.padLeft + kj * dilationW;
            if (iw < 0 || iw >= inW) continue;
            const src = ((n * inH + ih) * inW + iw) * inC;
            const wb = (ki * kw + kj) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) acc[wb + c] = acc[wb + c]! + x[src + c]! * dy[o + c]!;
            } else {
              let j = wb;
              for (let c = 0; c < inC; c++) {
                const xv = x[src + c]!;
                for (let m = 0; m < mult; m++, j++) acc[j] = acc[j]! + xv * dy[o + j - wb]!;
              }
            }
          }
        }
        o += outC;
      }
    }
  }
  for (let i = 0; i < dw.length; i++) dw[i] = acc[i]!;
}
