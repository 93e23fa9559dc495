import { beforeEach, describe, expect, it } from 'vitest';
import { Dense, SGD, Sequential, clearSession, setSeed, tensor } from '../../src/index.js';

beforeEach(() => {
  clearSession();
  setSeed(1);
});

describe('weight constraints during fit', () => {
  it('projects the kernel after every update, as Keras does', async () => {
    // y = −x pulls the kernel negative; nonNeg must hold it at ≥ 0 after each step.
    const model = new Sequential([
      new Dense({ units: 1, inputShape: [1], kernelConstraint: 'nonNeg', useBias: false }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[-1], [-2], [-3], [-4]]);
    await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
    const kernel = model.getWeights()[0]!;
    expect(kernel.values[0]).toBe(0);
  });
});
