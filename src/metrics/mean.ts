import { fmtShape, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Metric,
  type MetricConfig,
  type Values,
  alignRanks,
  broadcastData,
  groupMeans,
  valuesOf,
} from './metric.js';

/**
 * Adds per-sample values into a running total and count, as Keras' Mean does
 * (reduce_to_samplewise_values): values are averaged over every axis after the first (after the
 * weights' rank, when weighted), multiplied by the weights, and the count grows by the number
 * of samples, or by the sum of the weights.
 */
export function accumulateMean(
  values: Values,
  weight: Values | null,
  what: string,
): [number, number] {
  let data = values.data;
  let vs = values.shape.slice();
  if (weight === null) {
    if (vs.length === 0) return [data[0]!, 1];
    const rows = groupMeans(data, vs[0] === 0 ? 0 : sizeOf(vs) / vs[0]!);
    let total = 0;
    for (let i = 0; i < rows.length; i++) total += rows[i]!;
    return [total, vs[0]!];
  }
  const [alignedValues, ws] = alignRanks(vs, weight.shape);
  vs = alignedValues;
  if (vs.length > ws.length) {
    data = groupMeans(data, sizeOf(vs.slice(ws.length)));
    vs = vs.slice(0, ws.length);
  }
  if (ws.length > vs.length || ws.some((d, i) => d !== 1 && d !== vs[i])) {
    throw shapeMismatch(
      `${what}: sampleWeight of shape ${fmtShape(weight.shape)} does not line up with the ` +
        `values of shape ${fmtShape(values.shape)}. Pass one weight per sample.`,
    );
  }
  const w = broadcastData(weight.data, ws, vs);
  const weighted = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) weighted[i] = data[i]! * w[i]!;
  const perRow = vs.length === 0 || vs[0] === 0 ? 1 : w.length / vs[0]!;
  const totals = groupMeans(weighted, perRow);
  const counts = groupMeans(w, perRow);
  let total = 0;
  let count = 0;
  for (let i = 0; i < totals.length; i++) {
    total += totals[i]!;
    count += counts[i]!;
  }
  return [total, count];
}

/**
 * The running, optionally weighted, mean of the values given to `updateState`: fit uses one to
 * report the loss, with the batch size as the weight.
 *
 * Note that, as in Keras, its `updateState` takes `(values, sampleWeight?)` rather than
 * `(yTrue, yPred, sampleWeight?)`.
 *
 * @example
 * const m = new Mean();
 * m.updateState(tensor([1, 3, 5, 7]), tensor([1, 1, 0, 0]));
 * m.result(); // 2
 */
export class Mean extends Metric {
  static override className = 'Mean';
  protected total = 0;
  protected count = 0;

  constructor(
    config: MetricConfig = {},
    defaultName = 'mean',
    direction: 'up' | 'down' | null = null,
  ) {
    super(config, defaultName, direction);
  }

  override updateState(values: Tensor | number, sampleWeight?: Tensor | number): void {
    const what = `${this.name}.updateState`;
    const weight = sampleWeight === undefined ? null : valuesOf(sampleWeight, what, 'sampleWeight');
    this.add(valuesOf(values, what, 'values'), weight);
  }

  /** Adds already computed per-element values (subclasses call it from their updateState). */
  protected add(values: Values, weight: Values | null): void {
    const [total, count] = accumulateMean(values, weight, `${this.name}.updateState`);
    this.total += total;
    this.count += count;
  }

  /** total / count, or 0 before any sample (Keras' divide_no_nan). */
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}

/** Computes per-sample metric values from a batch, as an array with its shape. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Values;

/**
 * The running mean of a per-sample function of (yTrue, yPred): the accuracies, MSE and MAE are
 * all this, as Keras' MeanMetricWrapper.
 */
export class MeanMetricWrapper extends Mean {
  static override className = 'MeanMetricWrapper';
  protected readonly fn: MetricFn;

  constructor(
    fn: MetricFn,
    config: MetricConfig = {},
    defaultName = 'mean_metric_wrapper',
    direction: 'up' | 'down' | null = null,
  ) {
    super(config, defaultName, direction);
    this.fn = fn;
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const weight =
      sampleWeight === undefined
        ? null
        : valuesOf(sampleWeight, `${this.name}.updateState`, 'sampleWeight');
    this.add(this.fn(yTrue, yPred), weight);
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return {};
  }
}
