import { record } from '../autograd/engine.js';
import type { ResizeParams } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { type FloatArray, isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Size2D, sizePair } from './conv.js';
import { cast } from './elementwise.js';
import { broadcastTo, reshape } from './shape.js';
import { castTo, empty, expectTensor } from './util.js';

export interface UpSampling2DOptions {
  /** Upsampling factors [rows, cols], or one for both. Default 2. */
  size?: Size2D;
  /** 'nearest' (repeat rows and columns, the default) or 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
}

function imageInput(x: Tensor, op: string): Tensor {
  expectTensor(x, op);
  if (x.rank !== 4) {
    throw shapeMismatch(
      `${op}: x must be 4-D (batch, height, width, channels). ` +
        `Received: x.shape=${fmtShape(x.shape)}`,
    );
  }
  return x;
}

/** Interpolation computes in float: integer images are resized in float32. */
function floatImage(x: Tensor): Tensor {
  return isFloat(x.dtype) ? x : cast(x, 'float32');
}

function resizeRaw(x: Tensor, outH: number, outW: number): Tensor {
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const p: ResizeParams = { batch, inH, inW, channels, outH, outW };
  const out = empty([batch, outH, outW, channels], x.dtype);
  getBackend().resizeBilinear(x.values as FloatArray, out.values as FloatArray, p);
  return record(out, 'resizeBilinear', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    const g = castTo(dy, x.dtype).values as FloatArray;
    getBackend().resizeBilinearGrad(g, dx.values as FloatArray, p);
    return [dx];
  });
}

/**
 * Bilinear resize of NHWC images to [height, width], with half-pixel centers and no
 * antialiasing: Keras 3's `ops.image.resize(x, size, interpolation='bilinear')`
 * (tf.image.resize), which equals PyTorch's interpolate(mode='bilinear', align_corners=False).
 *
 * @param x - (batch, height, width, channels).
 * @param size - [outHeight, outWidth], positive integers.
 * @returns (batch, outHeight, outWidth, channels).
 * @throws TensileError 'shape_mismatch' when x is not 4-D; 'invalid_argument' for a bad size.
 * @example
 * resizeBilinear(tensor([[[[0], [4]]]]), [1, 4]); // [[[[0], [1], [3], [4]]]]
 */
export function resizeBilinear(x: Tensor, size: readonly [number, number]): Tensor {
  const img = imageInput(x, 'resizeBilinear');
  if (!Array.isArray(size)) {
    throw invalidArgument(
      `resizeBilinear: size must be [height, width]. Received: size=${String(size)}`,
    );
  }
  const [h, w] = sizePair(size, 1, 'size', 'resizeBilinear');
  return resizeRaw(floatImage(img), h, w);
}

/**
 * Keras' UpSampling2D as an op: scales height and width by integer factors. 'nearest' repeats
 * each row and column (its gradient sums the copies) and keeps the dtype; 'bilinear' resizes
 * with half-pixel centers as Keras 3 does through ops.image.resize (see resizeBilinear), in
 * float32 for integer input.
 *
 * @param x - (batch, height, width, channels).
 * @param options - size (default 2), interpolation (default 'nearest').
 * @returns (batch, height·size[0], width·size[1], channels).
 * @throws TensileError 'shape_mismatch' when x is not 4-D; 'invalid_argument' for bad options.
 * @example
 * upSampling2d(tensor([[[[1], [2]]]]), { size: [1, 2] }); // [[[[1], [1], [2], [2]]]]
 * upSampling2d(zeros([8, 7, 7, 3]), { interpolation: 'bilinear' }).shape; // [8, 14, 14, 3]
 */
export function upSampling2d(x: Tensor, options: UpSampling2DOptions = {}): Tensor {
  const op = 'upSampling2d';
  const img = imageInput(x, op);
  const [sh, sw] = sizePair(options.size, 2, 'size', op);
  const interpolation = options.interpolation ?? 'nearest';
  const [n, h, w, c] = img.shape as [number, number, number, number];
  if (interpolation === 'bilinear') return resizeRaw(floatImage(img), h * sh, w * sw);
  if (interpolation !== 'nearest') {
    throw invalidArgument(
      `${op}: interpolation must be 'nearest' or 'bilinear'. ` +
        `Received: interpolation=${String(interpolation)}`,
    );
  }
  // Each pixel broadcast over an (sh, sw) block: (n, h, 1, w, 1, c) → (n, h, sh, w, sw, c).
  const blocks = broadcastTo(reshape(img, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]);
  return reshape(blocks, [n, h * sh, w * sw, c]);
}
