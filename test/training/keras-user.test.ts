/**
 * Keras' training guides, translated line by line: what a Keras user writes first, and the
 * mistakes they make. Each case here was a bug at the seams between compile, fit, the metrics,
 * the losses and the callbacks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Dataset,
  Dense,
  Input,
  ModelCheckpoint,
  SGD,
  Sequential,
  SparseCategoricalAccuracy,
  TensileError,
  type Tensor,
  binaryCrossentropy,
  categoricalCrossentropy,
  setLogger,
  sparseCategoricalCrossentropy,
  tensor,
} from '../../src/index.js';
import type { Logger } from '../../src/logger.js';

/**
 * A softmax classifier whose logits are the two inputs and 0, so that the predicted class is
 * known by hand: [2,0] → 0, [0,2] → 1, [-1,-1] → 2, [3,0] → 0.
 */
function classifier(): Sequential {
  const model = new Sequential([
    Input({ shape: [2] }),
    new Dense({ units: 3, activation: 'softmax' }),
  ]);
  model.setWeights([
    tensor([
      [1, 0, 0],
      [0, 1, 0],
    ]),
    tensor([0, 0, 0]),
  ]);
  return model;
}
const x = tensor([
  [2, 0],
  [0, 2],
  [-1, -1],
  [3, 0],
]);
/** Predicted classes 0, 1, 2, 0 against labels 0, 1, 2, 1: three of four right. */
const labels = tensor([0, 1, 2, 1], { dtype: 'int32' });
const oneHot = tensor([
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [0, 1, 0],
]);

function quietLogger(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const logger: Logger = { info: (m) => void lines.push(m), warn: (m) => void lines.push(m) };
  const previous = setLogger(logger);
  return { lines, restore: () => void setLogger(previous) };
}

describe("'accuracy' with a custom loss function", () => {
  it('is sparse categorical accuracy for integer labels', async () => {
    const model = classifier();
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: Tensor, yPred: Tensor) => sparseCategoricalCrossentropy(yTrue, yPred),
      metrics: ['accuracy'],
    });
    const logs = await model.evaluate(x, labels, { verbose: 0, returnDict: true });
    expect((logs as Record<string, number>)['accuracy']).toBe(0.75);
  });

  it('is categorical accuracy for one-hot labels', async () => {
    const model = classifier();
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: Tensor, yPred: Tensor) => categoricalCrossentropy(yTrue, yPred),
      metrics: ['acc'],
    });
    const logs = await model.evaluate(x, oneHot, { verbose: 0, returnDict: true });
    expect((logs as Record<string, number>)['acc']).toBe(0.75);
  });

  it('is binary accuracy (threshold 0.5) for one sigmoid unit', async () => {
    const model = new Sequential([
      Input({ shape: [1] }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.setWeights([tensor([[1]]), tensor([0])]);
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: Tensor, yPred: Tensor) => binaryCrossentropy(yTrue, yPred),
      metrics: ['accuracy'],
    });
    // sigmoid(x) > 0.5 exactly when x > 0: predictions 1, 0, 1, 0 against 1, 0, 0, 0.
    const logs = await model.evaluate(
      tensor([[2], [-2], [0.5], [-0.1]]),
      tensor([[1], [0], [0], [0]]),
      {
        verbose: 0,
        returnDict: true,
      },
    );
    expect((logs as Record<string, number>)['accuracy']).toBe(0.75);
  });
});

