/**
 * Activation functions, with Keras 3's names, defaults and gradient conventions. The classic ones
 * are one elementwise kernel each (backend/js/unary.ts), with the derivative at a kink chosen as
 * TensorFlow does; softmax / logSoftmax reduce along an axis with their own kernels; the rest
 * (relu with options, celu, the shrinks, glu, ...) compose elementwise ops as Keras writes them.
 */
import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, invalidArgument } from '../errors.js';
import { type FloatArray, isFloat } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add,
  cast,
  clip,
  div,
  exp,
  greater,
  greaterEqual,
  lessEqual,
  minimum,
  mul,
  neg,
  sub,
  unaryOp,
  where,
} from './elementwise.js';
import { split } from './shape-join.js';
import { castTo, empty, expectTensor } from './util.js';

export interface ReluOptions {
  /** Slope of the line for x below the threshold. Default 0. */
  negativeSlope?: number;
  /** Upper bound of the output; unbounded when omitted. */
  maxValue?: number;
  /** Values at or below the threshold are damped (set to 0, or sloped). Default 0. */
  threshold?: number;
}

function finite(value: number, op: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(`${op}: ${name} must be a finite number. Received: ${name}=${value}`);
  }
  return value;
}

/**
 * Rectified linear unit, max(x, 0), as Keras' `activations.relu`: with options it becomes
 * `x > threshold ? min(x, maxValue) : negativeSlope·(x − threshold)`. The gradient at 0 is 0.
 * @throws TensileError `invalid_argument` when an option is not a finite number.
 * @example
 * relu(tensor([-1, 0, 2, 9]), { maxValue: 6 }); // [0, 0, 2, 6]
 */
export function relu(x: Tensor, options: ReluOptions = {}): Tensor {
  const slope = finite(options.negativeSlope ?? 0, 'relu', 'negativeSlope');
  const cutoff = finite(options.threshold ?? 0, 'relu', 'threshold');
  const maxValue = options.maxValue;
  if (maxValue !== undefined) finite(maxValue, 'relu', 'maxValue');
  if (maxValue === undefined && cutoff === 0) {
    return slope === 0 ? unaryOp('relu', x) : unaryOp('leakyRelu', x, slope);
  }
  expectTensor(x, 'relu');
  // Keras' composition: the positive part, clipped, minus slope times the negative part.
  const negativePart = slope !== 0 ? unaryOp('relu', add(neg(x), cutoff)) : null;
  let y: Tensor;
  let clipMax = maxValue !== undefined;
  if (cutoff !== 0) {
    y = mul(x, cast(greater(x, cutoff), isFloat(x.dtype) ? x.dtype : 'float32'));
  } else if (maxValue === 6) {
    y = unaryOp('relu6', x);
    clipMax = false;
  } else {
    y = unaryOp('relu', x);
  }
  if (clipMax) y = clip(y, 0, maxValue!);
  return negativePart === null ? y : sub(y, mul(negativePart, slope));
}

/** min(max(x, 0), 6). The gradient is 0 at both corners, as in TensorFlow and JAX. */
export const relu6 = (x: Tensor): Tensor => unaryOp('relu6', x);

/**
 * x for x > 0, negativeSlope·x otherwise (default slope 0.2, as Keras' `leaky_relu`). The
 * gradient at 0 is the slope, as in TensorFlow and PyTorch.
 */
