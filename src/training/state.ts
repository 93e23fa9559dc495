/**
 * What compile() leaves on a model, kept beside it rather than in it: the engine owns this
 * state, and the model class only forwards to the engine (see model-methods.ts).
 */
import { TensileError } from '../errors.js';
import type { LossLike, MetricLike, OptimizerLike } from './contracts.js';
import type { TrainableModel } from './model-methods.js';

/** A metric with the name it is logged under (`accuracy`, `dense_1_accuracy`, `val_…`). */
export interface NamedMetric {
  readonly logName: string;
  readonly metric: MetricLike;
}

/** How one model output is trained and measured. */
export interface CompiledOutput {
  readonly outputName: string;
  /** Null for an output that takes no part in the loss. */
  readonly loss: LossLike | null;
  readonly lossWeight: number;
  /** `dense_1_loss` for models with several outputs; null with one output. */
  readonly lossLogName: string | null;
  readonly metrics: readonly NamedMetric[];
  /** Metrics that see the sample weights (compile's `weightedMetrics`). */
  readonly weightedMetrics: readonly NamedMetric[];
}

export interface CompiledModel {
  readonly optimizer: OptimizerLike;
  readonly outputs: readonly CompiledOutput[];
}

const compiled = new WeakMap<TrainableModel, CompiledModel>();
const resumeEpochs = new WeakMap<TrainableModel, number>();

export function setCompiled(model: TrainableModel, state: CompiledModel): void {
  compiled.set(model, state);
}

/** The compile state of a model, or undefined before compile(). */
export function getCompiled(model: TrainableModel): CompiledModel | undefined {
  return compiled.get(model);
}

/** The compile state, or a clear error naming the method that needs it. */
export function requireCompiled(model: TrainableModel, method: string): CompiledModel {
  const state = compiled.get(model);
  if (state === undefined) {
    throw new TensileError(
      'not_built',
      `${method}() needs a compiled model; model ${model.name} was not compiled. ` +
        `Call model.compile({optimizer, loss, metrics}) first.`,
    );
  }
  return state;
}

/** The optimizer given to compile(), for callbacks that read or change the learning rate. */
export function getOptimizerOf(model: TrainableModel, who: string): OptimizerLike {
  return requireCompiled(model, who).optimizer;
}

/**
 * Asks the running fit() to start from `epoch` (0-based) instead of its initialEpoch. Set by
 * BackupAndRestore in onTrainBegin; fit reads and clears it right after onTrainBegin.
 */
export function setResumeEpoch(model: TrainableModel, epoch: number): void {
  resumeEpochs.set(model, epoch);
}

export function takeResumeEpoch(model: TrainableModel): number | undefined {
  const epoch = resumeEpochs.get(model);
  resumeEpochs.delete(model);
  return epoch;
}
