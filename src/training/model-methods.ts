import type { CallbackLike } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import type { Dataset } from '../data/dataset.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { compile } from './compile.js';
import type { LossFunction, LossLike, MetricLike, OptimizerLike } from './contracts.js';
import { evaluate, predict } from './evaluate.js';
import { fit } from './fit.js';
import { predictOnBatch, resetMetrics, testOnBatch, trainOnBatch } from './on-batch.js';

/**
 * What the training engine needs from a model. `Model` (src/models) implements it; the engine
 * (this folder) never imports the models folder, which keeps the dependency one-way.
 */
export interface TrainableModel {
  readonly name: string;
  /** Names of the model's inputs, in order (the Input layers' names). */
  readonly inputNames: readonly string[];
  /** Names of the model's outputs, in order (the names of the layers that produce them). */
  readonly outputNames: readonly string[];
  readonly trainableWeights: readonly Variable[];
  readonly nonTrainableWeights: readonly Variable[];
  /**
   * Runs the model on concrete tensors, one per input in order, and returns one tensor per
   * output, plus the regularization losses (weight and activity regularizers) of this pass.
   */
  forward(inputs: readonly Tensor[], training: boolean): { outputs: Tensor[]; losses: Tensor[] };
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** Projects weights back onto their constraints (maxNorm, nonNeg, ...) after each update. */
  applyConstraints?(): void;
  /** Set by a callback to end fit() after the current batch. */
  stopTraining: boolean;
}

/**
 * Data for a model's inputs or targets: one tensor (one input or output), an array in the
 * order of `inputNames`/`outputNames`, or a record keyed by those names.
 */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

/**
 * A dataset for fit and evaluate yields `[x, y]`, `[x, y, sampleWeight]` or
 * `{x, y, sampleWeight?}` batches; for predict it yields `x` (or `[x, …]`, whose rest is ignored).
 */
export type DataSource = ModelData | Dataset<unknown>;

/** 0 silent, 1 progress bar, 2 one line per epoch; 'auto' is 1. */
export type Verbosity = 0 | 1 | 2 | 'auto';

/** Where the progress display goes: process.stdout by default, or any object with write(). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** A terminal gets a redrawn bar; anything else gets only the final line of each epoch. */
  isTTY?: boolean;
}

export type LossSpec = string | LossLike | LossFunction;
/** A metric name, a metric object, or a function (yTrue, yPred) => per-sample values. */
export type MetricSpec = string | MetricLike | ((yTrue: Tensor, yPred: Tensor) => Tensor);

export interface CompileConfig {
  /** A name ('adam', 'sgd', …) or an optimizer. Default 'rmsprop', as in Keras. */
  optimizer?: string | OptimizerLike;
  /**
   * One loss for every output, an array with one per output (null: no loss), or a record keyed
   * by output name. Names, loss objects, or functions (yTrue, yPred) => Tensor.
   */
  loss?: LossSpec | (LossSpec | null)[] | Record<string, LossSpec | null>;
  /** Weights of the per-output losses in the total: an array or a record by output name. */
  lossWeights?: number[] | Record<string, number>;
  /**
   * Metrics: for one output, a list ('accuracy', 'mae', metric objects); for several, a list
   * with one entry (a metric or a list of them) per output, or a record by output name.
   */
  metrics?:
    MetricSpec[] | (MetricSpec | MetricSpec[] | null)[] | Record<string, MetricSpec | MetricSpec[]>;
  /** Like `metrics`, but these see the sample and class weights. */
  weightedMetrics?: CompileConfig['metrics'];
}

export type SampleWeightData = Tensor | Tensor[] | Record<string, Tensor>;

export type ValidationData =
  | [x: ModelData, y: ModelData]
  | [x: ModelData, y: ModelData, sampleWeight: SampleWeightData]
  | Dataset<unknown>;