export function leakyRelu(x: Tensor, options: { negativeSlope?: number } = {}): Tensor {
  return unaryOp(
    'leakyRelu',
    x,
    finite(options.negativeSlope ?? 0.2, 'leakyRelu', 'negativeSlope'),
  );
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (default alpha 1). */
export function elu(x: Tensor, options: { alpha?: number } = {}): Tensor {
  return unaryOp('elu', x, finite(options.alpha ?? 1, 'elu', 'alpha'));
}

/** Scaled ELU (Klambauer et al., 2017) with its fixed α ≈ 1.6733 and scale ≈ 1.0507. */
export const selu = (x: Tensor): Tensor => unaryOp('selu', x);

/**
 * Gaussian error linear unit x·Φ(x) (Hendrycks & Gimpel, 2016). `approximate: true` uses the
 * tanh form 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Default exact, as Keras' activation.
 */
export function gelu(x: Tensor, options: { approximate?: boolean } = {}): Tensor {
  return unaryOp(options.approximate === true ? 'geluTanh' : 'gelu', x);
}

/** 1 / (1 + e⁻ˣ), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);

/** Keras 3's piecewise-linear sigmoid: relu6(x + 3) / 6, so 0 below −3 and 1 above 3. */
export const hardSigmoid = (x: Tensor): Tensor => unaryOp('hardSigmoid', x);

export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);

/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: Tensor): Tensor => unaryOp('softplus', x);

/** x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => unaryOp('softsign', x);

/** x·sigmoid(x), also called swish. */
export const silu = (x: Tensor): Tensor => unaryOp('silu', x);
export const swish = silu;

/** x·hardSigmoid(x) (hard swish, Howard et al., 2019). */
export const hardSilu = (x: Tensor): Tensor => mul(x, hardSigmoid(x));
export const hardSwish = hardSilu;

/** x·tanh(softplus(x)) (Misra, 2019). */
export const mish = (x: Tensor): Tensor => mul(x, tanh(softplus(x)));

/** log(sigmoid(x)) = −softplus(−x), finite for large negative x. */
export const logSigmoid = (x: Tensor): Tensor => neg(softplus(neg(x)));

/**
 * Continuously differentiable ELU (Barron, 2017): x for x > 0, alpha·(e^(x/alpha) − 1) otherwise.
 * Default alpha 0.075, as Keras.
 */
export function celu(x: Tensor, options: { alpha?: number } = {}): Tensor {
  const alpha = finite(options.alpha ?? 0.075, 'celu', 'alpha');
  if (alpha === 0) throw invalidArgument('celu: alpha must not be 0. Received: alpha=0');
  // The negative branch sees min(x, 0), so a large positive x cannot overflow it: an infinite
  // branch value would turn its zero gradient into 0·∞ = NaN.
  const negative = mul(unaryOp('expm1', div(minimum(x, 0), alpha)), alpha);
  return where(greater(x, 0), x, negative);
}

/** clip(x, −1, 1); the gradient passes at ±1. */
export const hardTanh = (x: Tensor): Tensor => clip(x, -1, 1);

/** x − tanh(x). */
export const tanhShrink = (x: Tensor): Tensor => sub(x, tanh(x));

/** x − threshold above the threshold, x + threshold below −threshold, 0 between (default 0.5). */
export function softShrink(x: Tensor, options: { threshold?: number } = {}): Tensor {
  const t = finite(options.threshold ?? 0.5, 'softShrink', 'threshold');
  return sub(x, clip(x, -t, t));
}

/** x where |x| > threshold, 0 elsewhere (default threshold 0.5). */
export function hardShrink(x: Tensor, options: { threshold?: number } = {}): Tensor {
  const t = finite(options.threshold ?? 0.5, 'hardShrink', 'threshold');
  return where(greater(unaryOp('abs', x), t), x, 0);
}

/** x where x > threshold, defaultValue elsewhere, as Keras' `threshold`. */
export function threshold(x: Tensor, options: { threshold: number; defaultValue: number }): Tensor {
  const t = finite(options.threshold, 'threshold', 'threshold');
  const value = finite(options.defaultValue, 'threshold', 'defaultValue');
  return where(greater(x, t), x, value);
}

/** (x + √(x² + b)) / 2, a smooth relu (default b 4). */
export function squareplus(x: Tensor, options: { b?: number } = {}): Tensor {
  const b = finite(options.b ?? 4, 'squareplus', 'b');
  if (b < 0) throw invalidArgument(`squareplus: b must be non-negative. Received: b=${b}`);
  return mul(add(x, unaryOp('sqrt', add(unaryOp('square', x), b))), 0.5);
}

