import { noGrad } from '../autograd/engine.js';
import { invalidArgument } from '../errors.js';
import { lossKerasName } from '../losses/registry.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  hinge,
  kullbackLeiblerDivergence,
  logCosh,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from '../ops/losses.js';
import type { SerializedObject } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy.js';
import { AUC, Precision, Recall } from './confusion.js';
import { F1Score, FBetaScore } from './f-score.js';
import { MeanIoU } from './iou.js';
import { R2Score } from './r2.js';
import { Mean, MeanMetricWrapper } from './mean.js';
import { Metric, type MetricConfig } from './metric.js';
import {
  MeanAbsoluteErrorMetric,
  MeanSquaredErrorMetric,
  RootMeanSquaredError,
  CosineSimilarityMetric,
} from './regression.js';

/** A per-sample function of (yTrue, yPred), such as the loss functions of src/ops/losses.ts. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The running mean of a per-sample tensor function, evaluated without recording a graph. */
export class FunctionMetric extends MeanMetricWrapper {
  static override className = 'FunctionMetric';
  constructor(
    fn: MetricFunction,
    config: MetricConfig = {},
    direction: 'up' | 'down' | null = null,
  ) {
    super(
      (yTrue, yPred) =>
        noGrad(() => {
          const out = fn(yTrue, yPred);
          return { data: out.values, shape: out.shape };
        }),
      config,
      fn.name || 'metric',
      direction,
    );
  }
}

type MetricClass = (new (config: never) => Metric) & { className: string };

const classes = new Map<string, MetricClass>();
const aliases = new Map<string, string>();

