/**
 * Turns compile()'s names into objects, through the registries of src/optimizers, src/losses
 * and src/metrics. Objects that already have the right methods pass through unchanged.
 */
import { invalidArgument } from '../errors.js';
import { getLoss } from '../losses/index.js';
import { getMetric } from '../metrics/index.js';
import { getOptimizer } from '../optimizers/index.js';
import { DeferredMetric, dependsOnShapes } from './deferred-metric.js';
import {
  type LossFunction,
  type LossLike,
  type MetricLike,
  type OptimizerLike,
  isLossLike,
  isMetricLike,
  isOptimizerLike,
} from './contracts.js';

export function resolveOptimizer(spec: unknown): OptimizerLike {
  if (isOptimizerLike(spec)) return spec;
  if (typeof spec === 'string') return getOptimizer(spec);
  throw invalidArgument(
    `compile: optimizer must be a name such as 'adam' or an optimizer object. ` +
      `Received: optimizer=${String(spec)}.`,
  );
}

export function resolveLoss(spec: unknown, where: string): LossLike {
  if (isLossLike(spec)) return spec;
  if (typeof spec === 'string' || typeof spec === 'function')
    return getLoss(spec as string | LossFunction);
  throw invalidArgument(
    `compile: ${where} must be a loss name such as 'mse', a loss object, or a function ` +
      `(yTrue, yPred) => Tensor. Received: ${where}=${String(spec)}.`,
  );
}

/**
 * A metric object for `spec`. 'accuracy' and 'crossentropy' are resolved on the first batch,
 * from the output's loss and the shapes of the targets and predictions, as Keras does (sparse
 * categorical after sparse_categorical_crossentropy or for integer labels, and so on).
 */
export function resolveMetric(
  spec: unknown,
  lossName: string | undefined,
  where: string,
): MetricLike {
  if (isMetricLike(spec)) return spec;
  if (typeof spec === 'string' && dependsOnShapes(spec)) return new DeferredMetric(spec, lossName);
  if (typeof spec === 'string' || typeof spec === 'function') {
    return getMetric(spec as string, lossName === undefined ? {} : { lossName });
  }
  throw invalidArgument(
    `compile: ${where} must hold metric names such as 'accuracy' or metric objects. ` +
      `Received: ${String(spec)}.`,
  );
}

/** The name a metric is logged under: the string the user wrote, or the metric's own name. */
export function metricLogName(spec: unknown, metric: MetricLike): string {
  return typeof spec === 'string' ? spec : metric.name;
}
