import { CallbackList } from '../callbacks/callback.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { Dataset } from '../data/dataset.js';
import { concatRows } from '../data/structure.js';
import { invalidArgument } from '../errors.js';
import { noGrad } from '../autograd/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './contracts.js';
import {
  type BatchSource,
  EpochIterator,
  arrayData,
  arraySource,
  datasetSource,
} from './data-adapter.js';
import type {
  EvaluateArgs,
  EvaluateOptions,
  EvaluateResult,
  PredictArgs,
  PredictOptions,
  PredictResult,
  TrainableModel,
} from './model-methods.js';
import {
  EventLoopYielder,
  checkFinite,
  checkInt,
  checkVerbose,
  defaultStream,
  splitArgs,
  toCallbacks,
} from './options.js';
import { requireCompiled } from './state.js';
import { Stepper } from './step.js';

/** Runs the test hooks around one pass of `source` (or `steps` batches) and returns the logs. */
export async function runTestLoop(
  stepper: Stepper,
  source: BatchSource,
  steps: number | undefined,
  list: CallbackList,
  yielder: EventLoopYielder,
): Promise<Logs> {
  stepper.resetMetrics();
  await list.run('onTestBegin', {});
  const batchBegin = list.has('onTestBatchBegin');
  const batchEnd = list.has('onTestBatchEnd');
  let step = 0;
  for await (const batch of new EpochIterator(source, steps).epoch()) {
    if (batchBegin) await list.run('onTestBatchBegin', step, {});
    stepper.testStep(batch);
    if (batchEnd) await list.run('onTestBatchEnd', step, stepper.logs());
    step++;
    await yielder.maybeYield();
  }
  const logs = stepper.logs();
  await list.run('onTestEnd', logs);
  return logs;
}

/** evaluate(): the loss and metrics over the data, in inference mode. */
export async function evaluate(model: TrainableModel, args: EvaluateArgs): Promise<EvaluateResult> {
  const [x, second, third] = args;
  const { y, options } = splitArgs<EvaluateOptions>(x, second, third, 'evaluate');
  const compiled = requireCompiled(model, 'evaluate');
  const batchSize = checkInt(options.batchSize, 'batchSize', 'evaluate', 1) ?? 32;
  const steps = checkInt(options.steps, 'steps', 'evaluate', 1);
  const verbose = checkVerbose(options.verbose, 'evaluate');
  if (x instanceof Dataset) checkFinite(x, steps, 'evaluate', 'steps');
  const source =
    x instanceof Dataset
      ? datasetSource(x, model, false)
      : arraySource(arrayData(model, x, y, options.sampleWeight), batchSize, false);
  const callbacks = toCallbacks(options.callbacks, 'evaluate');
  if (verbose !== 0) callbacks.push(new ProgbarLogger(defaultStream(options.output)));
  const list = new CallbackList(callbacks, model, {
    epochs: 1,
    steps: steps ?? source.stepsPerPass,
    verbose,
  });
  const logs = await runTestLoop(
    new Stepper(model, compiled),
    source,
    steps,
    list,
    new EventLoopYielder(),
  );
  return options.returnDict === true ? logs : flattenLogs(logs);
}

/** The loss alone, or [loss, ...metrics] in the order they were logged, as Keras returns them. */
export function flattenLogs(logs: Logs): number | number[] {
  const values = Object.values(logs);
  return values.length === 1 ? values[0]! : values;
}

/** predict(): the model's outputs over the data, batch by batch, joined. */
export async function predict(model: TrainableModel, args: PredictArgs): Promise<PredictResult> {
  const [x, maybeOptions] = args;
  const options: PredictOptions = maybeOptions ?? {};
  const batchSize = checkInt(options.batchSize, 'batchSize', 'predict', 1) ?? 32;
  const steps = checkInt(options.steps, 'steps', 'predict', 1);
  const verbose = checkVerbose(options.verbose, 'predict');
  let source: BatchSource;
  if (x instanceof Dataset) {
    checkFinite(x, steps, 'predict', 'steps');
    source = datasetSource(x, model, true);
  } else {
    source = arraySource(arrayData(model, x, undefined, undefined), batchSize, false);
  }
  const callbacks = toCallbacks(options.callbacks, 'predict');
  if (verbose !== 0) callbacks.push(new ProgbarLogger(defaultStream(options.output)));
  const list = new CallbackList(callbacks, model, {
    epochs: 1,
    steps: steps ?? source.stepsPerPass,
    verbose,
  });
  const yielder = new EventLoopYielder();
  const batchBegin = list.has('onPredictBatchBegin');
  const batchEnd = list.has('onPredictBatchEnd');

  await list.run('onPredictBegin', {});
  const parts: Tensor[][] = model.outputNames.map(() => []);
  let step = 0;
  for await (const batch of new EpochIterator(source, steps).epoch()) {
    if (batchBegin) await list.run('onPredictBatchBegin', step, {});
    const outputs = noGrad(() => model.forward(batch.inputs, false).outputs);
    for (let i = 0; i < outputs.length; i++) parts[i]!.push(outputs[i]!);
    if (batchEnd) await list.run('onPredictBatchEnd', step, {});
    step++;
    await yielder.maybeYield();
  }
  await list.run('onPredictEnd', {});
  if (step === 0) {
    throw invalidArgument('predict: the data holds no samples, so there is nothing to predict.');
  }
  const joined = parts.map((p) => (p.length === 1 ? p[0]! : concatRows(p, 'predict')));
  return joined.length === 1 ? joined[0]! : joined;
}
