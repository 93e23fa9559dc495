/**
 * Loss functions with Keras 3's function semantics: `f(yTrue, yPred, options)` returns one loss
 * per sample, reduced over the last axis (or the class axis), so its shape is the batch
 * dimensions. Reductions over the batch and sample weights belong to the Loss classes in
 * src/losses. yTrue is cast to yPred's dtype; integer predictions are computed in float32.
 *
 * Probabilities are clipped to [ε, 1 − ε] with ε = 1e-7, Keras' `backend.epsilon()`, so a
 * confident wrong prediction costs about 16.1 rather than infinity.
 */
import { noGrad, record } from '../autograd/engine.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import { broadcastShapes, normalizeAxis, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { logSoftmax, relu, sigmoid, softmax, softplus } from './activations.js';
import {
  abs,
  add,
  cast,
  clip,
  div,
  exp,
  lessEqual,
  log,
  log1p,
  maximum,
  mul,
  neg,
  pow,
  rsqrt,
  square,
  sub,
  where,
} from './elementwise.js';
import { max, mean, sum } from './reduction.js';
import { broadcastTo, expandDims, squeeze } from './shape.js';
import { empty, expectTensor, sumToShape } from './util.js';

/** Keras' fuzz factor, `keras.backend.epsilon()`. */
const EPSILON = 1e-7;

/**
 * Validates both operands, casts yTrue to yPred's float dtype and lines their ranks up as Keras'
 * `squeeze_or_expand_to_same_rank` does: labels of shape [N] meet predictions of shape [N,1].
 */
function prepare(yTrue: Tensor, yPred: Tensor, op: string): [Tensor, Tensor] {
  expectTensor(yTrue, op, 'yTrue');
  expectTensor(yPred, op, 'yPred');
  let yp = isFloat(yPred.dtype) ? yPred : cast(yPred, 'float32');
  let yt = cast(yTrue, yp.dtype);
  if (yt.rank === yp.rank + 1 && yt.shape[yt.rank - 1] === 1) {
    if (yp.rank === 1) yp = expandDims(yp, -1);
    else yt = squeeze(yt, -1);
  } else if (yp.rank === yt.rank + 1 && yp.shape[yp.rank - 1] === 1) {
    if (yt.rank === 1) yt = expandDims(yt, -1);
    else yp = squeeze(yp, -1);
  }
  broadcastShapes(yt.shape, yp.shape, op);
  return [yt, yp];
}

/** Mean (or sum) over one axis; a scalar has no axis to reduce and is returned as it is. */
function perSample(x: Tensor, how: 'mean' | 'sum', axis = -1, op = 'loss'): Tensor {
  if (x.rank === 0) return x;
  const a = normalizeAxis(axis, x.rank, op);
  return how === 'mean' ? mean(x, { axis: a }) : sum(x, { axis: a });
}

function clipProbabilities(p: Tensor): Tensor {
  return clip(p, EPSILON, 1 - EPSILON);
}

function checkSmoothing(value: number | undefined, op: string): number {
  const s = value ?? 0;
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) {
    throw invalidArgument(`${op}: labelSmoothing must be in [0, 1]. Received: labelSmoothing=${s}`);
  }
  return s;
}

/**
 * mean((yTrue − yPred)²) over the last axis.
 * @example
 * meanSquaredError(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [1, 0]])); // [0.5, 0.5]
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'meanSquaredError');
  return perSample(square(sub(yt, yp)), 'mean');
}

/** mean(|yTrue − yPred|) over the last axis. The gradient at a zero error is 0. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'meanAbsoluteError');
  return perSample(abs(sub(yt, yp)), 'mean');
}

/** 100·mean(|yTrue − yPred| / max(|yTrue|, ε)) over the last axis. */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'meanAbsolutePercentageError');
  return mul(perSample(abs(div(sub(yt, yp), maximum(abs(yt), EPSILON))), 'mean'), 100);
}