/** 0 for x ≤ −1, x for x ≥ 1, and (x + 1)²/4 between: a relu with a quadratic elbow. */
export function sparsePlus(x: Tensor): Tensor {
  const elbow = mul(unaryOp('square', add(clip(x, -1, 1), 1)), 0.25);
  return where(lessEqual(x, -1), 0, where(greaterEqual(x, 1), x, elbow));
}

/** 0 for x ≤ −1, 1 for x ≥ 1, and (x + 1)/2 between; the gradient is 0 at ±1, as TensorFlow. */
export function sparseSigmoid(x: Tensor): Tensor {
  return where(lessEqual(x, -1), 0, where(greaterEqual(x, 1), 1, mul(add(x, 1), 0.5)));
}

/**
 * Gated linear unit (Dauphin et al., 2017): splits x in two halves a, b along `axis` (default −1,
 * which must have even length) and returns a·sigmoid(b).
 */
export function glu(x: Tensor, options: { axis?: number } = {}): Tensor {
  expectTensor(x, 'glu');
  if (x.rank === 0) throw invalidArgument('glu: x must have rank 1 or more. Received: shape []');
  const axis = normalizeAxis(options.axis ?? -1, x.rank, 'glu');
  if (x.shape[axis]! % 2 !== 0) {
    throw invalidArgument(
      `glu: axis ${axis} must have an even length to split in halves. Received: shape ` +
        `${fmtShape(x.shape)}`,
    );
  }
  const [a, b] = split(x, 2, { axis }) as [Tensor, Tensor];
  return mul(a, sigmoid(b));
}

/** eˣ, under its Keras activation name. */
export const exponential = (x: Tensor): Tensor => exp(x);

/** The identity, as Keras' `linear` activation. */
export function linear(x: Tensor): Tensor {
  return expectTensor(x, 'linear');
}

export interface SoftmaxOptions {
  /** The axis that sums to one. Default −1, the last. */
  axis?: number;
}

/**
 * eˣ / Σ eˣ along `axis`, shifted by the maximum so logits of any size stay finite. Rows that
 * hold +∞ or NaN, or are all −∞, give NaN as the maths does. Integer inputs give float32.
 * @throws TensileError `invalid_argument` when the axis is out of range.
 * @example
 * softmax(tensor([[1e4, 0, -1e4]])); // [[1, 0, 0]]
 * softmax(logits, { axis: 1 }); // over the channels of an NCHW tensor
 */
export function softmax(x: Tensor, options: SoftmaxOptions = {}): Tensor {
  return softmaxAlong(x, options.axis ?? -1, false);
}

/** x − log Σ eˣ along `axis`: the log of softmax without underflow to −∞. */
export function logSoftmax(x: Tensor, options: SoftmaxOptions = {}): Tensor {
  return softmaxAlong(x, options.axis ?? -1, true);
}

function softmaxAlong(x: Tensor, axis: number, log: boolean): Tensor {
  const op = log ? 'logSoftmax' : 'softmax';
  expectTensor(x, op);
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  // A scalar is a single class: softmax 1, log-softmax 0.
  const a = xf.rank === 0 ? (normalizeAxis(axis, 1, op), 0) : normalizeAxis(axis, xf.rank, op);
  // View the tensor as (outer, r, inner) with r the softmax axis.
  let outer = 1;
  for (let i = 0; i < a; i++) outer *= xf.shape[i]!;
  let inner = 1;
  for (let i = a + 1; i < xf.rank; i++) inner *= xf.shape[i]!;
  const r = xf.rank === 0 ? 1 : xf.shape[a]!;
  const out = empty(xf.shape, xf.dtype);
  const y = out.values as FloatArray;
  getBackend().softmax(xf.values as FloatArray, outer, r, inner, y, log);
  return record(out, op, [xf], (dy) => {
    const dx = empty(xf.shape, xf.dtype);
    getBackend().softmaxGrad(
      y,
      castTo(dy, xf.dtype).values as FloatArray,
      outer,
      r,
      inner,
      dx.values as FloatArray,
      log,
    );
    return [dx];
  });
}
