import { record } from '../autograd/engine.js';
import type { Conv2DParams } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { type DType, type FloatArray, isFloat, promoteTypes } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './elementwise.js';
import { reshape } from './shape.js';
import { castTo, empty, expectTensor } from './util.js';

/** How a convolution or pooling window treats the border (Keras' `padding`). */
export type Padding = 'valid' | 'same';

/** One number for both spatial axes, or [height, width]. */
export type Size2D = number | readonly [number, number];

export interface Conv2DOptions {
  /** Step between windows. Default 1. */
  strides?: Size2D;
  /** 'valid' (no padding, the default) or 'same' (output = ceil(input / stride)). */
  padding?: Padding;
  /** Spacing between kernel taps. Default 1. */
  dilationRate?: Size2D;
  /**
   * Channel groups: input and output channels split into this many independent convs. Default 1.
   */
  groups?: number;
}

export interface Conv2DTransposeOptions {
  /** Step of the forward convolution this transposes, i.e. the upsampling factor. Default 1. */
  strides?: Size2D;
  /** Default 'valid'. */
  padding?: Padding;
  /** Default 1. */
  dilationRate?: Size2D;
  /** Extra rows/columns at the bottom/right of the output; must be less than the stride. */
  outputPadding?: Size2D;
}

export interface DepthwiseConv2DOptions {
  /** Default 1. */
  strides?: Size2D;
  /** Default 'valid'. */
  padding?: Padding;
  /** Default 1. */
  dilationRate?: Size2D;
}

export interface Conv1DOptions {
  /** Default 1. */
  strides?: number;
  /** 'valid' (the default), 'same', or 'causal' (left padding only: out[t] sees x[..t]). */
  padding?: Padding | 'causal';
  /** Default 1. */
  dilationRate?: number;
  /** Default 1. */
  groups?: number;
}

/** @internal A size option as [h, w] of positive integers. */
export function sizePair(
  value: Size2D | undefined,
  fallback: number,
  name: string,
  op: string,
  min = 1,
): [number, number] {
  const pair: readonly number[] =
    value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : value;
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    const what = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw invalidArgument(
      `${op}: ${name} must be ${what} or a pair [height, width] of them. ` +
        `Received: ${name}=${Array.isArray(value) ? fmtShape(value) : String(value)}`,
    );
  }
  return [pair[0]!, pair[1]!];
}

/** @internal A 1-D size option: one positive integer. */
export function sizeInt(
  value: number | undefined,
  fallback: number,
  name: string,
  op: string,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw invalidArgument(
      `${op}: ${name} must be a positive integer. Received: ${name}=${String(value)}`,
    );
  }
  return v;
}

/** @internal Checks a `padding` option against the allowed values. */
export function paddingOption<P extends string>(
  value: P | undefined,
  allowed: readonly P[],
  op: string,
): P {
  const padding = value ?? allowed[0]!;
  if (!allowed.includes(padding)) {
    throw invalidArgument(
      `${op}: padding must be one of ${allowed.map((a) => `'${a}'`).join(', ')}. ` +
        `Received: padding=${String(value)}`,
    );
  }
  return padding;
}

/**
 * @internal Output length and leading padding of one spatial axis, with Keras/TF's rules:
 * 'valid' gives floor((in − k_eff) / stride) + 1 with no padding; 'same' gives ceil(in / stride)
 * with total padding max((out − 1)·stride + k_eff − in, 0), the odd one at the end; 'causal'
 * pads k_eff − 1 at the start only. k_eff = (k − 1)·dilation + 1. Null when the window does not
 * fit ('valid' with k_eff > in).
 */