/** mean((log(max(yPred, ε) + 1) − log(max(yTrue, ε) + 1))²) over the last axis. */
export function meanSquaredLogarithmicError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'meanSquaredLogarithmicError');
  const diff = sub(log(add(maximum(yp, EPSILON), 1)), log(add(maximum(yt, EPSILON), 1)));
  return perSample(square(diff), 'mean');
}

/**
 * Huber loss, mean over the last axis of ½e² where |e| ≤ delta and delta·|e| − ½delta²
 * elsewhere, with e = yPred − yTrue. `delta` defaults to 1.
 */
export function huber(yTrue: Tensor, yPred: Tensor, options: { delta?: number } = {}): Tensor {
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta >= 0) || !Number.isFinite(delta)) {
    throw invalidArgument(`huber: delta must be a non-negative number. Received: delta=${delta}`);
  }
  const [yt, yp] = prepare(yTrue, yPred, 'huber');
  const error = sub(yp, yt);
  const absError = abs(error);
  const quadratic = mul(square(error), 0.5);
  const linearPart = sub(mul(absError, delta), 0.5 * delta * delta);
  return perSample(where(lessEqual(absError, delta), quadratic, linearPart), 'mean');
}

/** mean(log(cosh(yPred − yTrue))) over the last axis, as x + softplus(−2x) − log 2. */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'logCosh');
  const x = sub(yp, yt);
  return perSample(sub(add(x, softplus(mul(x, -2))), Math.LN2), 'mean');
}

export interface BinaryCrossentropyOptions {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Squeezes labels towards 0.5: z·(1 − s) + s/2. Default 0. */
  labelSmoothing?: number;
  /** The axis the mean is taken over. Default −1. */
  axis?: number;
}

/**
 * Binary cross-entropy, averaged over `axis`. From probabilities: −(z·log p + (1 − z)·log(1 − p))
 * with p clipped to [ε, 1 − ε]. From logits x: max(x, 0) − x·z + log(1 + e^(−|x|)), whose
 * gradient sigmoid(x) − z is recorded directly (exact at x = 0, where |x| has a kink).
 * @throws TensileError `invalid_argument` for labelSmoothing outside [0, 1].
 * @example
 * binaryCrossentropy(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]])); // [0.916, 0.714]
 */
export function binaryCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: BinaryCrossentropyOptions = {},
): Tensor {
  const op = 'binaryCrossentropy';
  const smoothing = checkSmoothing(options.labelSmoothing, op);
  const [labels, yp] = prepare(yTrue, yPred, op);
  const z = smoothing > 0 ? add(mul(labels, 1 - smoothing), 0.5 * smoothing) : labels;
  let elementwise: Tensor;
  if (options.fromLogits === true) {
    elementwise = sigmoidCrossEntropyWithLogits(z, yp);
  } else {
    elementwise = bceFromProbabilities(z, yp);
  }
  return perSample(elementwise, 'mean', options.axis ?? -1, op);
}

/** −(z·log p + (1 − z)·log(1 − p)) with p clipped to [ε, 1 − ε]. */
function bceFromProbabilities(z: Tensor, p: Tensor): Tensor {
  const pc = clipProbabilities(p);
  return neg(add(mul(z, log(pc)), mul(sub(1, z), log(sub(1, pc)))));
}

function sigmoidCrossEntropyWithLogits(z: Tensor, x: Tensor): Tensor {
  const out = noGrad(() => add(sub(relu(x), mul(x, z)), log1p(exp(neg(abs(x))))));
  return record(out, 'sigmoidCrossEntropyWithLogits', [z, x], (dy) => [
    sumToShape(mul(dy, neg(x)), z.shape),
    sumToShape(mul(dy, sub(sigmoid(x), z)), x.shape),
  ]);
}

export interface BinaryFocalCrossentropyOptions extends BinaryCrossentropyOptions {
  /** Weights class 1 by alpha and class 0 by 1 − alpha. Default false. */
  applyClassBalancing?: boolean;
  /** The class-1 weight under applyClassBalancing. Default 0.25. */
  alpha?: number;
  /** The focusing exponent: 0 gives plain binary cross-entropy. Default 2. */
  gamma?: number;
}

