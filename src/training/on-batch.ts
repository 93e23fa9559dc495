import { noGrad } from '../autograd/engine.js';
import { arrayData, withClassWeights } from './data-adapter.js';
import { flattenLogs } from './evaluate.js';
import type {
  EvaluateResult,
  ModelData,
  OnBatchArgs,
  PredictResult,
  TrainableModel,
} from './model-methods.js';
import { type CompiledModel, getCompiled, requireCompiled } from './state.js';
import { Stepper } from './step.js';

/** One Stepper per compile, reused by the on-batch methods that a custom loop calls often. */
const steppers = new WeakMap<CompiledModel, Stepper>();

function stepperFor(model: TrainableModel, method: string): Stepper {
  const compiled = requireCompiled(model, method);
  let stepper = steppers.get(compiled);
  if (stepper === undefined) {
    stepper = new Stepper(model, compiled);
    steppers.set(compiled, stepper);
  }
  return stepper;
}

/**
 * One gradient step on (x, y). The result describes this batch alone: the metrics are reset
 * before the step, as Keras 3 does since keras-team/keras#22617 (before it, Keras 3 returned a
 * running mean over every call since the last reset_metrics(), which made a custom loop's
 * numbers depend on its history).
 */
export function trainOnBatch(model: TrainableModel, args: OnBatchArgs): EvaluateResult {
  const [x, y, options = {}] = args;
  const stepper = stepperFor(model, 'trainOnBatch');
  const batch = withClassWeights(arrayData(model, x, y, options.sampleWeight), options.classWeight);
  stepper.resetMetrics();
  stepper.refreshWeights();
  stepper.trainStep(batch);
  const logs = stepper.logs();
  return options.returnDict === true ? logs : flattenLogs(logs);
}

/** The loss and metrics on (x, y) in inference mode, without training; reset first as well. */
export function testOnBatch(model: TrainableModel, args: OnBatchArgs): EvaluateResult {
  const [x, y, options = {}] = args;
  const stepper = stepperFor(model, 'testOnBatch');
  const batch = withClassWeights(arrayData(model, x, y, options.sampleWeight), options.classWeight);
  stepper.resetMetrics();
  stepper.testStep(batch);
  const logs = stepper.logs();
  return options.returnDict === true ? logs : flattenLogs(logs);
}

/** The outputs for one batch in inference mode: a tensor, or one per output. */
export function predictOnBatch(model: TrainableModel, x: ModelData): PredictResult {
  const batch = arrayData(model, x, undefined, undefined);
  const outputs = noGrad(() => model.forward(batch.inputs, false).outputs);
  return outputs.length === 1 ? outputs[0]! : outputs;
}

/**
 * Clears the running loss and the state of every compiled metric, as Keras' reset_metrics().
 * fit and evaluate reset on their own; a custom loop that reads the metric objects between
 * trainOnBatch calls can use this too. Does nothing before compile().
 */
export function resetMetrics(model: TrainableModel): void {
  const compiled = getCompiled(model);
  if (compiled === undefined) return;
  const stepper = steppers.get(compiled);
  if (stepper !== undefined) {
    stepper.resetMetrics();
    return;
  }
  for (const o of compiled.outputs) {
    for (const m of [...o.metrics, ...o.weightedMetrics]) m.metric.resetState();
  }
}