function normalize(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Makes a metric class known to getMetric and deserializeMetric by className and aliases. */
export function registerMetric(cls: MetricClass, extraAliases: readonly string[] = []): void {
  classes.set(cls.className, cls);
  for (const alias of [cls.className, ...extraAliases])
    aliases.set(normalize(alias), cls.className);
}

registerMetric(Mean);
registerMetric(Accuracy);
registerMetric(BinaryAccuracy);
registerMetric(CategoricalAccuracy);
registerMetric(SparseCategoricalAccuracy);
registerMetric(TopKCategoricalAccuracy);
registerMetric(SparseTopKCategoricalAccuracy);
registerMetric(MeanSquaredErrorMetric, ['mse']);
registerMetric(MeanAbsoluteErrorMetric, ['mae']);
registerMetric(RootMeanSquaredError, ['rmse']);
registerMetric(CosineSimilarityMetric);
registerMetric(AUC);
registerMetric(Precision);
registerMetric(Recall);
registerMetric(FBetaScore);
registerMetric(F1Score, ['f1']);
registerMetric(MeanIoU, ['mean_iou', 'iou']);
registerMetric(R2Score, ['r2']);

/** Loss functions usable as metrics by their Keras names (running means of the loss). */
const LOSS_FUNCTIONS: Record<string, MetricFunction> = {
  binary_crossentropy: binaryCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  kl_divergence: kullbackLeiblerDivergence,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  poisson,
  log_cosh: logCosh,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
};

/** What getMetric knows about the output a metric is for. */
export interface MetricContext {
  /** The loss of that output, by name or className ('sparse_categorical_crossentropy', ...). */
  lossName?: string;
  /** The output's shape; null or -1 for unknown dimensions such as the batch. */
  outputShape?: readonly (number | null)[];
  /** The targets' shape, when known: tells integer labels from one-hot ones. */
  targetShape?: readonly (number | null)[];
}

/**
 * The accuracy Keras picks for 'accuracy' / 'acc': from the loss when it says (sparse
 * categorical cross-entropy → SparseCategoricalAccuracy, categorical → CategoricalAccuracy,
 * binary → BinaryAccuracy), else from the shapes (one output unit → binary; integer targets →
 * sparse; several units → categorical), else plain Accuracy.
 */
function accuracyFor(context: MetricContext, name: string): Metric {
  const loss = context.lossName === undefined ? undefined : lossKerasName(context.lossName);
  if (loss === 'sparse_categorical_crossentropy') return new SparseCategoricalAccuracy({ name });
  if (loss === 'categorical_crossentropy') return new CategoricalAccuracy({ name });
  if (loss === 'binary_crossentropy') return new BinaryAccuracy({ name });
  const out = context.outputShape;
  const units = out === undefined || out.length === 0 ? undefined : out[out.length - 1];
  if (units === 1) return new BinaryAccuracy({ name });
  const target = context.targetShape;
  if (out !== undefined && target !== undefined && typeof units === 'number' && units > 1) {
    const sparse =
      target.length < out.length ||
      (target.length === out.length && target[target.length - 1] === 1);
    return sparse ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
  }
  if (typeof units === 'number' && units > 1) return new CategoricalAccuracy({ name });
  return new Accuracy({ name });
}

function crossentropyFor(context: MetricContext, name: string): Metric {
  const loss = context.lossName === undefined ? undefined : lossKerasName(context.lossName);
  const fn =
    loss === 'sparse_categorical_crossentropy' || loss === 'categorical_crossentropy'
      ? LOSS_FUNCTIONS[loss]!
      : binaryCrossentropy;
  return new FunctionMetric(fn, { name }, 'down');
}

/** `{className, config}` for a metric. */
export function serializeMetric(metric: Metric): SerializedObject {
  return { className: (metric.constructor as typeof Metric).className, config: metric.getConfig() };
}

/** Rebuilds a metric from serializeMetric's output. */
export function deserializeMetric(value: SerializedObject): Metric {
  const cls = classes.get(aliases.get(normalize(value.className)) ?? '');
  if (cls === undefined) {
    throw invalidArgument(`Unknown metric class. Received: className=${value.className}`);
  }
  return new cls(value.config as never);
}

/**
 * Resolves what compile() accepts in `metrics`: a Metric (returned as is), a Keras name
 * ('accuracy', 'acc', 'mse', 'mae', 'auc', 'precision', 'sparse_categorical_accuracy', ...,
 * snake_case or camelCase, or a class name), a loss name ('binary_crossentropy', ...), a
 * per-sample function, or `{className, config}`. A metric made from a string takes that string
 * as its name, so logs show what the user wrote ('acc', 'val_acc').
 *
 * @example
 * getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' });
 * // → a SparseCategoricalAccuracy named 'accuracy'
 */
export function getMetric(
  identifier: string | Metric | MetricFunction | SerializedObject,
  context: MetricContext = {},
): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new FunctionMetric(identifier);
  if (typeof identifier === 'string') {
    const key = normalize(identifier);
    if (key === 'accuracy' || key === 'acc') return accuracyFor(context, identifier);
    if (key === 'crossentropy' || key === 'ce') return crossentropyFor(context, identifier);
    const className = aliases.get(key);
    if (className === 'MeanIoU') {
      throw invalidArgument(
        `getMetric: '${identifier}' needs numClasses. Pass new MeanIoU({ numClasses }) instead.`,
      );
    }
    if (className !== undefined)
      return new (classes.get(className)!)({ name: identifier } as never);
    const lossName = lossKerasName(identifier);
    const fn = lossName === undefined ? undefined : LOSS_FUNCTIONS[lossName];
    if (fn !== undefined) return new FunctionMetric(fn, { name: identifier }, 'down');
    throw invalidArgument(
      `Unknown metric. Expected a Metric, a function, or a name such as 'accuracy', 'mse', ` +
        `'mae', 'auc', 'precision', 'recall', 'top_k_categorical_accuracy'. ` +
        `Received: metric=${identifier}`,
    );
  }
  if (
    identifier !== null &&
    typeof identifier === 'object' &&
    typeof identifier.className === 'string'
  ) {
    return deserializeMetric(identifier);
  }
  throw invalidArgument(
    `getMetric expects a name, a Metric or a function. Received: metric=${String(identifier)}`,
  );
}
