import type { FloatArray } from '../../tensor/dtype.js';
import type { ResizeParams } from '../backend.js';

/*
 * Bilinear resize with half-pixel centers, as tf.image.resize (and so Keras 3's
 * ops.image.resize without antialias): output index o samples the input at
 * s = (o + 0.5)·in/out − 0.5, between rows floor(s) and floor(s) + 1 with weight s − floor(s),
 * both indices clamped to the image. The same rule is PyTorch's interpolate(mode='bilinear',
 * align_corners=False).
 */

interface Axis {
  lower: Int32Array;
  upper: Int32Array;
  lerp: Float64Array;
}

function axisWeights(inSize: number, outSize: number): Axis {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = (o + 0.5) * scale - 0.5;
    const f = Math.floor(s);
    lower[o] = Math.min(Math.max(f, 0), inSize - 1);
    upper[o] = Math.min(Math.max(f + 1, 0), inSize - 1);
    lerp[o] = s - f;
  }
  return { lower, upper, lerp };
}

export function resizeBilinear(x: FloatArray, out: FloatArray, p: ResizeParams): void {
  const { batch, inH, inW, channels: C, outH, outW } = p;
  const ys = axisWeights(inH, outH);
  const xs = axisWeights(inW, outW);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = (n * inH + ys.lower[oh]!) * inW;
      const bottom = (n * inH + ys.upper[oh]!) * inW;
      const dyw = ys.lerp[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const left = xs.lower[ow]! * C;
        const right = xs.upper[ow]! * C;
        const dxw = xs.lerp[ow]!;
        const tl = top * C + left;
        const tr = top * C + right;
        const bl = bottom * C + left;
        const br = bottom * C + right;
        for (let c = 0; c < C; c++) {
          const t = x[tl + c]! + (x[tr + c]! - x[tl + c]!) * dxw;
          const b = x[bl + c]! + (x[br + c]! - x[bl + c]!) * dxw;
          out[o + c] = t + (b - t) * dyw;
        }
        o += C;
      }
    }
  }
}

/** dx: each dy spread over its four source cells with the forward weights. dx is overwritten. */
export function resizeBilinearGrad(dy: FloatArray, dx: FloatArray, p: ResizeParams): void {
  const { batch, inH, inW, channels: C, outH, outW } = p;
  const ys = axisWeights(inH, outH);
  const xs = axisWeights(inW, outW);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = (n * inH + ys.lower[oh]!) * inW;
      const bottom = (n * inH + ys.upper[oh]!) * inW;
      const dyw = ys.lerp[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const left = xs.lower[ow]! * C;
        const right = xs.upper[ow]! * C;
        const dxw = xs.lerp[ow]!;
        const tl = top * C + left;
        const tr = top * C + right;
        const bl = bottom * C + left;
        const br = bottom * C + right;
        const wtl = (1 - dyw) * (1 - dxw);
        const wtr = (1 - dyw) * dxw;
        const wbl = dyw * (1 - dxw);
        const wbr = dyw * dxw;
        for (let c = 0; c < C; c++) {
          const g = dy[o + c]!;
          dx[tl + c] = dx[tl + c]! + g * wtl;
          dx[tr + c] = dx[tr + c]! + g * wtr;
          dx[bl + c] = dx[bl + c]! + g * wbl;
          dx[br + c] = dx[br + c]! + g * wbr;
        }
        o += C;
      }
    }
  }
}