export interface FitOptions {
  /** Samples per gradient step. Default 32. Ignored for a Dataset, which is already batched. */
  batchSize?: number;
  /** The epoch to stop after (counting from 1, as Keras). Default 1. */
  epochs?: number;
  /** Default 'auto' (1). */
  verbose?: Verbosity;
  callbacks?: CallbackLike[];
  /**
   * The fraction of the data held out for validation: the LAST samples, taken before any
   * shuffling, as Keras does. Not for a Dataset. Default 0.
   */
  validationSplit?: number;
  /** Data to validate on at the end of each epoch; takes precedence over validationSplit. */
  validationData?: ValidationData;
  /** Shuffle the training samples before each epoch. Default true. Ignored for a Dataset. */
  shuffle?: boolean;
  /** Weight of each class in the loss, by class index (classes not listed weigh 1). */
  classWeight?: Record<number, number>;
  /** Weight of each sample in the loss: a [N] tensor, or one per output. */
  sampleWeight?: SampleWeightData;
  /** The epoch to start at (0-based), to resume an earlier run. Default 0. */
  initialEpoch?: number;
  /**
   * Batches per epoch; each epoch continues where the previous one stopped, and one that runs
   * out of data ends early (Keras 3). Needed for an endless Dataset (`repeat()`).
   */
  stepsPerEpoch?: number;
  /** Batches to validate on; default all. */
  validationSteps?: number;
  /**
   * How often to validate: every n-th epoch (a number), or at the listed 1-based epochs.
   * Default 1.
   */
  validationFreq?: number | number[];
  /** Batch size for validation data given as tensors. Default batchSize. */
  validationBatchSize?: number;
  /** Where progress goes. Default process.stdout. */
  output?: ProgressStream;
}

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: Verbosity;
  sampleWeight?: SampleWeightData;
  /** Batches to evaluate; default all. */
  steps?: number;
  callbacks?: CallbackLike[];
  /** Return `{loss, accuracy, …}` instead of a number or a list. Default false. */
  returnDict?: boolean;
  output?: ProgressStream;
}

export interface PredictOptions {
  batchSize?: number;
  verbose?: Verbosity;
  steps?: number;
  callbacks?: CallbackLike[];
  output?: ProgressStream;
}

export interface OnBatchOptions {
  sampleWeight?: SampleWeightData;
  classWeight?: Record<number, number>;
  /** Return `{loss, accuracy, …}` instead of a number or a list. Default false. */
  returnDict?: boolean;
}

/** evaluate's result: the loss alone, [loss, ...metrics], or a record with returnDict. */
export type EvaluateResult = number | number[] | Record<string, number>;

/** predict's result: one tensor per output; a single tensor for a single-output model. */
export type PredictResult = Tensor | Tensor[];

// The signatures below are the contract between Model's methods and the training engine.
export type CompileArgs = [config: CompileConfig];
/** `fit(x, y, options)`, or `fit(dataset, options)`. */
export type FitArgs = [x: DataSource, y?: ModelData | FitOptions, options?: FitOptions];
/** `evaluate(x, y, options)`, or `evaluate(dataset, options)`. */
export type EvaluateArgs = [
  x: DataSource,
  y?: ModelData | EvaluateOptions,
  options?: EvaluateOptions,
];
export type PredictArgs = [x: DataSource, options?: PredictOptions];
export type OnBatchArgs = [x: ModelData, y: ModelData, options?: OnBatchOptions];

/** Configures the model for training: the optimizer, the losses and the metrics. */
export function compileModel(model: TrainableModel, ...args: CompileArgs): void {
  compile(model, args[0]);
}

/** Trains the model for a number of epochs; resolves to the History of the run. */
export async function fitModel(model: TrainableModel, ...args: FitArgs): Promise<History> {
  return fit(model, args);
}

/** The loss and metrics on the given data, in inference mode. */
export async function evaluateModel(
  model: TrainableModel,
  ...args: EvaluateArgs
): Promise<EvaluateResult> {
  return evaluate(model, args);
}

/** The model's outputs on the given data, in inference mode, batch by batch. */
export async function predictModel(
  model: TrainableModel,
  ...args: PredictArgs
): Promise<PredictResult> {
  return predict(model, args);
}

/** One gradient step on one batch; returns the loss (and metrics) of that batch. */
export function trainOnBatchModel(model: TrainableModel, ...args: OnBatchArgs): EvaluateResult {
  return trainOnBatch(model, args);
}

/** The loss (and metrics) on one batch, without training. */
export function testOnBatchModel(model: TrainableModel, ...args: OnBatchArgs): EvaluateResult {
  return testOnBatch(model, args);
}

/** The model's outputs on one batch, in inference mode. */
export function predictOnBatchModel(model: TrainableModel, x: ModelData): PredictResult {
  return predictOnBatch(model, x);
}

/** Clears the running loss and metric states (Keras' reset_metrics()); a no-op before compile. */
export function resetMetricsModel(model: TrainableModel): void {
  resetMetrics(model);
}
