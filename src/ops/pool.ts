import { record } from '../autograd/engine.js';
import type { Pool2DParams } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, shapeMismatch } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Padding, type Size2D, sizeInt, sizePair, paddingOption, planAxis } from './conv.js';
import { cast } from './elementwise.js';
import { max, mean } from './reduction.js';
import { reshape } from './shape.js';
import { castTo, empty, expectTensor } from './util.js';

export interface Pool2DOptions {
  /** Window size. Default 2 (Keras' (2, 2)). */
  poolSize?: Size2D;
  /** Step between windows. Default: poolSize. */
  strides?: Size2D;
  /** 'valid' (the default) or 'same'. */
  padding?: Padding;
}

export interface Pool1DOptions {
  /** Window length. Default 2. */
  poolSize?: number;
  /** Step between windows. Default: poolSize. */
  strides?: number;
  /** 'valid' (the default) or 'same'. */
  padding?: Padding;
}

export interface GlobalPoolOptions {
  /** Keep the pooled spatial axes as size 1. Default false. */
  keepDims?: boolean;
}

function poolParams(
  x: Tensor,
  options: Pool2DOptions,
  op: string,
  shown: readonly number[],
): Pool2DParams {
  const [kh, kw] = sizePair(options.poolSize, 2, 'poolSize', op);
  const [sh, sw] =
    options.strides === undefined ? [kh, kw] : sizePair(options.strides, 1, 'strides', op);
  const padding = paddingOption(options.padding, ['valid', 'same'], op);
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  const rows = planAxis(inH, kh, sh, 1, padding);
  const cols = planAxis(inW, kw, sw, 1, padding);
  if (rows === null || cols === null) {
    throw shapeMismatch(
      `${op}: the pool window (${kh}×${kw}) is larger than the input under padding 'valid'. ` +
        `Received: x.shape=${fmtShape(shown)}. Use padding 'same' or a smaller poolSize.`,
    );
  }
  return {
    batch,
    inH,
    inW,
    channels,
    outH: rows.out,
    outW: cols.out,
    kh,
    kw,
    strideH: sh,
    strideW: sw,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
  };
}

function floatInput(x: Tensor, op: string, rank: number, layout: string): Tensor {
  expectTensor(x, op);
  if (x.rank !== rank) {
    throw shapeMismatch(
      `${op}: x must be ${rank}-D ${layout}. Received: x.shape=${fmtShape(x.shape)}`,
    );
  }
  return isFloat(x.dtype) ? x : cast(x, 'float32');
}

function maxPoolRaw(x: Tensor, p: Pool2DParams): Tensor {
  const out = empty([p.batch, p.outH, p.outW, p.channels], x.dtype);
  getBackend().maxPool2d(x.values as FloatArray, out.values as FloatArray, p);
  return record(out, 'maxPool2d', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    const g = castTo(dy, x.dtype).values as FloatArray;
    getBackend().maxPool2dGrad(x.values as FloatArray, g, dx.values as FloatArray, p);
    return [dx];
  });
}

function avgPoolRaw(x: Tensor, p: Pool2DParams): Tensor {
  const out = empty([p.batch, p.outH, p.outW, p.channels], x.dtype);
  getBackend().avgPool2d(x.values as FloatArray, out.values as FloatArray, p);
  return record(out, 'avgPool2d', [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    const g = castTo(dy, x.dtype).values as FloatArray;
    getBackend().avgPool2dGrad(g, dx.values as FloatArray, p);
    return [dx];
  });
}

/**
 * 2-D max pooling, channels last. The gradient goes to the first maximum of each window (in
 * row-major window order); cells in 'same' padding never win.
 *
 * @param x - (batch, height, width, channels).
 * @param options - poolSize (default 2), strides (default poolSize), padding (default 'valid').
 * @returns (batch, outHeight, outWidth, channels).
 * @throws TensileError 'shape_mismatch' when x is not 4-D or the window does not fit under
 *   'valid'; 'invalid_argument' for bad options.
 * @example
 * maxPool2d(zeros([8, 26, 26, 32])).shape; // [8, 13, 13, 32]
 */
export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const xf = floatInput(x, 'maxPool2d', 4, '(batch, height, width, channels)');
  return maxPoolRaw(xf, poolParams(xf, options, 'maxPool2d', x.shape));
}

