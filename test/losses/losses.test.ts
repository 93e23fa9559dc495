import { describe, expect, it } from 'vitest';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  Loss,
  type NestedArray,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
  TensileError,
  type Tensor,
  getLoss,
  deserializeLoss,
  serializeLoss,
  tensor,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

const f64 = (values: NestedArray) => tensor(values, { dtype: 'float64' });

// Reference values: Keras 3's docstring examples, recomputed to full precision in float64 numpy
// from the documented formulas (ε = 1e-7 clipping), as the comments beside each say.
const Y_TRUE = f64([
  [0, 1],
  [0, 0],
]);
const Y_PRED = f64([
  [0.6, 0.4],
  [0.4, 0.6],
]);

describe('Loss reductions and sample weights', () => {
  // MSE per sample on [[0,1],[0,0]] vs [[1,1],[1,0]]: [0.5, 0.5]; weights [0.8, 0.2] → [0.4, 0.1].
  const yTrue = f64([
    [0, 1],
    [0, 0],
  ]);
  const yPred = f64([
    [1, 1],
    [1, 0],
  ]);
  const weights = f64([0.8, 0.2]);

  it.each([
    ['sum_over_batch_size', 0.5, 0.25],
    ['mean', 0.5, 0.25],
    ['sum', 1, 0.5],
    ['mean_with_sample_weight', 0.5, 0.5],
  ] as const)('%s', (reduction, plain, weighted) => {
    const loss = new MeanSquaredError({ reduction });
    expect(loss.compute(yTrue, yPred).item()).toBeCloseTo(plain, 14);
    expect(loss.compute(yTrue, yPred, weights).item()).toBeCloseTo(weighted, 14);
  });

  it("'none' keeps one weighted loss per sample", () => {
    const out = new MeanSquaredError({ reduction: 'none' }).compute(yTrue, yPred, weights);
    expect(out.shape).toEqual([2]);
    expectClose(out, [0.4, 0.1], 1e-14);
  });

  it('accepts weights shaped [N, 1] and scalar weights', () => {
    const loss = new MeanSquaredError();
    expect(loss.compute(yTrue, yPred, f64([[0.8], [0.2]])).item()).toBeCloseTo(0.25, 14);
    expect(loss.compute(yTrue, yPred, tensor(2, { dtype: 'float64' })).item()).toBeCloseTo(1, 14);
  });

  it('weights per sample multiply every timestep of sequence losses', () => {
    // Per-timestep MSE of shape [2, 2]: [[1, 0], [4, 1]]; weights [1, 0] leave [[1, 0], [0, 0]].
    const yt = f64([
      [[0], [0]],
      [[0], [0]],
    ]);
    const yp = f64([
      [[1], [0]],
      [[2], [1]],
    ]);
    const loss = new MeanSquaredError();
    expect(loss.compute(yt, yp).item()).toBeCloseTo(1.5, 14);
    expect(loss.compute(yt, yp, f64([1, 0])).item()).toBeCloseTo(0.25, 14);
  });

  it('is differentiable with respect to yPred, with weights (gradcheck)', () => {
    const yt = rand64([4, 3], 3, 0, 1);
    const w = rand64([4], 4, 0, 2);
    gradcheck(
      (yp: Tensor) => new BinaryCrossentropy().compute(yt, yp, w),
      [rand64([4, 3], 5, 0.1, 0.9)],
    );
    gradcheck(
      (yp: Tensor) => new Huber({ reduction: 'sum' }).compute(yt, yp, w),
      [rand64([4, 3], 6)],
    );
    // Sample 0 and 3 are ignored: the mean is over the two others, weighted.
    const labels = tensor([0, 2, 1, 0], { dtype: 'int32' });
    const sparse = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 0 });
    gradcheck((logits: Tensor) => sparse.compute(labels, logits, w), [rand64([4, 3], 7)]);
  });

  it('rejects weights that do not line up', () => {
    expect(() => new MeanSquaredError().compute(yTrue, yPred, f64([1, 2, 3]))).toThrow(
      expect.objectContaining({ code: 'shape_mismatch' }),
    );
  });

  it('rejects an unknown reduction', () => {
    expect(() => new MeanSquaredError({ reduction: 'avg' as never })).toThrow(
      /unknown reduction.*Received: reduction=avg/,
    );
  });
});