export function planAxis(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  padding: Padding | 'causal',
): { out: number; padBefore: number } | null {
  const keff = (k - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + keff - inSize, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  const padBefore = padding === 'causal' ? keff - 1 : 0;
  if (inSize + padBefore < keff) return null;
  return { out: Math.floor((inSize + padBefore - keff) / stride) + 1, padBefore };
}

/** Both operands in one float dtype (float32 for integers), as matmul does. */
function floatPair(x: Tensor, kernel: Tensor): [Tensor, Tensor] {
  let dtype: DType = promoteTypes(x.dtype, kernel.dtype);
  if (!isFloat(dtype)) dtype = 'float32';
  return [cast(x, dtype), cast(kernel, dtype)];
}

function expectRank(t: Tensor, rank: number, op: string, arg: string, layout: string): void {
  if (t.rank !== rank) {
    throw shapeMismatch(
      `${op}: ${arg} must be ${rank}-D ${layout}. Received: ${arg}.shape=${fmtShape(t.shape)}`,
    );
  }
}

interface ConvGeometry {
  op: string;
  xShape: readonly number[];
  kShape: readonly number[];
  strides: [number, number];
  dilation: [number, number];
  padding: [Padding | 'causal', Padding | 'causal'];
  groups: number;
  /** The shapes as the caller passed them, for messages (conv1d and depthwise reshape). */
  shown?: [readonly number[], readonly number[]];
}

/**
 * Validates a 2-D convolution of x (N, H, W, Cin) with a kernel (kh, kw, Cin/groups, Cout) and
 * returns its kernel parameters. Errors name the op and both shapes.
 */
function convParams(g: ConvGeometry): Conv2DParams {
  const { op, xShape, kShape, groups } = g;
  const [xShown, kShown] = g.shown ?? [xShape, kShape];
  const shapes = `Received: x.shape=${fmtShape(xShown)}, kernel.shape=${fmtShape(kShown)}`;
  if (!Number.isInteger(groups) || groups < 1) {
    throw invalidArgument(`${op}: groups must be a positive integer. Received: groups=${groups}`);
  }
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kh, kw, kIn, outC] = kShape as [number, number, number, number];
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw invalidArgument(
      `${op}: groups=${groups} must divide both the input channels (${inC}) and the filters ` +
        `(${outC}). ${shapes}. Choose a groups value that divides both.`,
    );
  }
  if (kIn * groups !== inC) {
    throw shapeMismatch(
      `${op}: the kernel expects ${kIn * groups} input channels (kernel.shape[2]=${kIn} × ` +
        `groups=${groups}) but x has ${inC}. ${shapes}. The kernel's third axis times groups ` +
        `must equal the channels of x.`,
    );
  }
  if (kh < 1 || kw < 1) {
    throw shapeMismatch(`${op}: the kernel needs at least one row and one column. ${shapes}`);
  }
  const rows = planAxis(inH, kh, g.strides[0], g.dilation[0], g.padding[0]);
  const cols = planAxis(inW, kw, g.strides[1], g.dilation[1], g.padding[1]);
  if (rows === null || cols === null) {
    const keh = (kh - 1) * g.dilation[0] + 1;
    const kew = (kw - 1) * g.dilation[1] + 1;
    const dilated = g.dilation[0] > 1 || g.dilation[1] > 1 ? ' after dilation' : '';
    throw shapeMismatch(
      `${op}: the kernel window (${keh}×${kew}${dilated}) is larger than the input ` +
        `(${inH}×${inW}) under padding 'valid'. ${shapes}. Use padding 'same' or a smaller kernel.`,
    );
  }
  return {
    batch,
    inH,
    inW,
    inC,
    outH: rows.out,
    outW: cols.out,
    outC,
    kh,
    kw,
    strideH: g.strides[0],
    strideW: g.strides[1],
    dilationH: g.dilation[0],
    dilationW: g.dilation[1],
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
    groups,
  };
}

/*
 * The three convolution kernels as recorded ops. Each is linear in each argument, and the
 * gradient of each is expressed with the other two, so conv2dTranspose (which is
 * backpropInput run forward) gets its gradients for free.
 */

function convForward(x: Tensor, w: Tensor, p: Conv2DParams): Tensor {
  const out = empty([p.batch, p.outH, p.outW, p.outC], x.dtype);
  getBackend().conv2d(x.values as FloatArray, w.values as FloatArray, out.values as FloatArray, p);
  return record(out, 'conv2d', [x, w], (dy) => {
    // Skip the gradient an input does not need: the first layer's input never needs one.
    const g = castTo(dy, x.dtype);
    return [
      x.requiresGrad ? convBackpropInput(g, w, p) : null,
      w.requiresGrad ? convBackpropFilter(x, g, p) : null,
    ];
  });
}

