import { TensileError } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import { Mean, MeanMetricWrapper } from './mean.js';
import { type MetricConfig, type Values, groupMeans, pairOf, valuesOf } from './metric.js';

function elementwise(yTrue: Tensor, yPred: Tensor, what: string, f: (d: number) => number): Values {
  const { t, p, shape } = pairOf(yTrue, yPred, what);
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = f(p[i]! - t[i]!);
  return { data: out, shape };
}

function lastAxisMean(v: Values): Values {
  if (v.shape.length === 0) return v;
  return { data: groupMeans(v.data, v.shape[v.shape.length - 1]!), shape: v.shape.slice(0, -1) };
}

/** The mean of (yTrue − yPred)² over the last axis, averaged over samples. */
export class MeanSquaredErrorMetric extends MeanMetricWrapper {
  static override className = 'MeanSquaredError';
  constructor(config: MetricConfig = {}) {
    super(
      (t, p) => lastAxisMean(elementwise(t, p, 'meanSquaredError', (d) => d * d)),
      config,
      'mean_squared_error',
      'down',
    );
  }
}

/** The mean of |yTrue − yPred| over the last axis, averaged over samples. */
export class MeanAbsoluteErrorMetric extends MeanMetricWrapper {
  static override className = 'MeanAbsoluteError';
  constructor(config: MetricConfig = {}) {
    super(
      (t, p) => lastAxisMean(elementwise(t, p, 'meanAbsoluteError', Math.abs)),
      config,
      'mean_absolute_error',
      'down',
    );
  }
}

/** √(weighted mean of (yTrue − yPred)²), as Keras' RootMeanSquaredError. */
export class RootMeanSquaredError extends Mean {
  static override className = 'RootMeanSquaredError';
  constructor(config: MetricConfig = {}) {
    super(config, 'root_mean_squared_error', 'down');
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const squared = elementwise(yTrue, yPred, 'rootMeanSquaredError', (d) => d * d);
    const weight =
      sampleWeight === undefined
        ? null
        : valuesOf(sampleWeight, `${this.name}.updateState`, 'sampleWeight');
    this.add(squared, weight);
  }

  override result(): number {
    return Math.sqrt(super.result());
  }
}

export interface CosineSimilarityMetricConfig extends MetricConfig {
  /** The axis along which similarity is computed. Default −1. */
  axis?: number;
}

/**
 * The mean cosine similarity Σ(yTrue·yPred)/(‖yTrue‖·‖yPred‖) along `axis` (the last by
 * default): 1 for parallel vectors, as Keras' metric (the loss of that name is its negative).
 */
export class CosineSimilarityMetric extends MeanMetricWrapper {
  static override className = 'CosineSimilarity';
  readonly axis: number;
  constructor(config: CosineSimilarityMetricConfig = {}) {
    const axis = config.axis ?? -1;
    super((t, p) => cosineValues(t, p, axis), config, 'cosine_similarity', 'up');
    this.axis = axis;
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { axis: this.axis };
  }
}

function cosineValues(yTrue: Tensor, yPred: Tensor, axis: number): Values {
  const { t, p, shape } = pairOf(yTrue, yPred, 'cosineSimilarity');
  if (axis !== -1 && axis !== shape.length - 1) {
    throw new TensileError(
      'not_supported',
      `CosineSimilarity metric: only the last axis is supported for now. Received: axis=${axis}.`,
    );
  }
  const n = shape[shape.length - 1] ?? 1;
  const rows = n === 0 ? 0 : t.length / n;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    let tt = 0;
    let pp = 0;
    for (let j = r * n; j < (r + 1) * n; j++) {
      dot += t[j]! * p[j]!;
      tt += t[j]! * t[j]!;
      pp += p[j]! * p[j]!;
    }
    // Keras l2-normalizes each side with max(‖x‖², ε²) under the root, so zero vectors give 0.
    out[r] = dot / (Math.sqrt(Math.max(tt, EPSILON2)) * Math.sqrt(Math.max(pp, EPSILON2)));
  }
  return { data: out, shape: shape.slice(0, -1) };
}

const EPSILON2 = 1e-14;
