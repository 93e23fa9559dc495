import { beforeEach, describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  GroupNormalization,
  Input,
  LayerNormalization,
  Model,
  TensileError,
  clearSession,
  tensor,
} from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('BatchNormalization', () => {
  it('has 4·C parameters, 2·C of them non-trainable', () => {
    const layer = checkLayer({
      make: (dtype) => new BatchNormalization({ dtype }),
      inputShape: [4, 3],
      expectedOutputShape: [4, 3],
      expectedParams: 12,
      expectedTrainableWeights: 2,
      expectedNonTrainableWeights: 2,
    });
    expect(layer.weights.map((w) => w.name)).toEqual([
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
    ]);
  });

  it('normalizes by batch statistics while training and updates the moving ones', () => {
    // Feature 0: [1, 3] → mean 2, var 1; feature 1: [2, 6] → mean 4, var 4.
    const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3, dtype: 'float64' });
    const x = tensor(
      [
        [1, 2],
        [3, 6],
      ],
      { dtype: 'float64' },
    );
    const y = bn.apply(x, { training: true });
    const s0 = 1 / Math.sqrt(1 + 1e-3);
    const s1 = 1 / Math.sqrt(4 + 1e-3);
    expectClose(y, [-s0, -2 * s1, s0, 2 * s1], 1e-12);
    expectClose(bn.movingMean!, [0.2, 0.4], 1e-12); // 0.9·0 + 0.1·mean
    expectClose(bn.movingVariance!, [0.9 + 0.1 * 1, 0.9 + 0.1 * 4], 1e-12);
  });

  it('uses the moving statistics at inference, and when frozen', () => {
    const bn = new BatchNormalization({ dtype: 'float64', epsilon: 1e-3 });
    const x = tensor(
      [
        [1, 2],
        [3, 6],
      ],
      { dtype: 'float64' },
    );
    const inference = bn.apply(x); // moving mean 0, variance 1
    const s = 1 / Math.sqrt(1 + 1e-3);
    expectClose(inference, [s, 2 * s, 3 * s, 6 * s], 1e-12);
    bn.trainable = false;
    expectClose(bn.apply(x, { training: true }), [s, 2 * s, 3 * s, 6 * s], 1e-12);
  });

  it('passes the harness on images in training mode', () => {
    checkLayer({
      make: (dtype) => new BatchNormalization({ dtype }),
      inputShape: [2, 2, 2, 3],
      expectedOutputShape: [2, 2, 2, 3],
      expectedParams: 12,
      training: true,
    });
  });
});

describe('LayerNormalization and GroupNormalization', () => {
  it('LayerNormalization normalizes each sample over its features', () => {
    checkLayer({
      make: (dtype) => new LayerNormalization({ dtype }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedParams: 8,
    });
    const ln = new LayerNormalization({ epsilon: 1e-3, dtype: 'float64' });
    // [1, 3]: mean 2, var 1.
    const s = 1 / Math.sqrt(1 + 1e-3);
    expectClose(ln.apply(tensor([[1, 3]], { dtype: 'float64' })), [-s, s], 1e-12);
  });

  it('GroupNormalization normalizes channel groups', () => {
    checkLayer({
      make: (dtype) => new GroupNormalization({ groups: 2, dtype }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
      expectedParams: 8,
    });
    // One sample, channels [1, 3 | 10, 14] in two groups: means 2 and 12, variances 1 and 4.
    const gn = new GroupNormalization({ groups: 2, epsilon: 1e-3, dtype: 'float64' });
    const y = gn.apply(tensor([[1, 3, 10, 14]], { dtype: 'float64' }));
    const a = 1 / Math.sqrt(1 + 1e-3);
    const b = 2 / Math.sqrt(4 + 1e-3);
    expectClose(y, [-a, a, -b, b], 1e-12);
  });

  it('GroupNormalization refuses groups that do not divide the channels', () => {
    const layer = new GroupNormalization({ groups: 3 });
    expect(
      () =>
        new Model({ inputs: Input({ shape: [4] }), outputs: layer.apply(Input({ shape: [4] })) }),
    ).toThrow(TensileError);
  });
});
