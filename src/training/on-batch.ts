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
import { type CompiledModel, requireCompiled } from './state.js';
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
 * before the step (Keras 2's default; Keras 3 keeps accumulating until reset_metrics()).
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

/** The loss and metrics on (x, y) in inference mode, without training. */
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
