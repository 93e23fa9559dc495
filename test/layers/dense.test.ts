import { beforeEach, describe, expect, it } from 'vitest';
import { Dense, Input, TensileError, clearSession, tensor } from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('Dense', () => {
  it('passes the layer harness', () => {
    checkLayer({
      make: (dtype) => new Dense({ units: 3, dtype, activation: 'tanh' }),
      inputShape: [2, 4],
      expectedOutputShape: [2, 3],
      expectedParams: 15,
      expectedTrainableWeights: 2,
      expectedNonTrainableWeights: 0,
    });
  });

  it('applies to the last axis of a rank-3 input', () => {
    checkLayer({
      make: (dtype) => new Dense({ units: 2, dtype, useBias: false }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 2],
      expectedParams: 8,
    });
  });

  it('names weights like Keras', () => {
    const d = new Dense({ units: 2 });
    d.apply(Input({ shape: [3] }));
    expect(d.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    expect(new Dense({ units: 1 }).name).toBe('dense_1');
  });

  it('computes x·W + b', () => {
    const d = new Dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' });
    const y = d.apply(tensor([[1, 2, 3]]));
    expect(y.toArray()).toEqual([[7, 7]]);
  });

  it('rejects units=0', () => {
    expect(() => new Dense({ units: 0 })).toThrow(TensileError);
    expect(() => new Dense({ units: 0 })).toThrow(
      /units must be a positive integer. Received: units=0/,
    );
  });
});