/**
 * Binary focal cross-entropy (Lin et al., 2017, "Focal Loss for Dense Object Detection"):
 * (1 − pₜ)^gamma · BCE, with pₜ = z·p + (1 − z)·(1 − p) and BCE from clipped probabilities (logits
 * go through sigmoid first), averaged over `axis`, as Keras 3.
 */
export function binaryFocalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: BinaryFocalCrossentropyOptions = {},
): Tensor {
  const op = 'binaryFocalCrossentropy';
  const smoothing = checkSmoothing(options.labelSmoothing, op);
  const gamma = options.gamma ?? 2;
  const alpha = options.alpha ?? 0.25;
  const [labels, logitsOrP] = prepare(yTrue, yPred, op);
  const z = smoothing > 0 ? add(mul(labels, 1 - smoothing), 0.5 * smoothing) : labels;
  const p = options.fromLogits === true ? sigmoid(logitsOrP) : logitsOrP;
  const bce = bceFromProbabilities(z, p);
  const pT = add(mul(z, p), mul(sub(1, z), sub(1, p)));
  let focal = mul(pow(sub(1, pT), gamma), bce);
  if (options.applyClassBalancing === true) {
    focal = mul(add(mul(z, alpha), mul(sub(1, z), 1 - alpha)), focal);
  }
  return perSample(focal, 'mean', options.axis ?? -1, op);
}

export interface CategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** The class axis. Default −1. */
  axis?: number;
  /** Mixes the labels with the uniform distribution: y·(1 − s) + s/numClasses. Default 0. */
  labelSmoothing?: number;
}

/**
 * Categorical cross-entropy −Σ y·log p over the class axis, for one-hot (or soft) labels. From
 * probabilities, yPred is first divided by its sum over the axis and then clipped to [ε, 1 − ε];
 * from logits, log p is logSoftmax(yPred), exact for logits of any size. Label smoothing divides
 * by the length of the class axis (Keras divides by the last axis's length, which is the same
 * unless `axis` is not −1).
 * @throws TensileError `shape_mismatch` unless yTrue and yPred have the same shape.
 * @example
 * categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[0.05, 0.95, 0]])); // [0.0513]
 */
export function categoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CategoricalCrossentropyOptions = {},
): Tensor {
  const op = 'categoricalCrossentropy';
  const smoothing = checkSmoothing(options.labelSmoothing, op);
  expectSameShape(yTrue, yPred, op);
  const yp = isFloat(yPred.dtype) ? yPred : cast(yPred, 'float32');
  let yt = cast(yTrue, yp.dtype);
  const axis = normalizeAxis(options.axis ?? -1, yp.rank, op);
  if (smoothing > 0) yt = add(mul(yt, 1 - smoothing), smoothing / yp.shape[axis]!);
  return neg(sum(mul(yt, logProbabilities(yp, axis, options.fromLogits === true)), { axis }));
}

function expectSameShape(yTrue: Tensor, yPred: Tensor, op: string): void {
  expectTensor(yTrue, op, 'yTrue');
  expectTensor(yPred, op, 'yPred');
  if (!shapesEqual(yTrue.shape, yPred.shape) || yPred.rank === 0) {
    throw shapeMismatch(
      `${op}: yTrue and yPred must have the same shape, of rank 1 or more. Received: ` +
        `yTrue.shape=${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)}. ` +
        `For integer class labels use sparseCategoricalCrossentropy.`,
    );
  }
}

function logProbabilities(yp: Tensor, axis: number, fromLogits: boolean): Tensor {
  if (fromLogits) return logSoftmax(yp, { axis });
  return log(clipProbabilities(div(yp, sum(yp, { axis, keepDims: true }))));
}

/**
 * Categorical focal cross-entropy, Σ alpha·(1 − p)^gamma·(−y·log p) over the class axis, with p
 * normalized and clipped as in categoricalCrossentropy (softmax first for logits). Defaults:
 * alpha 0.25, gamma 2.
 */
