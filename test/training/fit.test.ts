import { describe, expect, it } from 'vitest';
import { LambdaCallback } from '../../src/callbacks/index.js';
import { Dataset } from '../../src/data/index.js';
import { TensileError } from '../../src/errors.js';
import { setLogger } from '../../src/logger.js';
import { SGD } from '../../src/optimizers/index.js';
import { setSeed } from '../../src/tensor/random.js';
import { tensor } from '../../src/tensor/creation.js';
import {
  compileModel,
  evaluateModel,
  fitModel,
  predictModel,
  predictOnBatchModel,
  testOnBatchModel,
  trainOnBatchModel,
} from '../../src/training/index.js';
import { LinearModel, linearTask, maeMetric, mse } from './fakes.js';

function compiled(lr = 0.1, seed = 3): LinearModel {
  const model = new LinearModel(2, 1, ['dense'], seed);
  compileModel(model, {
    optimizer: new SGD({ learningRate: lr }),
    loss: mse,
    metrics: [maeMetric()],
  });
  return model;
}

describe('fit', () => {
  it('lowers the loss on a learnable regression task', async () => {
    const { x, y } = linearTask(256);
    const model = compiled();
    const history = await fitModel(model, x, y, { epochs: 8, batchSize: 16, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss).toHaveLength(8);
    expect(loss[7]!).toBeLessThan(loss[0]! / 100);
    expect(loss[7]!).toBeLessThan(1e-3);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.params).toEqual({ epochs: 8, steps: 16, verbose: 0 });
    // The kernel approaches [2, -3] and the bias 1.
    const [kernel, bias] = model.getWeights();
    expect(Array.from(kernel!.values)).toEqual([expect.closeTo(2, 1), expect.closeTo(-3, 1)]);
    expect(bias!.values[0]).toBeCloseTo(1, 1);
  });

  it('gives the same weights after training from the same seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      setSeed(seed);
      const { x, y } = linearTask(64);
      const model = compiled(0.05, 11);
      await fitModel(model, x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      return model.getWeights().flatMap((w) => Array.from(w.values));
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a).toEqual(b);
    // A different seed shuffles differently, so the path and the weights differ.
    expect(a).not.toEqual(c);
  });

  it('holds out the last fraction of the samples, before shuffling, for validation', async () => {
    const x = tensor(Array.from({ length: 10 }, (_, i) => [i, 0]));
    const y = tensor(Array.from({ length: 10 }, (_, i) => [i]));
    const model = compiled(0);
    const history = await fitModel(model, x, y, {
      epochs: 2,
      batchSize: 4,
      validationSplit: 0.2,
      verbose: 0,
    });
    const trainRows = model.calls.filter((c) => c.training).flatMap((c) => c.rows.map((r) => r[0]));
    const testRows = model.calls.filter((c) => !c.training).flatMap((c) => c.rows.map((r) => r[0]));
    // 8 training rows per epoch, shuffled; rows 8 and 9 are only ever validated on.
    expect(trainRows.slice(0, 8).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(trainRows.slice(8).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(testRows).toEqual([8, 9, 8, 9]);
    expect(Object.keys(history.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
  });

  it('weights the loss by classWeight and sampleWeight as computed by hand', async () => {
    // Fixed weights (learning rate 0): kernel k, bias 0, so the per-sample errors are known.
    const model = compiled(0);
    model.setWeights([tensor([[1], [0]]), tensor([0])]);
    const x = tensor([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ]);
    const y = tensor([[0], [0], [1], [1]]);
    // Squared errors: 1, 4, 4, 9. Labels (rounded targets) 0, 0, 1, 1.
    const cw = await fitModel(model, x, y, {
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      classWeight: { 0: 2, 1: 0.5 },
      verbose: 0,
    });
    expect(cw.history['loss']![0]).toBeCloseTo((2 * 1 + 2 * 4 + 0.5 * 4 + 0.5 * 9) / 4, 5);
    const sw = await evaluateModel(model, x, y, { sampleWeight: tensor([1, 0, 0, 3]), verbose: 0 });
    expect((sw as number[])[0]).toBeCloseTo((1 * 1 + 3 * 9) / 4, 5);
    await expect(
      fitModel(model, x, y, {
        classWeight: { 0: 1 },
        sampleWeight: tensor([1, 1, 1, 1]),
        verbose: 0,
      }),
    ).rejects.toThrow(/classWeight and sampleWeight/);
  });

  it('stops after the batch in which a callback sets stopTraining', async () => {
    const { x, y } = linearTask(40);
    const model = compiled();
    let batches = 0;
    const stopper = new LambdaCallback({
      onTrainBatchEnd: (batch) => {
        batches++;
        if (batch === 2) model.stopTraining = true;
      },
    });
    const history = await fitModel(model, x, y, {
      epochs: 5,
      batchSize: 4,
      callbacks: [stopper],
      verbose: 0,
    });
    expect(batches).toBe(3);
    expect(history.epoch).toEqual([0]);
  });

  it('runs every hook in Keras order and awaits async hooks', async () => {
    const { x, y } = linearTask(6);
    const model = compiled();
    const events: string[] = [];
    const log = (name: string) => (a?: unknown) => {
      events.push(typeof a === 'number' ? `${name}:${a}` : name);
    };
    const recorder = new LambdaCallback({
      onTrainBegin: log('trainBegin'),
      onEpochBegin: async (epoch) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(`epochBegin:${epoch}`);
      },
      onTrainBatchBegin: log('batchBegin'),
      onTrainBatchEnd: log('batchEnd'),
      onTestBegin: log('testBegin'),
      onTestBatchEnd: log('testBatchEnd'),
      onTestEnd: log('testEnd'),
      onEpochEnd: log('epochEnd'),
      onTrainEnd: log('trainEnd'),
    });
    await fitModel(model, x, y, {
      epochs: 2,
      batchSize: 4,
      validationData: [x, y],
      callbacks: [recorder],
      verbose: 0,
    });
    const epoch = (e: number) => [
      `epochBegin:${e}`,
      'batchBegin:0',
      'batchEnd:0',
      'batchBegin:1',
      'batchEnd:1',
      'testBegin',
      'testBatchEnd:0',
      'testBatchEnd:1',
      'testEnd',
      `epochEnd:${e}`,
    ];
    expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
  });

  it('starts at initialEpoch and limits epochs with stepsPerEpoch', async () => {
    const { x, y } = linearTask(20);
    const model = compiled();
    let batches = 0;
    const log = setLogger(null);
    const counter = new LambdaCallback({ onTrainBatchEnd: () => void batches++ });
    const history = await fitModel(model, x, y, {
      epochs: 4,
      initialEpoch: 2,
      batchSize: 4,
      stepsPerEpoch: 3,
      callbacks: [counter],
      verbose: 0,
    });
    expect(history.epoch).toEqual([2, 3]);
    // 20 samples make 5 batches: epoch 2 takes 3, epoch 3 the last 2 and ends early (Keras 3).
    expect(batches).toBe(5);
    // With stepsPerEpoch equal to a pass, each epoch starts a new pass without a warning.
    const warnings: string[] = [];
    setLogger({ info: () => {}, warn: (m) => void warnings.push(m) });
    const exact = await fitModel(model, x, y, {
      epochs: 3,
      batchSize: 4,
      stepsPerEpoch: 5,
      verbose: 0,
    });
    setLogger(log);
    expect(exact.epoch).toEqual([0, 1, 2]);
    expect(warnings).toEqual([]);
  });

  it('trains from a Dataset, continuing across epochs with stepsPerEpoch', async () => {
    const { x, y } = linearTask(64);
    const model = compiled();
    const ds = Dataset.fromTensors([x, y]).shuffle(64, { seed: 1 }).batch(8).repeat();
    const history = await fitModel(model, ds, { epochs: 6, stepsPerEpoch: 8, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss[5]!).toBeLessThan(loss[0]! / 20);
    // A finite dataset gives one pass per epoch, and validates on another dataset.
    const h2 = await fitModel(model, Dataset.fromTensors([x, y]).batch(16), {
      epochs: 1,
      validationData: Dataset.fromTensors({ x, y }).batch(32),
      verbose: 0,
    });
    expect(h2.history['val_loss']![0]).toBeLessThan(0.1);
  });

  it('takes inputs as records keyed by input name and limits validation to validationSteps', async () => {
    const { x, y } = linearTask(40);
    const model = compiled();
    let testBatches = 0;
    const counter = new LambdaCallback({ onTestBatchEnd: () => void testBatches++ });
    await fitModel(model, { x }, y, {
      epochs: 2,
      batchSize: 8,
      validationData: [{ x }, y],
      validationSteps: 2,
      callbacks: [counter],
      verbose: 0,
    });
    expect(testBatches).toBe(4);
    await expect(fitModel(model, { z: x }, y, { verbose: 0 })).rejects.toThrow(
      /The model's inputs are: x. Received keys: z/,
    );
    const limited = (await evaluateModel(model, x, y, {
      batchSize: 8,
      steps: 1,
      verbose: 0,
    })) as number[];
    const rows = model.calls[model.calls.length - 1]!.rows.length;
    expect(rows).toBe(8);
    expect(limited).toHaveLength(2);
  });

  it('validates every validationFreq epochs', async () => {
    const { x, y } = linearTask(16);
    const model = compiled();
    let validations = 0;
    const counter = new LambdaCallback({ onTestEnd: () => void validations++ });
    const history = await fitModel(model, x, y, {
      epochs: 6,
      validationData: [x, y],
      validationFreq: 3,
      callbacks: [counter],
      verbose: 0,
    });
    expect(validations).toBe(2);
    expect(history.history['val_loss']).toHaveLength(2);
    await fitModel(model, x, y, {
      epochs: 4,
      validationData: [x, y],
      validationFreq: [1, 4],
      callbacks: [counter],
      verbose: 0,
    });
    expect(validations).toBe(4);
  });

  it('predicts from a Dataset of inputs', async () => {
    const { x } = linearTask(10);
    const model = compiled();
    const fromDataset = await predictModel(model, Dataset.fromTensors(x).batch(4), { verbose: 0 });
    const direct = predictOnBatchModel(model, x);
    expect(Array.from((fromDataset as { values: Float32Array }).values)).toEqual(
      Array.from((direct as { values: Float32Array }).values),
    );
  });

  it('rejects bad options with clear errors', async () => {
    const { x, y } = linearTask(8);
    const model = compiled();
    const fail = (options: object) => fitModel(model, x, y, { verbose: 0, ...options });
    await expect(fail({ batchSize: 0 })).rejects.toThrow(
      /batchSize must be an integer >= 1. Received: batchSize=0/,
    );
    await expect(fail({ validationSplit: 1 })).rejects.toThrow(
      /validationSplit must be a number in \[0, 1\)/,
    );
    await expect(fail({ verbose: 3 })).rejects.toThrow(/verbose must be 0, 1, 2 or 'auto'/);
    await expect(fitModel(model, x, { epochs: 2 } as never)).rejects.toThrow(
      /second argument must be the targets y .* Pass options third, e.g. fit\(x, y, \{ epochs: 5 \}\)/,
    );
    await expect(fitModel(model, x, tensor([[1], [2]]), { verbose: 0 })).rejects.toThrow(
      /same number of samples/,
    );
    const uncompiled = new LinearModel(2, 1);
    const error = await fitModel(uncompiled, x, y).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TensileError);
    expect((error as TensileError).code).toBe('not_built');
    expect((error as TensileError).message).toMatch(/Call model.compile/);
  });
});

describe('evaluate, predict and the on-batch methods', () => {
  it('evaluates to [loss, ...metrics], or a record with returnDict', async () => {
    const model = compiled(0);
    model.setWeights([tensor([[1], [1]]), tensor([0])]);
    const x = tensor([
      [1, 1],
      [2, 0],
      [0, 0],
    ]);
    const y = tensor([[1], [2], [3]]);
    // Predictions 2, 2, 0: errors 1, 0, -3 → MSE 10/3, MAE 4/3.
    const list = (await evaluateModel(model, x, y, { batchSize: 2, verbose: 0 })) as number[];
    expect(list[0]).toBeCloseTo(10 / 3, 5);
    expect(list[1]).toBeCloseTo(4 / 3, 5);
    const dict = await evaluateModel(model, x, y, { verbose: 0, returnDict: true });
    expect(Object.keys(dict)).toEqual(['loss', 'mae']);
    expect(testOnBatchModel(model, x, y, { returnDict: true })).toEqual(dict);
  });

  it('predicts batch by batch and joins the batches', async () => {
    const model = compiled();
    const { x } = linearTask(37);
    const whole = predictOnBatchModel(model, x);
    const batched = await predictModel(model, x, { batchSize: 5, verbose: 0 });
    expect(Array.isArray(batched)).toBe(false);
    expect((batched as typeof whole & { shape: number[] }).shape).toEqual([37, 1]);
    expect(Array.from((batched as { values: Float32Array }).values)).toEqual(
      Array.from((whole as { values: Float32Array }).values),
    );
    expect(model.calls.every((c) => !c.training)).toBe(true);
  });

  it('trainOnBatch takes one step and reports that batch', () => {
    const model = compiled(0.1);
    const x = tensor([[1, 0]]);
    const y = tensor([[3]]);
    model.setWeights([tensor([[0], [0]]), tensor([0])]);
    // Loss (0 − 3)² = 9; gradient of the kernel: 2·(0 − 3)·x = [−6, 0], of the bias −6.
    const first = trainOnBatchModel(model, x, y) as number[];
    expect(first[0]).toBeCloseTo(9, 6);
    const [kernel, bias] = model.getWeights();
    expect(Array.from(kernel!.values)).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(bias!.values[0]).toBeCloseTo(0.6, 6);
    // Now the prediction is 1.2: loss (1.2 − 3)² = 3.24, for this batch alone.
    expect((trainOnBatchModel(model, x, y) as number[])[0]).toBeCloseTo(3.24, 5);
  });
});