describe('trainOnBatch, testOnBatch and resetMetrics', () => {
  it('reports the batch alone on every call, as Keras 3 does since keras#22617', () => {
    const model = classifier();
    model.compile({
      optimizer: new SGD({ learningRate: 0 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const first = model.trainOnBatch(
      tensor([
        [2, 0],
        [0, 2],
      ]),
      tensor([0, 1], { dtype: 'int32' }),
      {
        returnDict: true,
      },
    );
    const second = model.trainOnBatch(
      tensor([
        [-1, -1],
        [3, 0],
      ]),
      tensor([2, 1], { dtype: 'int32' }),
      {
        returnDict: true,
      },
    );
    // Rows 0-1 are both right; rows 2-3 are one right of two.
    expect((first as Record<string, number>)['accuracy']).toBe(1);
    expect((second as Record<string, number>)['accuracy']).toBe(0.5);
    const tested = model.testOnBatch(x, labels, { returnDict: true });
    expect((tested as Record<string, number>)['accuracy']).toBe(0.75);
  });

  it('model.resetMetrics() clears the compiled metric objects', () => {
    const model = classifier();
    const accuracy = new SparseCategoricalAccuracy();
    model.compile({
      optimizer: 'sgd',
      loss: 'sparse_categorical_crossentropy',
      metrics: [accuracy],
    });
    model.testOnBatch(x, labels);
    expect(accuracy.result()).toBe(0.75);
    model.resetMetrics();
    expect(accuracy.result()).toBe(0);
  });
});

describe('errors for the common mistakes', () => {
  const compiled = (loss: string): Sequential => {
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss });
    return model;
  };

  it('names x and y when their sample counts differ', async () => {
    const fit = compiled('sparse_categorical_crossentropy').fit(
      x,
      tensor([0, 1, 2], { dtype: 'int32' }),
      {
        verbose: 0,
      },
    );
    await expect(fit).rejects.toThrow(TensileError);
    await expect(
      compiled('mse').fit(
        x,
        tensor([
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ]),
        { verbose: 0 },
      ),
    ).rejects.toThrow(
      'x, y and sampleWeight need the same number of samples (first axis). Received: ' +
        'x.shape=[4,2], y.shape=[3,3]. Give every sample of x exactly one target row in y',
    );
  });

  it('says when one-hot labels go to the sparse loss, and integer labels to the categorical one', async () => {
    const sparse = compiled('sparse_categorical_crossentropy').fit(x, oneHot, { verbose: 0 });
    await expect(sparse).rejects.toMatchObject({ code: 'shape_mismatch' });
    await expect(
      compiled('sparse_categorical_crossentropy').fit(x, oneHot, { verbose: 0 }),
    ).rejects.toThrow(
      /loss=sparse_categorical_crossentropy expects class indices.*y\.shape=\[4,3\].*Use loss 'categorical_crossentropy' for one-hot labels/,
    );
    await expect(
      compiled('categorical_crossentropy').fit(x, labels, { verbose: 0 }),
    ).rejects.toThrow(
      /loss=categorical_crossentropy expects one-hot labels.*y\.shape=\[4\].*Use loss 'sparse_categorical_crossentropy' for integer labels/,
    );
  });

  it('describes bad validationData without printing the tensors', async () => {
    const model = compiled('sparse_categorical_crossentropy');
    await expect(
      model.fit(x, labels, { verbose: 0, validationData: [x] as never }),
    ).rejects.toThrow(
      'fit: validationData must be [x, y], [x, y, sampleWeight] or a Dataset. Received: an array of 1.',
    );
  });

  it('suggests tensor(...) for plain arrays', async () => {
    const model = compiled('sparse_categorical_crossentropy');
    await expect(model.fit(x, [0, 1, 2, 1] as never, { verbose: 0 })).rejects.toThrow(
      /Received: an array of 4 \(number, number, number, number\)\. Wrap plain arrays with tensor/,
    );
  });
});

describe('callback messages', () => {
  it("ModelCheckpoint says 'inf' as Keras does for the first improvement", async () => {
    const model = classifier();
    model.compile({
      optimizer: new SGD({ learningRate: 0 }),
      loss: 'sparse_categorical_crossentropy',
    });
    const dir = mkdtempSync(join(tmpdir(), 'tensile-ku-'));
    const log = quietLogger();
    try {
      await model.fit(x, labels, {
        verbose: 0,
        callbacks: [
          new ModelCheckpoint({
            filepath: join(dir, 'best.weights.bin'),
            monitor: 'loss',
            saveBestOnly: true,
            saveWeightsOnly: true,
            verbose: 1,
          }),
        ],
      });
    } finally {
      log.restore();
    }
    expect(log.lines[0]).toMatch(/^Epoch 1: loss improved from inf to \d\.\d{5}, saving model to /);
  });
});

describe('Dataset mistakes', () => {
  it('hints at .batch() when a dataset yields single samples', async () => {
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const unbatched = Dataset.fromTensors([x, labels]);
    await expect(model.fit(unbatched, { verbose: 0 })).rejects.toThrow(
      'Received: x.shape=[2], y.shape=[]. Give every sample of x exactly one target row in y ' +
        '(and one weight). Each element of a Dataset is one batch: if this dataset yields single ' +
        'samples, call .batch(batchSize) on it.',
    );
  });
});

describe('endless datasets', () => {
  it('refuses a repeat() dataset without a step count instead of running forever', async () => {
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const endless = Dataset.fromTensors([x, labels]).batch(2).repeat();
    await expect(model.fit(endless, { verbose: 0 })).rejects.toThrow(
      'fit: the dataset repeats forever (cardinality=Infinity), so fit would never end. Pass ' +
        'stepsPerEpoch, e.g. stepsPerEpoch: 100, or drop repeat().',
    );
    await expect(model.evaluate(endless, { verbose: 0 })).rejects.toThrow(/Pass steps, e\.g\./);
    await expect(model.predict(endless, { verbose: 0 })).rejects.toThrow(/Pass steps, e\.g\./);
    const finite = Dataset.fromTensors([x, labels]).batch(2);
    await expect(model.fit(finite, { verbose: 0, validationData: endless })).rejects.toThrow(
      /Pass validationSteps/,
    );
    const history = await model.fit(endless, { verbose: 0, stepsPerEpoch: 3, epochs: 2 });
    expect(history.params).toEqual({ epochs: 2, steps: 3, verbose: 0 });
    expect(await model.evaluate(endless, { verbose: 0, steps: 2 })).toBeTypeOf('number');
  });

  it('keeps the model out of a printed History', async () => {
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await model.fit(x, labels, { verbose: 0 });
    expect(history.model).toBe(model);
    expect(Object.keys(history)).not.toContain('model');
  });
});

describe('classWeight', () => {
  it('weights the loss by class as sampleWeight does, and leaves plain metrics unweighted', () => {
    const model = classifier();
    model.compile({
      optimizer: new SGD({ learningRate: 0 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    // numpy: per-sample cross-entropy l of the softmax of [x, 0]; Σ wᵢ·lᵢ / 4 with w = [1,3,1,3]
    // is 2.6985981620206183, and the unweighted mean is 1.0313643006991953.
    const logs = model.trainOnBatch(x, labels, { classWeight: { 1: 3 }, returnDict: true });
    expect((logs as Record<string, number>)['loss']).toBeCloseTo(2.6985981620206183, 5);
    expect((logs as Record<string, number>)['accuracy']).toBe(0.75);
    const plain = model.testOnBatch(x, labels, { returnDict: true });
    expect((plain as Record<string, number>)['loss']).toBeCloseTo(1.0313643006991953, 5);
  });
});