export function categoricalFocalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CategoricalCrossentropyOptions & { alpha?: number; gamma?: number } = {},
): Tensor {
  const op = 'categoricalFocalCrossentropy';
  const smoothing = checkSmoothing(options.labelSmoothing, op);
  expectSameShape(yTrue, yPred, op);
  const logitsOrP = isFloat(yPred.dtype) ? yPred : cast(yPred, 'float32');
  let yt = cast(yTrue, logitsOrP.dtype);
  const axis = normalizeAxis(options.axis ?? -1, logitsOrP.rank, op);
  if (smoothing > 0) yt = add(mul(yt, 1 - smoothing), smoothing / logitsOrP.shape[axis]!);
  const p0 = options.fromLogits === true ? softmax(logitsOrP, { axis }) : logitsOrP;
  const p = clipProbabilities(div(p0, sum(p0, { axis, keepDims: true })));
  const weight = mul(pow(sub(1, p), options.gamma ?? 2), options.alpha ?? 0.25);
  return sum(mul(weight, neg(mul(yt, log(p)))), { axis });
}

export interface SparseCategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** The class axis of yPred. Default −1. */
  axis?: number;
  /** A label whose samples get a loss of 0 (and no gradient), such as a "void" class. */
  ignoreClass?: number;
}

/**
 * Categorical cross-entropy with integer class labels (int32, or floats holding integers):
 * yTrue has yPred's shape without the class axis (a trailing axis of size 1 is also accepted).
 * @throws TensileError `shape_mismatch` for labels of another shape, `invalid_argument` for a
 * label outside [0, classes).
 * @example
 * sparseCategoricalCrossentropy(tensor([1, 2], { dtype: 'int32' }), logits, { fromLogits: true });
 */
export function sparseCategoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: SparseCategoricalCrossentropyOptions = {},
): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  expectTensor(yTrue, op, 'yTrue');
  expectTensor(yPred, op, 'yPred');
  if (yPred.rank === 0) {
    throw shapeMismatch(`${op}: yPred must have a class axis. Received: yPred.shape=[]`);
  }
  const yp = isFloat(yPred.dtype) ? yPred : cast(yPred, 'float32');
  const axis = normalizeAxis(options.axis ?? -1, yp.rank, op);
  let labels = yTrue;
  if (labels.rank === yp.rank && labels.shape[labels.rank - 1] === 1) labels = squeeze(labels, -1);
  const expected = yp.shape.filter((_, i) => i !== axis);
  if (!shapesEqual(labels.shape, expected)) {
    throw shapeMismatch(
      `${op}: yTrue must have yPred's shape without the class axis ${axis}, ` +
        `${fmtShape(expected)}. Received: yTrue.shape=${fmtShape(yTrue.shape)}, ` +
        `yPred.shape=${fmtShape(yPred.shape)}.`,
    );
  }
  const { oneHot, valid } = oneHotLabels(labels, yp, axis, options.ignoreClass, op);
  const loss = neg(
    sum(mul(oneHot, logProbabilities(yp, axis, options.fromLogits === true)), { axis }),
  );
  return valid === null ? loss : where(valid, loss, 0);
}

/** One-hot rows along `axis` in yPred's dtype, and a mask of non-ignored samples if needed. */
function oneHotLabels(
  labels: Tensor,
  yp: Tensor,
  axis: number,
  ignoreClass: number | undefined,
  op: string,
): { oneHot: Tensor; valid: Tensor | null } {
  const classes = yp.shape[axis]!;
  let inner = 1;
  for (let i = axis + 1; i < yp.rank; i++) inner *= yp.shape[i]!;
  const oneHot = empty(yp.shape, yp.dtype);
  const valid = ignoreClass === undefined ? null : empty(labels.shape, 'bool');
  const values = labels.values;
  for (let k = 0; k < values.length; k++) {
    const label = values[k]!;
    if (label === ignoreClass) continue;
    if (valid !== null) valid.values[k] = 1;
    const c = Math.trunc(label);
    if (!(c >= 0 && c < classes)) {
      throw invalidArgument(
        `${op}: labels must be class indices in [0, ${classes - 1}]. ` +
          `Received: yTrue[${k}]=${label} ` +
          `(flat index). Check the labels, or the number of classes of yPred along axis ${axis}.`,
      );
    }
    const outer = Math.floor(k / inner);
    oneHot.values[(outer * classes + c) * inner + (k % inner)] = 1;
  }
  return { oneHot, valid };
}

