import { invalidArgument } from '../errors.js';
import type { Logs } from '../training/contracts.js';
import type { TrainableModel } from '../training/model-methods.js';

/** What fit(), evaluate() and predict() tell their callbacks before they start. */
export interface TrainingParams {
  /** The number of epochs fit() runs to (1 for evaluate and predict). */
  epochs: number;
  /** Batches per epoch; null while unknown (a dataset whose length is not known yet). */
  steps: number | null;
  verbose: 0 | 1 | 2;
}

type MaybePromise = void | Promise<void>;

/** Every hook of a callback; each may be async, and fit() waits for it. */
export interface CallbackHooks {
  onTrainBegin?(logs: Logs): MaybePromise;
  onTrainEnd?(logs: Logs): MaybePromise;
  onEpochBegin?(epoch: number, logs: Logs): MaybePromise;
  onEpochEnd?(epoch: number, logs: Logs): MaybePromise;
  onTrainBatchBegin?(batch: number, logs: Logs): MaybePromise;
  onTrainBatchEnd?(batch: number, logs: Logs): MaybePromise;
  onTestBegin?(logs: Logs): MaybePromise;
  onTestEnd?(logs: Logs): MaybePromise;
  onTestBatchBegin?(batch: number, logs: Logs): MaybePromise;
  onTestBatchEnd?(batch: number, logs: Logs): MaybePromise;
  onPredictBegin?(logs: Logs): MaybePromise;
  onPredictEnd?(logs: Logs): MaybePromise;
  onPredictBatchBegin?(batch: number, logs: Logs): MaybePromise;
  onPredictBatchEnd?(batch: number, logs: Logs): MaybePromise;
}

/**
 * The base of all callbacks: every hook exists and does nothing. Subclasses override the hooks
 * they need; `this.model` and `this.params` are set before the first hook runs. Epochs and
 * batches are counted from 0, as in Keras. Setting `this.model.stopTraining = true` ends fit()
 * after the current batch.
 */
export class Callback implements Required<CallbackHooks> {
  /** The model being trained; set by fit/evaluate/predict before any hook. */
  model!: TrainableModel;
  params: TrainingParams = { epochs: 1, steps: null, verbose: 0 };

  setModel(model: TrainableModel): void {
    // Not enumerable, so that console.log(history) shows the history rather than the model.
    Object.defineProperty(this, 'model', {
      value: model,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(_logs: Logs): MaybePromise {}
  onTrainEnd(_logs: Logs): MaybePromise {}
  onEpochBegin(_epoch: number, _logs: Logs): MaybePromise {}
  onEpochEnd(_epoch: number, _logs: Logs): MaybePromise {}
  onTrainBatchBegin(_batch: number, _logs: Logs): MaybePromise {}
  onTrainBatchEnd(_batch: number, _logs: Logs): MaybePromise {}
  onTestBegin(_logs: Logs): MaybePromise {}
  onTestEnd(_logs: Logs): MaybePromise {}
  onTestBatchBegin(_batch: number, _logs: Logs): MaybePromise {}
  onTestBatchEnd(_batch: number, _logs: Logs): MaybePromise {}
  onPredictBegin(_logs: Logs): MaybePromise {}
  onPredictEnd(_logs: Logs): MaybePromise {}
  onPredictBatchBegin(_batch: number, _logs: Logs): MaybePromise {}
  onPredictBatchEnd(_batch: number, _logs: Logs): MaybePromise {}
}

/** A callback, or a plain object with some of the hooks (wrapped in a Callback). */
export type CallbackLike = Callback | CallbackHooks;

const HOOKS = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onTrainBatchBegin',
  'onTrainBatchEnd',
  'onTestBegin',
  'onTestEnd',
  'onTestBatchBegin',
  'onTestBatchEnd',
  'onPredictBegin',
  'onPredictEnd',
  'onPredictBatchBegin',
  'onPredictBatchEnd',
] as const;

type HookName = (typeof HOOKS)[number];

/** Wraps a plain hooks object so it behaves as a Callback. */
export function toCallback(x: CallbackLike): Callback {
  if (x instanceof Callback) return x;
  if (typeof x !== 'object' || x === null) {
    throw invalidArgument(
      `callbacks must hold Callback instances or objects of hooks such as {onEpochEnd}. ` +
        `Received: ${String(x)}.`,
    );
  }
  const cb = new Callback();
  for (const hook of HOOKS) {
    const fn = x[hook];
    if (fn !== undefined) (cb as unknown as Record<HookName, unknown>)[hook] = fn.bind(x);
  }
  return cb;
}

function overrides(cb: Callback, hook: HookName): boolean {
  return cb[hook] !== Callback.prototype[hook];
}

/**
 * Runs the hooks of several callbacks in order, awaiting each. Batch hooks only visit the
 * callbacks that override them, which keeps the per-batch cost near zero.
 */
export class CallbackList {
  readonly callbacks: readonly Callback[];
  private readonly byHook = new Map<HookName, Callback[]>();

  constructor(callbacks: readonly Callback[], model: TrainableModel, params: TrainingParams) {
    this.callbacks = callbacks;
    for (const cb of callbacks) {
      cb.setModel(model);
      cb.setParams(params);
    }
    for (const hook of HOOKS)
      this.byHook.set(
        hook,
        callbacks.filter((cb) => overrides(cb, hook)),
      );
  }

  /** True when some callback has this hook, so the caller can skip building its logs. */
  has(hook: HookName): boolean {
    return this.byHook.get(hook)!.length > 0;
  }

  /** Calls `hook` on each callback that has it: `(logs)` or `(epoch or batch, logs)`. */
  async run(hook: HookName, ...args: [logs: Logs] | [index: number, logs: Logs]): Promise<void> {
    for (const cb of this.byHook.get(hook)!) {
      const fn = cb[hook] as (...hookArgs: [Logs] | [number, Logs]) => MaybePromise;
      const result = fn.apply(cb, args);
      if (result !== undefined) await result;
    }
  }
}