/**
 * 2-D average pooling, channels last. Under 'same' the padded cells are left out of each
 * average (Keras' behaviour), so border windows divide by the cells they cover.
 *
 * @param x - (batch, height, width, channels).
 * @param options - poolSize (default 2), strides (default poolSize), padding (default 'valid').
 * @returns (batch, outHeight, outWidth, channels).
 * @throws TensileError as maxPool2d.
 * @example
 * avgPool2d(zeros([8, 5, 5, 3]), { poolSize: 3, strides: 2, padding: 'same' }).shape;
 * // [8, 3, 3, 3]
 */
export function avgPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  const xf = floatInput(x, 'avgPool2d', 4, '(batch, height, width, channels)');
  return avgPoolRaw(xf, poolParams(xf, options, 'avgPool2d', x.shape));
}

function pool1d(x: Tensor, options: Pool1DOptions, op: string, maxPool: boolean): Tensor {
  const xf = floatInput(x, op, 3, '(batch, steps, channels)');
  const [n, steps, c] = xf.shape as [number, number, number];
  const k = sizeInt(options.poolSize, 2, 'poolSize', op);
  const s = sizeInt(options.strides, k, 'strides', op);
  const x4 = reshape(xf, [n, 1, steps, c]);
  const p = poolParams(
    x4,
    { poolSize: [1, k], strides: [1, s], padding: options.padding ?? 'valid' },
    op,
    x.shape,
  );
  const y = maxPool ? maxPoolRaw(x4, p) : avgPoolRaw(x4, p);
  return reshape(y, [n, p.outW, c]);
}

/**
 * 1-D max pooling over (batch, steps, channels).
 *
 * @param options - poolSize (default 2), strides (default poolSize), padding (default 'valid').
 * @returns (batch, outSteps, channels).
 * @example
 * maxPool1d(zeros([4, 9, 2])).shape; // [4, 4, 2]
 */
export function maxPool1d(x: Tensor, options: Pool1DOptions = {}): Tensor {
  return pool1d(x, options, 'maxPool1d', true);
}

/**
 * 1-D average pooling over (batch, steps, channels); 'same' padding is left out of averages.
 *
 * @param options - poolSize (default 2), strides (default poolSize), padding (default 'valid').
 * @returns (batch, outSteps, channels).
 * @example
 * avgPool1d(zeros([4, 9, 2]), { poolSize: 3, strides: 1, padding: 'same' }).shape; // [4, 9, 2]
 */
export function avgPool1d(x: Tensor, options: Pool1DOptions = {}): Tensor {
  return pool1d(x, options, 'avgPool1d', false);
}

/**
 * Maximum over height and width: (batch, h, w, c) → (batch, c), or (batch, 1, 1, c) with
 * keepDims. Ties share the gradient evenly, as TensorFlow's reduce_max.
 */
export function globalMaxPool2d(x: Tensor, options: GlobalPoolOptions = {}): Tensor {
  const xf = floatInput(x, 'globalMaxPool2d', 4, '(batch, height, width, channels)');
  return max(xf, { axis: [1, 2], keepDims: options.keepDims ?? false });
}

/** Mean over height and width: (batch, h, w, c) → (batch, c), or (batch, 1, 1, c) with keepDims. */
export function globalAvgPool2d(x: Tensor, options: GlobalPoolOptions = {}): Tensor {
  const xf = floatInput(x, 'globalAvgPool2d', 4, '(batch, height, width, channels)');
  return mean(xf, { axis: [1, 2], keepDims: options.keepDims ?? false });
}

/** Maximum over steps: (batch, steps, c) → (batch, c), or (batch, 1, c) with keepDims. */
export function globalMaxPool1d(x: Tensor, options: GlobalPoolOptions = {}): Tensor {
  const xf = floatInput(x, 'globalMaxPool1d', 3, '(batch, steps, channels)');
  return max(xf, { axis: 1, keepDims: options.keepDims ?? false });
}

/** Mean over steps: (batch, steps, c) → (batch, c), or (batch, 1, c) with keepDims. */
export function globalAvgPool1d(x: Tensor, options: GlobalPoolOptions = {}): Tensor {
  const xf = floatInput(x, 'globalAvgPool1d', 3, '(batch, steps, channels)');
  return mean(xf, { axis: 1, keepDims: options.keepDims ?? false });
}