/** Σ yTrue·log(yTrue / yPred) over the last axis, both clipped to [ε, 1] first. */
export function kullbackLeiblerDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt0, yp0] = prepare(yTrue, yPred, 'kullbackLeiblerDivergence');
  const yt = clip(yt0, EPSILON, 1);
  const yp = clip(yp0, EPSILON, 1);
  return perSample(mul(yt, log(div(yt, yp))), 'sum');
}

/** Alias of kullbackLeiblerDivergence, Keras' `kl_divergence`. */
export const klDivergence = kullbackLeiblerDivergence;

/** Keras converts {0, 1} labels to {−1, 1} when every label is 0 or 1, and leaves others alone. */
function hingeLabels(yt: Tensor): Tensor {
  const v = yt.values;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return yt;
  return sub(mul(yt, 2), 1);
}

/** mean(max(1 − yTrue·yPred, 0)) over the last axis; labels in {−1, 1} or {0, 1}. */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'hinge');
  return perSample(maximum(sub(1, mul(hingeLabels(yt), yp)), 0), 'mean');
}

/** mean(max(1 − yTrue·yPred, 0)²) over the last axis; labels in {−1, 1} or {0, 1}. */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'squaredHinge');
  return perSample(square(maximum(sub(1, mul(hingeLabels(yt), yp)), 0)), 'mean');
}

/** max(neg − pos + 1, 0) with pos = Σ y·p and neg = max((1 − y)·p) over the last axis. */
export function categoricalHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'categoricalHinge');
  const pos = sum(mul(yt, yp), { axis: -1 });
  const negative = max(mul(sub(1, yt), yp), { axis: -1 });
  return maximum(add(sub(negative, pos), 1), 0);
}

/** mean(yPred − yTrue·log(yPred + ε)) over the last axis. */
export function poisson(yTrue: Tensor, yPred: Tensor): Tensor {
  const [yt, yp] = prepare(yTrue, yPred, 'poisson');
  return perSample(sub(yp, mul(yt, log(add(yp, EPSILON)))), 'mean');
}

/**
 * The negative cosine similarity −Σ (yTrue/‖yTrue‖)·(yPred/‖yPred‖) along `axis` (default −1),
 * as Keras 3's loss: −1 for parallel vectors, 0 for orthogonal ones, and 0 when either is zero.
 * Each side is scaled by min(1/‖x‖, 1/ε), written as rsqrt(max(Σx², ε²)) so that a zero vector
 * has a finite gradient.
 */
export function cosineSimilarity(
  yTrue: Tensor,
  yPred: Tensor,
  options: { axis?: number } = {},
): Tensor {
  const op = 'cosineSimilarity';
  let [yt, yp] = prepare(yTrue, yPred, op);
  // Each side is normalized over the full axis, so a broadcast operand is expanded first.
  const shape = broadcastShapes(yt.shape, yp.shape, op);
  if (shape.length === 0) {
    throw shapeMismatch(`${op}: yTrue and yPred must have rank 1 or more. Received: shape []`);
  }
  if (!shapesEqual(yt.shape, shape)) yt = broadcastTo(yt, shape);
  if (!shapesEqual(yp.shape, shape)) yp = broadcastTo(yp, shape);
  const axis = normalizeAxis(options.axis ?? -1, shape.length, op);
  const l2Normalize = (x: Tensor): Tensor =>
    mul(x, rsqrt(maximum(sum(square(x), { axis, keepDims: true }), EPSILON * EPSILON)));
  return neg(sum(mul(l2Normalize(yt), l2Normalize(yp)), { axis }));
}
