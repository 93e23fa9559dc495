/**
 * What the training engine needs from optimizers, losses and metrics. The engine codes against
 * these shapes rather than the classes, so any object with the same methods works (and tests can
 * pass small fakes); the classes in src/optimizers, src/losses and src/metrics satisfy them.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

/** A learning-rate schedule: the rate as a function of the optimizer's step count. */
export interface LearningRateScheduleLike {
  call(step: number): number;
}

export interface OptimizerLike {
  /** A number, or a schedule. ReduceLROnPlateau and LearningRateScheduler set a number. */
  learningRate: number | LearningRateScheduleLike;
  applyGradients(pairs: ReadonlyArray<[grad: Tensor, variable: Variable]>): void;
  /** The rate the next step will use (a schedule evaluated at the current step). */
  currentLearningRate(): number;
  /** Creates the per-variable slots up front, in the weights' order. */
  build?(variables: readonly Variable[]): void;
  /** Called at the end of fit, e.g. to copy averaged (EMA) weights into the variables. */
  finalizeVariableValues?(variables: readonly Variable[]): void;
  getState?(): unknown;
  setState?(state: never): void;
}

export interface LossLike {
  readonly name: string;
  /** The reduced loss, a differentiable scalar tensor. */
  compute(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;
}

export interface MetricLike {
  readonly name: string;
  /** 'up' when larger is better, 'down' when smaller is; lets callbacks pick a mode. */
  readonly direction?: 'up' | 'down' | null;
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  result(): number;
  resetState(): void;
}

/** A loss given as a plain function of (yTrue, yPred) that returns a scalar or per-sample loss. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The values fit, evaluate and the callbacks pass around: metric name to number. */
export type Logs = Record<string, number>;

export function isOptimizerLike(x: unknown): x is OptimizerLike {
  return (
    typeof x === 'object' && x !== null && typeof (x as OptimizerLike).applyGradients === 'function'
  );
}

export function isLossLike(x: unknown): x is LossLike {
  return typeof x === 'object' && x !== null && typeof (x as LossLike).compute === 'function';
}

export function isMetricLike(x: unknown): x is MetricLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as MetricLike).updateState === 'function' &&
    typeof (x as MetricLike).result === 'function'
  );
}
