import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper } from './mean.js';
import { type MetricConfig, type Values, groupMeans, pairOf, valuesOf } from './metric.js';

/** Fraction of equal elements over the last axis, per sample (Keras' `accuracy`). */
export function accuracyValues(yTrue: Tensor, yPred: Tensor): Values {
  const { t, p, shape } = pairOf(yTrue, yPred, 'accuracy');
  const eq = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) eq[i] = t[i] === p[i] ? 1 : 0;
  return lastAxisMean(eq, shape);
}

/** Fraction of labels matched by yPred > threshold over the last axis, per sample. */
export function binaryAccuracyValues(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Values {
  const { t, p, shape } = pairOf(yTrue, yPred, 'binaryAccuracy');
  const eq = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) eq[i] = t[i] === (p[i]! > threshold ? 1 : 0) ? 1 : 0;
  return lastAxisMean(eq, shape);
}

function lastAxisMean(data: Float64Array, shape: readonly number[]): Values {
  if (shape.length === 0) return { data, shape };
  return { data: groupMeans(data, shape[shape.length - 1]!), shape: shape.slice(0, -1) };
}

/** For each row along the last axis of x: the index of the first maximum. */
function argMaxRows(x: Values): { data: Float64Array; shape: number[] } {
  const classes = x.shape[x.shape.length - 1] ?? 1;
  const rows = classes === 0 ? 0 : sizeOf(x.shape) / classes;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = x.data[r * classes]!;
    for (let c = 1; c < classes; c++) {
      const v = x.data[r * classes + c]!;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return { data: out, shape: x.shape.slice(0, -1) };
}

/**
 * Integer labels as a flat array with one entry per row of yPred: yTrue has yPred's shape
 * without the class axis, or with a trailing axis of size 1.
 */
function sparseLabels(yTrue: Tensor, yPred: Values, what: string): ArrayLike<number> {
  const yt = valuesOf(yTrue, what, 'yTrue');
  const expected = yPred.shape.slice(0, -1);
  const shape =
    yt.shape.length === yPred.shape.length && yt.shape[yt.shape.length - 1] === 1
      ? yt.shape.slice(0, -1)
      : yt.shape;
  if (sizeOf(shape) !== sizeOf(expected) || shape.length !== expected.length) {
    throw shapeMismatch(
      `${what}: yTrue must hold one class index per row of yPred, shape ${fmtShape(expected)}. ` +
        `Received: yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yPred.shape)}.`,
    );
  }
  return yt.data;
}

function predictions(yPred: Tensor, what: string): Values {
  const yp = valuesOf(yPred, what, 'yPred');
  if (yp.shape.length === 0) {
    throw shapeMismatch(`${what}: yPred must have a class axis. Received: yPred.shape=[]`);
  }
  return yp;
}

/** 1 where argmax(yTrue) = argmax(yPred) over the last axis (Keras' categorical_accuracy). */
export function categoricalAccuracyValues(yTrue: Tensor, yPred: Tensor): Values {
  const what = 'categoricalAccuracy';
  const yp = predictions(yPred, what);
  const yt = valuesOf(yTrue, what, 'yTrue');
  if (yt.shape.length !== yp.shape.length || sizeOf(yt.shape) !== sizeOf(yp.shape)) {
    throw shapeMismatch(
      `${what}: yTrue must be one-hot with yPred's shape. Received: ` +
        `yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yp.shape)}. ` +
        `For integer labels use sparse_categorical_accuracy.`,
    );
  }
  const t = argMaxRows(yt);
  const p = argMaxRows(yp);
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] === p.data[i] ? 1 : 0;
  return t;
}

/** 1 where the integer label equals argmax(yPred) (Keras' sparse_categorical_accuracy). */
export function sparseCategoricalAccuracyValues(yTrue: Tensor, yPred: Tensor): Values {
  const what = 'sparseCategoricalAccuracy';
  const yp = predictions(yPred, what);
  const labels = sparseLabels(yTrue, yp, what);
  const p = argMaxRows(yp);
  for (let i = 0; i < p.data.length; i++) p.data[i] = labels[i] === p.data[i] ? 1 : 0;
  return p;
}

