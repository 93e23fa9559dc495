import type { FloatArray } from '../../tensor/dtype.js';
import type { Pool2DParams } from '../backend.js';

/*
 * 2-D pooling over NHWC. Every loop keeps the channel axis innermost, so each window cell is a
 * contiguous run of `channels` values and the per-channel state (running max, its position, the
 * running sum) lives in one small array per output pixel. Window cells in the padding are
 * skipped: they never win a max and do not count towards an average.
 */

/** out = the maximum of each window (padding cells never win). */
export function maxPool2d(x: FloatArray, out: FloatArray, p: Pool2DParams): void {
  const { batch, inH, inW, channels: C, outH, outW, kh, kw, strideH, strideW } = p;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - p.padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - p.padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, inW);
        for (let c = 0; c < C; c++) out[o + c] = -Infinity;
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const src = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[src + c]!;
              // NaN propagates, as in TensorFlow: once the running max is NaN it stays NaN.
              if (v > out[o + c]! || v !== v) out[o + c] = v;
            }
          }
        }
        o += C;
      }
    }
  }
}

/** Scratch for the position of each channel's running maximum. */
let argBuf = new Int32Array(0);
let maxBuf = new Float64Array(0);

/**
 * dx = dy routed to the first maximum of each window in row-major window order (overlapping
 * windows add up). dx is overwritten.
 */
export function maxPool2dGrad(
  x: FloatArray,
  dy: FloatArray,
  dx: FloatArray,
  p: Pool2DParams,
): void {
  const { batch, inH, inW, channels: C, outH, outW, kh, kw, strideH, strideW } = p;
  if (argBuf.length < C) {
    argBuf = new Int32Array(C);
    maxBuf = new Float64Array(C);
  }
  const arg = argBuf;
  const best = maxBuf;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - p.padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - p.padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, inW);
        for (let c = 0; c < C; c++) {
          best[c] = -Infinity;
          arg[c] = -1;
        }
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const src = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[src + c]!;
              // Strictly greater keeps the first maximum; the first NaN wins and stays.
              if (arg[c]! < 0 || v > best[c]! || (v !== v && best[c] === best[c])) {
                best[c] = v;
                arg[c] = src + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const i = arg[c]!;
          if (i >= 0) dx[i] = dx[i]! + dy[o + c]!;
        }
        o += C;
      }
    }
  }
}

/** out = the mean of each window over the cells inside the input. */
export function avgPool2d(x: FloatArray, out: FloatArray, p: Pool2DParams): void {
  const { batch, inH, inW, channels: C, outH, outW, kh, kw, strideH, strideW } = p;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - p.padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - p.padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, inW);
        for (let c = 0; c < C; c++) out[o + c] = 0;
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const src = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) out[o + c] = out[o + c]! + x[src + c]!;
          }
        }
        const count = (he - hs) * (we - ws);
        const scale = count > 0 ? 1 / count : 0;
        for (let c = 0; c < C; c++) out[o + c] = out[o + c]! * scale;
        o += C;
      }
    }
  }
}

/** dx: each dy spread evenly over the input cells of its window. dx is overwritten. */
export function avgPool2dGrad(dy: FloatArray, dx: FloatArray, p: Pool2DParams): void {
  const { batch, inH, inW, channels: C, outH, outW, kh, kw, strideH, strideW } = p;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * strideH - p.padTop;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * strideW - p.padLeft;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, inW);
        const count = (he - hs) * (we - ws);
        const scale = count > 0 ? 1 / count : 0;
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const dst = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) dx[dst + c] = dx[dst + c]! + dy[o + c]! * scale;
          }
        }
        o += C;
      }
    }
  }
}