function convBackpropInput(dy: Tensor, w: Tensor, p: Conv2DParams): Tensor {
  const dx = empty([p.batch, p.inH, p.inW, p.inC], dy.dtype);
  getBackend().conv2dBackpropInput(
    dy.values as FloatArray,
    w.values as FloatArray,
    dx.values as FloatArray,
    p,
  );
  return record(dx, 'conv2dBackpropInput', [dy, w], (g0) => {
    const g = castTo(g0, dy.dtype);
    return [
      dy.requiresGrad ? convForward(g, w, p) : null,
      w.requiresGrad ? convBackpropFilter(g, dy, p) : null,
    ];
  });
}

function convBackpropFilter(x: Tensor, dy: Tensor, p: Conv2DParams): Tensor {
  const dw = empty([p.kh, p.kw, p.inC / p.groups, p.outC], x.dtype);
  getBackend().conv2dBackpropFilter(
    x.values as FloatArray,
    dy.values as FloatArray,
    dw.values as FloatArray,
    p,
  );
  return record(dw, 'conv2dBackpropFilter', [x, dy], (g0) => {
    const g = castTo(g0, x.dtype);
    return [
      x.requiresGrad ? convBackpropInput(dy, g, p) : null,
      dy.requiresGrad ? convForward(x, g, p) : null,
    ];
  });
}

/**
 * 2-D convolution (cross-correlation, as Keras), channels last.
 *
 * @param x - (batch, height, width, inChannels).
 * @param kernel - (kh, kw, inChannels / groups, filters).
 * @param options - strides (default 1), padding (default 'valid'), dilationRate (default 1),
 *   groups (default 1).
 * @returns (batch, outHeight, outWidth, filters), where 'same' gives ceil(in / stride) and
 *   'valid' floor((in − (k − 1)·dilation − 1) / stride) + 1.
 * @throws TensileError 'shape_mismatch' for wrong ranks, a channel mismatch, or a kernel larger
 *   than the input under 'valid'; 'invalid_argument' for bad options or groups that do not
 *   divide the channels.
 * @example
 * conv2d(zeros([8, 28, 28, 1]), zeros([3, 3, 1, 32])).shape; // [8, 26, 26, 32]
 * conv2d(zeros([8, 28, 28, 1]), zeros([3, 3, 1, 32]), { strides: 2, padding: 'same' }).shape;
 * // [8, 14, 14, 32]
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const op = 'conv2d';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectRank(x, 4, op, 'x', '(batch, height, width, channels)');
  expectRank(kernel, 4, op, 'kernel', '(kh, kw, inChannels / groups, filters)');
  const padding = paddingOption(options.padding, ['valid', 'same'], op);
  const p = convParams({
    op,
    xShape: x.shape,
    kShape: kernel.shape,
    strides: sizePair(options.strides, 1, 'strides', op),
    dilation: sizePair(options.dilationRate, 1, 'dilationRate', op),
    padding: [padding, padding],
    groups: options.groups ?? 1,
  });
  const [xf, wf] = floatPair(x, kernel);
  return convForward(xf, wf, p);
}

/**
 * Keras' deconv_output_length: the length a transposed convolution produces from `inSize`.
 * Without outputPadding, 'valid' gives in·stride + max(k_eff − stride, 0) and 'same' in·stride;
 * with it, (in − 1)·stride + k_eff − 2·pad + outputPadding with pad = floor(k_eff / 2) for
 * 'same' and 0 for 'valid'.
 */
/** @internal Keras' deconv_output_length: a transposed convolution's output size on one axis. */
export function deconvLength(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  padding: Padding,
  outputPadding: number | null,
): number {
  const keff = (k - 1) * dilation + 1;
  if (outputPadding === null) {
    return padding === 'valid' ? inSize * stride + Math.max(keff - stride, 0) : inSize * stride;
  }
  const pad = padding === 'same' ? Math.floor(keff / 2) : 0;
  return (inSize - 1) * stride + keff - 2 * pad + outputPadding;
}

