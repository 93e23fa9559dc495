import { describe, expect, it } from 'vitest';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  F1Score,
  Mean,
  MeanIoU,
  type Metric,
  Precision,
  R2Score,
  RootMeanSquaredError,
  SparseCategoricalAccuracy,
  TensileError,
  TopKCategoricalAccuracy,
  deserializeMetric,
  getMetric,
  metrics,
  serializeMetric,
  tensor,
} from '../../src/index.js';

const className = (m: Metric): string => (m.constructor as typeof Mean).className;

describe('getMetric', () => {
  it.each([
    ['sparse_categorical_crossentropy', SparseCategoricalAccuracy],
    ['sparseCategoricalCrossentropy', SparseCategoricalAccuracy],
    ['SparseCategoricalCrossentropy', SparseCategoricalAccuracy],
    ['categorical_crossentropy', CategoricalAccuracy],
    ['binary_crossentropy', BinaryAccuracy],
  ])("resolves 'accuracy' from the loss %s", (lossName, cls) => {
    const m = getMetric('accuracy', { lossName });
    expect(m).toBeInstanceOf(cls);
    expect(m.name).toBe('accuracy');
    expect(getMetric('acc', { lossName }).name).toBe('acc');
  });

  it("resolves 'accuracy' from the shapes when the loss does not say", () => {
    expect(getMetric('accuracy', { lossName: 'mse', outputShape: [null, 1] })).toBeInstanceOf(
      BinaryAccuracy,
    );
    expect(getMetric('accuracy', { outputShape: [null, 10], targetShape: [null] })).toBeInstanceOf(
      SparseCategoricalAccuracy,
    );
    expect(
      getMetric('accuracy', { outputShape: [null, 10], targetShape: [null, 1] }),
    ).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(getMetric('accuracy', { outputShape: [null, 10] })).toBeInstanceOf(CategoricalAccuracy);
    expect(getMetric('accuracy')).toBeInstanceOf(Accuracy);
  });

  it.each([
    ['mse', 'MeanSquaredError'],
    ['mean_squared_error', 'MeanSquaredError'],
    ['mae', 'MeanAbsoluteError'],
    ['rmse', 'RootMeanSquaredError'],
    ['auc', 'AUC'],
    ['AUC', 'AUC'],
    ['precision', 'Precision'],
    ['recall', 'Recall'],
    ['f1_score', 'F1Score'],
    ['top_k_categorical_accuracy', 'TopKCategoricalAccuracy'],
    ['sparseTopKCategoricalAccuracy', 'SparseTopKCategoricalAccuracy'],
    ['binary_accuracy', 'BinaryAccuracy'],
    ['cosine_similarity', 'CosineSimilarity'],
    ['r2_score', 'R2Score'],
  ])('%s → %s, named as written', (name, cls) => {
    const m = getMetric(name);
    expect(className(m)).toBe(cls);
    expect(m.name).toBe(name);
  });

  it('turns loss names into running means of the loss, without recording a graph', () => {
    const m = getMetric('binary_crossentropy');
    const yPred = tensor(
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    m.updateState(
      tensor(
        [
          [0, 1],
          [0, 0],
        ],
        { dtype: 'float64' },
      ),
      yPred,
    );
    // Per-sample BCE [0.91629, 0.71356] (see test/losses), mean 0.814924.
    expect(m.result()).toBeCloseTo(0.814924454847114, 12);
    expect(m.direction).toBe('down');
    expect(yPred.grad).toBeNull();
  });

  it('wraps functions and returns instances as they are', () => {
    const auc = new AUC();
    expect(getMetric(auc)).toBe(auc);
    const m = getMetric(function firstColumn(_yt, yp) {
      return tensor([yp.values[0]!, yp.values[2]!]);
    });
    m.updateState(
      tensor([
        [0, 0],
        [0, 0],
      ]),
      tensor([
        [1, 0],
        [3, 0],
      ]),
    );
    expect(m.name).toBe('firstColumn');
    expect(m.result()).toBe(2);
  });

  it('explains unknown names and MeanIoU without numClasses', () => {
    expect(() => getMetric('acuracy')).toThrow(TensileError);
    expect(() => getMetric('acuracy')).toThrow(/Unknown metric.*Received: metric=acuracy/);
    expect(() => getMetric('mean_iou')).toThrow(/needs numClasses/);
  });

  it('exposes Keras class names under the metrics namespace', () => {
    expect(new metrics.MeanSquaredError().name).toBe('mean_squared_error');
    expect(new metrics.MeanAbsoluteError().direction).toBe('down');
  });
});

describe('metric configs', () => {
  it.each([
    new Mean({ name: 'loss' }),
    new BinaryAccuracy({ threshold: 0.3 }),
    new TopKCategoricalAccuracy({ k: 3, name: 'top3' }),
    new RootMeanSquaredError(),
    new AUC({ numThresholds: 50, curve: 'PR', summationMethod: 'minoring' }),
    new AUC({ thresholds: [0.2, 0.5, 0.9] }),
    new Precision({ topK: 2, classId: 1 }),
    new F1Score({ average: 'weighted', threshold: 0.4 }),
    new MeanIoU({ numClasses: 4, ignoreClass: 0 }),
    new R2Score({ classAggregation: 'variance_weighted_average', numRegressors: 2 }),
  ])('%# round-trips through serializeMetric / deserializeMetric', (metric) => {
    const copy = deserializeMetric(JSON.parse(JSON.stringify(serializeMetric(metric))));
    expect(copy.constructor).toBe(metric.constructor);
    expect(copy.getConfig()).toEqual(metric.getConfig());
  });

  it('keeps the direction Keras gives each metric', () => {
    expect(new Accuracy().direction).toBe('up');
    expect(new AUC().direction).toBe('up');
    expect(new RootMeanSquaredError().direction).toBe('down');
    expect(new Mean().direction).toBeNull();
  });
});
