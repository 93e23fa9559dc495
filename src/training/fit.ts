import { Callback, CallbackList } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { Dataset } from '../data/dataset.js';
import { fmtShape, invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import { randomFor } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './contracts.js';
import {
  type BatchSource,
  EpochIterator,
  arrayData,
  arraySource,
  datasetSource,
  sliceData,
  withClassWeights,
} from './data-adapter.js';
import { runTestLoop } from './evaluate.js';
import type { FitArgs, FitOptions, TrainableModel, ValidationData } from './model-methods.js';
import {
  EventLoopYielder,
  checkFinite,
  checkInt,
  checkVerbose,
  defaultStream,
  splitArgs,
  toCallbacks,
} from './options.js';
import { requireCompiled, takeResumeEpoch } from './state.js';
import { Stepper } from './step.js';

/**
 * fit(): for each epoch, reset the metrics, train on every batch, evaluate the validation data,
 * and call the callbacks around each of these, as Keras 3's Trainer.fit does.
 */
export async function fit(model: TrainableModel, args: FitArgs): Promise<History> {
  const [x, second, third] = args;
  const { y, options } = splitArgs<FitOptions>(x, second, third, 'fit');
  const compiled = requireCompiled(model, 'fit');
  const batchSize = checkInt(options.batchSize, 'batchSize', 'fit', 1) ?? 32;
  const epochs = checkInt(options.epochs, 'epochs', 'fit', 0) ?? 1;
  const initialEpoch = checkInt(options.initialEpoch, 'initialEpoch', 'fit', 0) ?? 0;
  const stepsPerEpoch = checkInt(options.stepsPerEpoch, 'stepsPerEpoch', 'fit', 1);
  const validationSteps = checkInt(options.validationSteps, 'validationSteps', 'fit', 1);
  const verbose = checkVerbose(options.verbose, 'fit');
  const validationFreq = options.validationFreq ?? 1;
  if (
    Array.isArray(validationFreq)
      ? !validationFreq.every((e) => Number.isInteger(e) && e >= 1)
      : !(Number.isInteger(validationFreq) && validationFreq >= 1)
  ) {
    throw invalidArgument(
      `fit: validationFreq must be an integer >= 1 or a list of 1-based epochs. ` +
        `Received: validationFreq=${JSON.stringify(validationFreq)}.`,
    );
  }
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw invalidArgument(
      `fit: validationSplit must be a number in [0, 1). ` +
        `Received: validationSplit=${String(split)}.`,
    );
  }

  let train: BatchSource;
  let validation: BatchSource | null = null;
  const valBatchSize =
    checkInt(options.validationBatchSize, 'validationBatchSize', 'fit', 1) ?? batchSize;
  if (x instanceof Dataset) {
    if (split > 0) {
      throw invalidArgument(
        'fit: validationSplit is not supported for a Dataset, whose length may be unknown. ' +
          'Pass validationData, e.g. a second Dataset.',
      );
    }
    if (options.sampleWeight !== undefined) {
      throw invalidArgument(
        'fit: sampleWeight is not supported for a Dataset; yield [x, y, sampleWeight] instead.',
      );
    }
    checkFinite(x, stepsPerEpoch, 'fit', 'stepsPerEpoch');
    const classWeight = options.classWeight;
    train = datasetSource(x, model, false, (b) => withClassWeights(b, classWeight));
  } else {
    let data = withClassWeights(arrayData(model, x, y, options.sampleWeight), options.classWeight);
    if (options.validationData === undefined && split > 0) {
      // Keras holds out the last samples, before any shuffling.
      const at = Math.floor(data.size * (1 - split));
      if (at === 0 || at === data.size) {
        throw invalidArgument(
          `fit: validationSplit=${split} of ${data.size} ` +
            `samples leaves ${at === 0 ? 'no training' : 'no validation'} ` +
            `data. Use a split between 1/${data.size} and ${data.size - 1}/${data.size}.`,
        );
      }
      validation = arraySource(sliceData(data, at, data.size), valBatchSize, false);
      data = sliceData(data, 0, at);
    }
    train = arraySource(data, batchSize, options.shuffle ?? true, randomFor(undefined));
  }
  if (options.validationData !== undefined) {
    if (options.validationData instanceof Dataset) {
      checkFinite(options.validationData, validationSteps, 'fit', 'validationSteps');
    }
    validation = validationSource(model, options.validationData, valBatchSize);
  }

  const history = new History();
  const callbacks: Callback[] = [...toCallbacks(options.callbacks, 'fit'), history];
  if (verbose !== 0) callbacks.push(new ProgbarLogger(defaultStream(options.output)));
  const params = { epochs, steps: stepsPerEpoch ?? train.stepsPerPass, verbose };
  const list = new CallbackList(callbacks, model, params);
  const stepper = new Stepper(model, compiled);
  const iterator = new EpochIterator(train, stepsPerEpoch);
  const yielder = new EventLoopYielder();
  const batchBegin = list.has('onTrainBatchBegin');
  const batchEnd = list.has('onTrainBatchEnd');

  model.stopTraining = false;
  await list.run('onTrainBegin', {});
  let trainingLogs: Logs = {};
  for (let epoch = takeResumeEpoch(model) ?? initialEpoch; epoch < epochs; epoch++) {
    stepper.resetMetrics();
    await list.run('onEpochBegin', epoch, {});
    let step = 0;
    for await (const batch of iterator.epoch()) {
      if (batchBegin) await list.run('onTrainBatchBegin', step, {});
      stepper.trainStep(batch);
      if (batchEnd) await list.run('onTrainBatchEnd', step, stepper.logs());
      step++;
      if (model.stopTraining) break;
      await yielder.maybeYield();
    }
    if (step === 0) {
      getLogger().warn(
        'fit: the training data ran out (an epoch got no batch); training stops. Check the ' +
          'dataset length, or use repeat() with stepsPerEpoch.',
      );
      break;
    }
    const epochLogs = stepper.logs();
    if (validation !== null && shouldValidate(epoch, validationFreq)) {
      const valLogs = await runTestLoop(stepper, validation, validationSteps, list, yielder);
      for (const key of Object.keys(valLogs)) epochLogs[`val_${key}`] = valLogs[key]!;
    }
    await list.run('onEpochEnd', epoch, epochLogs);
    trainingLogs = epochLogs;
    if (model.stopTraining) break;
  }
  compiled.optimizer.finalizeVariableValues?.(model.trainableWeights);
  await list.run('onTrainEnd', trainingLogs);
  return history;
}

function validationSource(
  model: TrainableModel,
  data: ValidationData,
  batchSize: number,
): BatchSource {
  if (data instanceof Dataset) return datasetSource(data, model, false);
  if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
    throw invalidArgument(
      `fit: validationData must be [x, y], [x, y, sampleWeight] or a Dataset. Received: ` +
        `${Array.isArray(data) ? `an array of ${data.length}` : describe(data)}.`,
    );
  }
  const [vx, vy, vw] = data;
  return arraySource(arrayData(model, vx, vy, vw), batchSize, false);
}

function describe(value: unknown): string {
  if (value instanceof Tensor) return `a Tensor of shape ${fmtShape(value.shape)}`;
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

/**
 * Keras' rule: with a number n, validate after every n-th epoch; with a list, after those epochs
 * (1-based).
 */
function shouldValidate(epoch: number, freq: number | number[]): boolean {
  return Array.isArray(freq) ? freq.includes(epoch + 1) : (epoch + 1) % freq === 0;
}
