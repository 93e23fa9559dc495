import { describe, expect, it } from 'vitest';
import { Dense, Dropout, Input, Sequential, Tensor, setSeed } from '../../src/index.js';
import { EarlyStopping } from '../../src/callbacks/index.js';
import { randomNormal } from '../../src/tensor/creation.js';

/** Three classes: the index of the largest of the first three features. */
function threeClasses(n: number, seed: number): { x: Tensor; y: Tensor } {
  const x = randomNormal([n, 4], { seed });
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = x.values.subarray(i * 4, i * 4 + 3);
    labels[i] = row.indexOf(Math.max(...row));
  }
  return { x, y: new Tensor(labels, [n]) };
}

function classifier(): Sequential {
  return new Sequential({
    layers: [
      Input({ shape: [4] }),
      new Dense({ units: 32, activation: 'relu' }),
      new Dropout({ rate: 0.3 }),
      new Dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

describe('training a real model', () => {
  it('learns a classification task with names for optimizer, loss and metric', async () => {
    setSeed(1);
    const { x, y } = threeClasses(512, 3);
    const model = classifier();
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(x, y, {
      epochs: 25,
      batchSize: 32,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [new EarlyStopping({ monitor: 'val_accuracy', patience: 30 })],
    });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const acc = history.history['val_accuracy']!;
    expect(acc[acc.length - 1]!).toBeGreaterThan(0.9);
    const loss = history.history['loss']!;
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 3);
  });

  it('gives the same weights after training from the same seed, Dropout included', async () => {
    const run = async (seed: number): Promise<number[]> => {
      setSeed(seed);
      const { x, y } = threeClasses(96, 7);
      const model = classifier();
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      return model.getWeights().flatMap((w) => Array.from(w.values));
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('runs Dropout in training mode during fit steps and not in evaluate or predict', async () => {
    setSeed(2);
    const { x, y } = threeClasses(64, 5);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    // Training-mode passes drop different units each time; inference passes agree.
    const a = model.forward([x], true).outputs[0]!;
    const b = model.forward([x], true).outputs[0]!;
    expect(Array.from(a.values)).not.toEqual(Array.from(b.values));
    const p1 = (await model.predict(x, { verbose: 0 })) as Tensor;
    const p2 = (await model.predict(x, { verbose: 0, batchSize: 7 })) as Tensor;
    expect(Array.from(p1.values)).toEqual(Array.from(p2.values));
    const e1 = await model.evaluate(x, y, { verbose: 0 });
    const e2 = await model.evaluate(x, y, { verbose: 0, batchSize: 64 });
    expect(e1 as number).toBeCloseTo(e2 as number, 5);
  });
});
