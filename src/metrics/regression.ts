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