/**
 * 1 where the target class is among the k largest predictions of its row. As TensorFlow's
 * in_top_k, a target tied at the boundary counts as in, and a non-finite target score as out.
 */
function inTopK(targets: ArrayLike<number>, yp: Values, k: number): Values {
  const classes = yp.shape[yp.shape.length - 1]!;
  const rows = targets.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const target = targets[r]!;
    if (!(target >= 0 && target < classes)) continue;
    const score = yp.data[r * classes + target]!;
    if (!Number.isFinite(score)) continue;
    let larger = 0;
    for (let c = 0; c < classes; c++) if (yp.data[r * classes + c]! > score) larger++;
    out[r] = larger < k ? 1 : 0;
  }
  return { data: out, shape: yp.shape.slice(0, -1) };
}

export function topKCategoricalAccuracyValues(yTrue: Tensor, yPred: Tensor, k = 5): Values {
  const what = 'topKCategoricalAccuracy';
  const yp = predictions(yPred, what);
  const yt = valuesOf(yTrue, what, 'yTrue');
  if (sizeOf(yt.shape) !== sizeOf(yp.shape)) {
    throw shapeMismatch(
      `${what}: yTrue must be one-hot with yPred's shape. Received: ` +
        `yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yp.shape)}.`,
    );
  }
  return inTopK(argMaxRows(yt).data, yp, k);
}

export function sparseTopKCategoricalAccuracyValues(yTrue: Tensor, yPred: Tensor, k = 5): Values {
  const what = 'sparseTopKCategoricalAccuracy';
  const yp = predictions(yPred, what);
  return inTopK(sparseLabels(yTrue, yp, what), yp, k);
}

/** How often yPred equals yTrue exactly. */
export class Accuracy extends MeanMetricWrapper {
  static override className = 'Accuracy';
  constructor(config: MetricConfig = {}) {
    super(accuracyValues, config, 'accuracy', 'up');
  }
}

export interface BinaryAccuracyConfig extends MetricConfig {
  /** Predictions above it count as 1. Default 0.5. */
  threshold?: number;
}

/** How often yPred > threshold matches binary labels. */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override className = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(config: BinaryAccuracyConfig = {}) {
    const threshold = config.threshold ?? 0.5;
    super((t, p) => binaryAccuracyValues(t, p, threshold), config, 'binary_accuracy', 'up');
    if (!(threshold > 0 && threshold < 1)) {
      throw invalidArgument(
        `BinaryAccuracy: threshold must be in (0, 1). Received: threshold=${threshold}`,
      );
    }
    this.threshold = threshold;
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { threshold: this.threshold };
  }
}

/** How often argmax(yPred) matches one-hot labels. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'CategoricalAccuracy';
  constructor(config: MetricConfig = {}) {
    super(categoricalAccuracyValues, config, 'categorical_accuracy', 'up');
  }
}

/** How often argmax(yPred) matches integer labels. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalAccuracy';
  constructor(config: MetricConfig = {}) {
    super(sparseCategoricalAccuracyValues, config, 'sparse_categorical_accuracy', 'up');
  }
}

export interface TopKConfig extends MetricConfig {
  /** How many of the largest predictions count. Default 5. */
  k?: number;
}

function checkK(k: number, what: string): number {
  if (!Number.isInteger(k) || k < 1)
    throw invalidArgument(`${what}: k must be an integer >= 1. Received: k=${k}`);
  return k;
}

/** How often the one-hot target is among the k largest predictions. */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor(config: TopKConfig = {}) {
    const k = checkK(config.k ?? 5, 'TopKCategoricalAccuracy');
    super(
      (t, p) => topKCategoricalAccuracyValues(t, p, k),
      config,
      'top_k_categorical_accuracy',
      'up',
    );
    this.k = k;
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { k: this.k };
  }
}

/** How often the integer target is among the k largest predictions. */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor(config: TopKConfig = {}) {
    const k = checkK(config.k ?? 5, 'SparseTopKCategoricalAccuracy');
    super(
      (t, p) => sparseTopKCategoricalAccuracyValues(t, p, k),
      config,
      'sparse_top_k_categorical_accuracy',
      'up',
    );
    this.k = k;
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { k: this.k };
  }
}