describe('loss classes', () => {
  it('MeanAbsoluteError', () => {
    expect(
      new MeanAbsoluteError()
        .compute(
          Y_TRUE,
          f64([
            [1, 1],
            [1, 0],
          ]),
        )
        .item(),
    ).toBeCloseTo(0.5, 14);
  });

  it('BinaryCrossentropy from probabilities: per sample [0.91629, 0.71356]', () => {
    const loss = new BinaryCrossentropy();
    expect(loss.compute(Y_TRUE, Y_PRED).item()).toBeCloseTo(0.814924454847114, 12);
    expect(loss.compute(Y_TRUE, Y_PRED, f64([1, 0])).item()).toBeCloseTo(0.4581453659370775, 12);
    expect(new BinaryCrossentropy({ reduction: 'sum' }).compute(Y_TRUE, Y_PRED).item()).toBeCloseTo(
      1.629848909694228,
      12,
    );
  });

  it('BinaryCrossentropy from logits (Keras docstring: 0.865)', () => {
    const loss = new BinaryCrossentropy({ fromLogits: true });
    const value = loss.compute(f64([0, 1, 0, 0]), f64([-18.6, 0.51, 2.94, -12.8])).item();
    expect(value).toBeCloseTo(0.8654579497810972, 12);
  });

  it('CategoricalCrossentropy (Keras docstring: 1.177, weighted 0.814)', () => {
    const yt = f64([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const yp = f64([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ]);
    const loss = new CategoricalCrossentropy();
    expect(loss.compute(yt, yp).item()).toBeCloseTo(1.176939193690798, 12);
    expect(loss.compute(yt, yp, f64([0.3, 0.7])).item()).toBeCloseTo(0.8135987767060484, 12);
  });

  it('SparseCategoricalCrossentropy matches the one-hot form; ignoreClass leaves the mean', () => {
    const yp = f64([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ]);
    const labels = tensor([1, 2], { dtype: 'int32' });
    expect(new SparseCategoricalCrossentropy().compute(labels, yp).item()).toBeCloseTo(
      1.176939193690798,
      12,
    );
    // Sample 2 is ignored: the mean is over the one remaining sample, −log(0.95).
    const ignoring = new SparseCategoricalCrossentropy({ ignoreClass: 2 });
    expect(ignoring.compute(labels, yp).item()).toBeCloseTo(-Math.log(0.95), 12);
    expect(
      new SparseCategoricalCrossentropy({ ignoreClass: 2, reduction: 'sum' })
        .compute(labels, yp)
        .item(),
    ).toBeCloseTo(-Math.log(0.95), 12);
  });

  it('passes labelSmoothing and fromLogits through to the loss function', () => {
    // Smoothing 0.2 moves binary labels to y·0.8 + 0.1; categorical ones to y·0.8 + 0.2/3.
    const smoothed = new BinaryCrossentropy({ labelSmoothing: 0.2 }).compute(Y_TRUE, Y_PRED).item();
    const manual = new BinaryCrossentropy()
      .compute(
        f64([
          [0.1, 0.9],
          [0.1, 0.1],
        ]),
        Y_PRED,
      )
      .item();
    expect(smoothed).toBeCloseTo(manual, 14);
    const onehot = f64([[0, 1, 0]]);
    const probs = f64([[0.2, 0.5, 0.3]]);
    const cce = new CategoricalCrossentropy({ labelSmoothing: 0.2 }).compute(onehot, probs).item();
    const third = 0.2 / 3;
    const expected = -(
      third * Math.log(0.2) +
      (0.8 + third) * Math.log(0.5) +
      third * Math.log(0.3)
    );
    expect(cce).toBeCloseTo(expected, 12);
    // Logits log([0.2, 0.5, 0.3]) give the same loss as those probabilities.
    const logits = f64([[Math.log(0.2), Math.log(0.5), Math.log(0.3)]]);
    expect(
      new CategoricalCrossentropy({ fromLogits: true }).compute(onehot, logits).item(),
    ).toBeCloseTo(-Math.log(0.5), 12);
  });

  it('Huber (Keras docstring: 0.155)', () => {
    expect(new Huber().compute(Y_TRUE, Y_PRED).item()).toBeCloseTo(0.155, 14);
  });

  it('KLDivergence (Keras docstring: 0.458)', () => {
    expect(new KLDivergence().compute(Y_TRUE, Y_PRED).item()).toBeCloseTo(0.45814304511982884, 10);
  });

  it('Hinge with {0,1} labels mapped to {−1,1} (Keras docstring: 1.3)', () => {
    expect(new Hinge().compute(Y_TRUE, Y_PRED).item()).toBeCloseTo(1.3, 14);
  });

  it('CosineSimilarity (Keras docstring: −0.5)', () => {
    const yt = f64([
      [0, 1],
      [1, 1],
    ]);
    const yp = f64([
      [1, 0],
      [1, 1],
    ]);
    expect(new CosineSimilarity({ axis: 1 }).compute(yt, yp).item()).toBeCloseTo(-0.5, 7);
  });
});

describe('the other loss classes, by hand on one sample', () => {
  it.each([
    // 100·mean(|1 − 1.5|/1, |2 − 1|/2) = 50
    ['mape', [[1, 2]], [[1.5, 1]], 50],
    // (log(1 + max(0, ε)) − log e)², ε = 1e-7 as Keras clips both sides
    ['msle', [[0]], [[Math.E - 1]], (Math.log(1 + 1e-7) - 1) ** 2],
    ['log_cosh', [[0]], [[1]], Math.log(Math.cosh(1))],
    // 2 − 1·log(2 + 1e-7)
    ['poisson', [[1]], [[2]], 2 - Math.log(2 + 1e-7)],
    // label 1 stays 1: max(1 − 0.5, 0)² = 0.25
    ['squared_hinge', [[1]], [[0.5]], 0.25],
    // max(neg − pos + 1, 0) with pos = 0.6, neg = 0.3
    ['categorical_hinge', [[0, 1]], [[0.3, 0.6]], 0.7],
  ] as [string, number[][], number[][], number][])('%s', (name, yt, yp, expected) => {
    expect(getLoss(name).compute(f64(yt), f64(yp)).item()).toBeCloseTo(expected, 12);
  });
});

describe('getLoss', () => {
  it.each([
    ['mse', 'MeanSquaredError'],
    ['mean_squared_error', 'MeanSquaredError'],
    ['meanSquaredError', 'MeanSquaredError'],
    ['mae', 'MeanAbsoluteError'],
    ['huber', 'Huber'],
    ['binary_crossentropy', 'BinaryCrossentropy'],
    ['binaryCrossentropy', 'BinaryCrossentropy'],
    ['categorical_crossentropy', 'CategoricalCrossentropy'],
    ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    ['sparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'],
    ['SparseCategoricalCrossentropy', 'SparseCategoricalCrossentropy'],
    ['kl_divergence', 'KLDivergence'],
    ['klDivergence', 'KLDivergence'],
    ['hinge', 'Hinge'],
    ['cosine_similarity', 'CosineSimilarity'],
    ['huber_loss', 'Huber'],
    ['logcosh', 'LogCosh'],
    ['kld', 'KLDivergence'],
    ['mean_absolute_percentage_error', 'MeanAbsolutePercentageError'],
  ])('%s → %s', (name, className) => {
    const loss = getLoss(name);
    expect((loss.constructor as typeof Loss).className).toBe(className);
    expect(loss.reduction).toBe('sum_over_batch_size');
  });

  it('returns instances as they are and wraps functions', () => {
    const mse = new MeanSquaredError();
    expect(getLoss(mse)).toBe(mse);
    const custom = getLoss(function doubled(yt: Tensor, yp: Tensor) {
      return new MeanSquaredError({ reduction: 'none' }).compute(yt, yp);
    });
    expect(custom.name).toBe('doubled');
    expect(
      custom
        .compute(
          Y_TRUE,
          f64([
            [1, 1],
            [1, 0],
          ]),
          f64([1, 0]),
        )
        .item(),
    ).toBeCloseTo(0.25, 14);
  });

  it('round-trips configs', () => {
    const loss = new BinaryCrossentropy({
      fromLogits: true,
      labelSmoothing: 0.1,
      reduction: 'sum',
    });
    const copy = deserializeLoss(JSON.parse(JSON.stringify(serializeLoss(loss))));
    expect(copy).toBeInstanceOf(BinaryCrossentropy);
    expect(copy.getConfig()).toEqual(loss.getConfig());
    expect(SparseCategoricalCrossentropy.fromConfig({ ignoreClass: 3 }).ignoreClass).toBe(3);
  });

  it.each([
    'mse',
    'mae',
    'mape',
    'msle',
    'huber',
    'log_cosh',
    'binary_crossentropy',
    'categorical_crossentropy',
    'sparse_categorical_crossentropy',
    'kl_divergence',
    'poisson',
    'hinge',
    'squared_hinge',
    'categorical_hinge',
    'cosine_similarity',
  ])('%s round-trips through serializeLoss / deserializeLoss', (name) => {
    const loss = getLoss(name);
    const copy = deserializeLoss(JSON.parse(JSON.stringify(serializeLoss(loss))));
    expect(copy.constructor).toBe(loss.constructor);
    expect(copy.getConfig()).toEqual(loss.getConfig());
  });

  it('names an unknown loss', () => {
    expect(() => getLoss('msee')).toThrow(TensileError);
    expect(() => getLoss('msee')).toThrow(/Unknown loss.*Received: loss=msee/);
  });
});
