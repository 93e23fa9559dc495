import { TensileError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

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
  /** Set by a callback to end fit() after the current batch. */
  stopTraining: boolean;
}

/** Data accepted for a model's inputs or targets. */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

// The signatures below are the contract between Model's methods and the training engine.
export type CompileArgs = [config: Record<string, unknown>];
export type FitArgs = [x: ModelData, y?: ModelData, options?: Record<string, unknown>];
export type EvaluateArgs = [x: ModelData, y?: ModelData, options?: Record<string, unknown>];
export type PredictArgs = [x: ModelData, options?: Record<string, unknown>];
export type OnBatchArgs = [x: ModelData, y: ModelData, options?: Record<string, unknown>];

function notYet(what: string): never {
  throw new TensileError('not_supported', `${what} is not implemented yet`);
}

export function compileModel(_model: TrainableModel, ..._args: CompileArgs): void {
  notYet('compile');
}

export async function fitModel(_model: TrainableModel, ..._args: FitArgs): Promise<unknown> {
  notYet('fit');
}

export async function evaluateModel(_model: TrainableModel, ..._args: EvaluateArgs): Promise<unknown> {
  notYet('evaluate');
}

export async function predictModel(_model: TrainableModel, ..._args: PredictArgs): Promise<unknown> {
  notYet('predict');
}

export function trainOnBatchModel(_model: TrainableModel, ..._args: OnBatchArgs): unknown {
  notYet('trainOnBatch');
}

export function testOnBatchModel(_model: TrainableModel, ..._args: OnBatchArgs): unknown {
  notYet('testOnBatch');
}

export function predictOnBatchModel(_model: TrainableModel, _x: ModelData): unknown {
  notYet('predictOnBatch');
}
