import { describe, expect, it } from 'vitest';
import { TensileError } from '../../src/errors.js';
import { Adam, SGD } from '../../src/optimizers/index.js';
import { tensor } from '../../src/tensor/creation.js';
import { compileModel, evaluateModel, fitModel, getCompiled } from '../../src/training/index.js';
import { LinearModel, maeMetric, mse } from './fakes.js';

/** Two heads 'a' and 'b' with fixed weights, so every loss is known. */
function twoHeads(): LinearModel {
  const m = new LinearModel(1, 1, ['a', 'b']);
  m.setWeights([tensor([[1]]), tensor([0]), tensor([[2]]), tensor([0])]);
  return m;
}

describe('compile', () => {
  it('resolves names for the optimizer and the loss', () => {
    const m = new LinearModel(1, 1);
    compileModel(m, { optimizer: 'adam', loss: 'mse' });
    const state = getCompiled(m)!;
    expect(state.optimizer).toBeInstanceOf(Adam);
    expect(state.outputs[0]!.loss!.name).toBe('mean_squared_error');
    expect(state.outputs[0]!.lossLogName).toBeNull();
  });

  it('weights per-output losses and names them <output>_loss, as computed by hand', async () => {
    const m = twoHeads();
    compileModel(m, {
      optimizer: new SGD({ learningRate: 0 }),
      loss: { a: mse, b: mse },
      lossWeights: { a: 1, b: 0.5 },
      metrics: { a: [maeMetric()], b: maeMetric() },
    });
    const x = tensor([[1], [2]]);
    // Head a predicts x, head b 2x. Targets: a = [0, 0] → MSE (1 + 4)/2 = 2.5, MAE 1.5;
    // b = [2, 2] → MSE (0 + 4)/2 = 2, weighted 1; MAE 1. Total 2.5 + 0.5·2 = 3.5.
    const logs = await evaluateModel(
      m,
      x,
      { a: tensor([[0], [0]]), b: tensor([[2], [2]]) },
      {
        verbose: 0,
        returnDict: true,
      },
    );
    expect(logs).toEqual({ loss: 3.5, a_loss: 2.5, b_loss: 1, a_mae: 1.5, b_mae: 1 });
  });

  it('takes losses and metrics as arrays, with null for an output left out', async () => {
    const m = twoHeads();
    compileModel(m, {
      optimizer: new SGD({ learningRate: 0 }),
      loss: [mse, null],
      metrics: [null, [maeMetric('mae'), maeMetric('mae')]],
    });
    const x = tensor([[1], [2]]);
    const logs = await evaluateModel(m, x, [tensor([[0], [0]]), tensor([[2], [2]])], {
      verbose: 0,
      returnDict: true,
    });
    // Only head a has a loss; the duplicate metric name gets a suffix.
    expect(logs).toEqual({ loss: 2.5, a_loss: 2.5, b_mae: 1, b_mae_1: 1 });
    // Targets by record may leave out an output without a loss.
    const history = await fitModel(m, x, { a: tensor([[0], [0]]) }, { verbose: 0 });
    expect(history.history['loss']).toEqual([2.5]);
  });

  it('weights only the weightedMetrics by the sample weights', async () => {
    const m = new LinearModel(1, 1);
    m.setWeights([tensor([[1]]), tensor([0])]);
    compileModel(m, {
      optimizer: new SGD({ learningRate: 0 }),
      loss: mse,
      metrics: ['mae'],
      weightedMetrics: ['mae'],
    });
    // Predictions 1, 2, 3 against 0, 0, 0: errors 1, 2, 3 with weights 3, 0, 1.
    const logs = await evaluateModel(m, tensor([[1], [2], [3]]), tensor([[0], [0], [0]]), {
      sampleWeight: tensor([3, 0, 1]),
      verbose: 0,
      returnDict: true,
    });
    expect(Object.keys(logs)).toEqual(['loss', 'mae', 'weighted_mae']);
    expect((logs as Record<string, number>)['mae']).toBeCloseTo(2, 6);
    // Keras' weighted mean: (3·1 + 0·2 + 1·3) / (3 + 0 + 1) = 1.5.
    expect((logs as Record<string, number>)['weighted_mae']).toBeCloseTo(1.5, 6);
  });

  it('explains malformed settings', () => {
    const m = twoHeads();
    const error = (() => {
      try {
        compileModel(m, { optimizer: 'sgd', loss: { c: 'mse' } });
      } catch (e) {
        return e as TensileError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(TensileError);
    expect(error!.code).toBe('invalid_argument');
    expect(error!.message).toBe(
      "compile: loss names an output the model does not have. Received: key 'c'. The outputs are: a, b.",
    );
    expect(() => compileModel(m, { loss: [mse] })).toThrow(/one entry per output \(2: a, b\)/);
    expect(() => compileModel(m, { loss: mse, metrics: ['mae'] })).toThrow(
      /metrics as an array needs one entry per output/,
    );
    expect(() => compileModel(m, { optimizer: 'nope' as string, loss: mse })).toThrow(TensileError);
  });
});