/**
 * Transposed 2-D convolution ("deconvolution"), channels last: the gradient of conv2d with
 * respect to its input, run forward. The output size follows Keras' deconv_output_length, and
 * its padding is that of the conv2d which maps the output back to x (TensorFlow's rule).
 *
 * @param x - (batch, height, width, inChannels).
 * @param kernel - (kh, kw, filters, inChannels), as Keras' Conv2DTranspose stores it.
 * @param options - strides (default 1), padding (default 'valid'), dilationRate (default 1),
 *   outputPadding (default none; each value below its stride).
 * @returns (batch, outHeight, outWidth, filters).
 * @throws TensileError 'shape_mismatch' for wrong ranks or kernel.shape[3] ≠ inChannels;
 *   'invalid_argument' for bad options.
 * @example
 * conv2dTranspose(zeros([8, 7, 7, 16]), zeros([3, 3, 4, 16]), { strides: 2, padding: 'same' })
 *   .shape; // [8, 14, 14, 4]
 */
export function conv2dTranspose(
  x: Tensor,
  kernel: Tensor,
  options: Conv2DTransposeOptions = {},
): Tensor {
  const op = 'conv2dTranspose';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectRank(x, 4, op, 'x', '(batch, height, width, channels)');
  expectRank(kernel, 4, op, 'kernel', '(kh, kw, filters, inChannels)');
  const padding = paddingOption(options.padding, ['valid', 'same'], op);
  const strides = sizePair(options.strides, 1, 'strides', op);
  const dilation = sizePair(options.dilationRate, 1, 'dilationRate', op);
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const [kh, kw, filters, kIn] = kernel.shape as [number, number, number, number];
  if (kIn !== inC) {
    throw shapeMismatch(
      `${op}: the kernel expects ${kIn} input channels (kernel.shape[3]) but x has ${inC}. ` +
        `Received: x.shape=${fmtShape(x.shape)}, kernel.shape=${fmtShape(kernel.shape)}. ` +
        `A transposed-conv kernel is (kh, kw, filters, inChannels), as in Keras.`,
    );
  }
  let outPad: [number, number] | null = null;
  if (options.outputPadding !== undefined) {
    outPad = sizePair(options.outputPadding, 0, 'outputPadding', op, 0);
  }
  if (outPad !== null && (outPad[0] >= strides[0] || outPad[1] >= strides[1])) {
    throw invalidArgument(
      `${op}: outputPadding must be smaller than strides. Received: ` +
        `outputPadding=${fmtShape(outPad)}, strides=${fmtShape(strides)}`,
    );
  }
  const outH = deconvLength(inH, kh, strides[0], dilation[0], padding, outPad?.[0] ?? null);
  const outW = deconvLength(inW, kw, strides[1], dilation[1], padding, outPad?.[1] ?? null);
  // The forward conv maps (outH, outW) back to (inH, inW); 'same' pads as TensorFlow's
  // conv2d_transpose does for that output size, odd padding at the bottom/right.
  const pad = (o: number, i: number, k: number, s: number, d: number): number =>
    padding === 'same' ? Math.floor(Math.max((i - 1) * s + (k - 1) * d + 1 - o, 0) / 2) : 0;
  const p: Conv2DParams = {
    batch,
    inH: outH,
    inW: outW,
    inC: filters,
    outH: inH,
    outW: inW,
    outC: inC,
    kh,
    kw,
    strideH: strides[0],
    strideW: strides[1],
    dilationH: dilation[0],
    dilationW: dilation[1],
    padTop: pad(outH, inH, kh, strides[0], dilation[0]),
    padLeft: pad(outW, inW, kw, strides[1], dilation[1]),
    groups: 1,
  };
  const [xf, wf] = floatPair(x, kernel);
  return convBackpropInput(xf, wf, p);
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own `multiplier` filters;
 * output channel c·multiplier + m comes from input channel c and kernel[:, :, c, m].
 *
 * @param x - (batch, height, width, channels).
 * @param kernel - (kh, kw, channels, multiplier).
 * @param options - strides (default 1), padding (default 'valid'), dilationRate (default 1).
 * @returns (batch, outHeight, outWidth, channels · multiplier).
 * @throws TensileError 'shape_mismatch' for wrong ranks, kernel.shape[2] ≠ channels, or a
 *   kernel larger than the input under 'valid'.
 * @example
 * depthwiseConv2d(zeros([8, 32, 32, 3]), zeros([3, 3, 3, 2]), { padding: 'same' }).shape;
 * // [8, 32, 32, 6]
 */
export function depthwiseConv2d(
  x: Tensor,
  kernel: Tensor,
  options: DepthwiseConv2DOptions = {},
): Tensor {
  const op = 'depthwiseConv2d';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectRank(x, 4, op, 'x', '(batch, height, width, channels)');
  expectRank(kernel, 4, op, 'kernel', '(kh, kw, channels, multiplier)');
  const [kh, kw, c, mult] = kernel.shape as [number, number, number, number];
  if (c !== x.shape[3]) {
    throw shapeMismatch(
      `${op}: the kernel expects ${c} channels (kernel.shape[2]) but x has ${x.shape[3]}. ` +
        `Received: x.shape=${fmtShape(x.shape)}, kernel.shape=${fmtShape(kernel.shape)}. ` +
        `A depthwise kernel is (kh, kw, channels, multiplier).`,
    );
  }
  const padding = paddingOption(options.padding, ['valid', 'same'], op);
  const p = convParams({
    op,
    xShape: x.shape,
    kShape: [kh, kw, 1, c * mult],
    strides: sizePair(options.strides, 1, 'strides', op),
    dilation: sizePair(options.dilationRate, 1, 'dilationRate', op),
    padding: [padding, padding],
    groups: c,
    shown: [x.shape, kernel.shape],
  });
  const [xf, wf] = floatPair(x, kernel);
  // (kh, kw, C, mult) in row-major order is (kh, kw, 1, C·mult) with channel c·mult + m.
  return convForward(xf, reshape(wf, [kh, kw, 1, c * mult]), p);
}

/**
 * 1-D convolution over (batch, steps, channels), computed as conv2d with a height of 1.
 *
 * @param x - (batch, steps, inChannels).
 * @param kernel - (k, inChannels / groups, filters).
 * @param options - strides (default 1), padding 'valid' (default), 'same' or 'causal',
 *   dilationRate (default 1), groups (default 1).
 * @returns (batch, outSteps, filters).
 * @throws TensileError as conv2d.
 * @example
 * conv1d(zeros([4, 100, 8]), zeros([5, 8, 16]), { padding: 'causal' }).shape; // [4, 100, 16]
 */
export function conv1d(x: Tensor, kernel: Tensor, options: Conv1DOptions = {}): Tensor {
  const op = 'conv1d';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectRank(x, 3, op, 'x', '(batch, steps, channels)');
  expectRank(kernel, 3, op, 'kernel', '(k, inChannels / groups, filters)');
  const padding = paddingOption(options.padding, ['valid', 'same', 'causal'], op);
  const stride = sizeInt(options.strides, 1, 'strides', op);
  const dilation = sizeInt(options.dilationRate, 1, 'dilationRate', op);
  const [n, steps, c] = x.shape as [number, number, number];
  const [k, kIn, filters] = kernel.shape as [number, number, number];
  const p = convParams({
    op,
    xShape: [n, 1, steps, c],
    kShape: [1, k, kIn, filters],
    strides: [1, stride],
    dilation: [1, dilation],
    padding: ['valid', padding],
    groups: options.groups ?? 1,
    shown: [x.shape, kernel.shape],
  });
  const [xf, wf] = floatPair(x, kernel);
  const y = convForward(reshape(xf, [n, 1, steps, c]), reshape(wf, [1, k, kIn, filters]), p);
  return reshape(y, [n, p.outW, filters]);
}
