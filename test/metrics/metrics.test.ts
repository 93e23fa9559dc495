import { describe, expect, it } from 'vitest';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  CosineSimilarityMetric,
  F1Score,
  Mean,
  MeanAbsoluteErrorMetric,
  MeanIoU,
  MeanSquaredErrorMetric,
  R2Score,
  Precision,
  Recall,
  RootMeanSquaredError,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  type NestedArray,
  tensor,
} from '../../src/index.js';

const t = (values: NestedArray) => tensor(values, { dtype: 'float64' });
const labels = (values: NestedArray) => tensor(values, { dtype: 'int32' });

// Values are Keras 3 docstring examples or worked by hand, as each comment says.
describe('Mean', () => {
  it('keeps a running, weighted mean across calls (Keras docstring: 4, then 2)', () => {
    const m = new Mean();
    m.updateState(t([1, 3, 5, 7]));
    expect(m.result()).toBe(4);
    // A scalar batch loss weighted by the batch size, as fit reports the loss: (16 + 2.5·4) / 8.
    m.updateState(2.5, 4);
    expect(m.result()).toBe(3.25);
    m.resetState();
    expect(m.result()).toBe(0);
    m.updateState(t([1, 3, 5, 7]), t([1, 1, 0, 0]));
    expect(m.result()).toBe(2);
  });

  it('averages each sample over its trailing axes before weighting', () => {
    // Rows [1, 3] and [5, 7] have means 2 and 6; weights 3 and 1 → (6 + 6) / 4.
    const m = new Mean();
    m.updateState(
      t([
        [1, 3],
        [5, 7],
      ]),
      t([3, 1]),
    );
    expect(m.result()).toBe(3);
  });
});

describe('accuracies', () => {
  it('Accuracy: 3/4, then 1 of 2 more → 4/6; weighted 0.5 after reset', () => {
    const m = new Accuracy();
    m.updateState(t([[1], [2], [3], [4]]), t([[0], [2], [3], [4]]));
    expect(m.result()).toBe(0.75);
    m.updateState(t([[1], [2]]), t([[1], [0]]));
    expect(m.result()).toBeCloseTo(4 / 6, 15);
    m.resetState();
    m.updateState(t([[1], [2], [3], [4]]), t([[0], [2], [3], [4]]), t([1, 1, 0, 0]));
    expect(m.result()).toBe(0.5);
  });

  it('BinaryAccuracy thresholds at 0.5 (Keras docstring: 0.75, weighted 0.5)', () => {
    const m = new BinaryAccuracy();
    const yt = t([[1], [1], [0], [0]]);
    const yp = t([[0.98], [1], [0], [0.6]]);
    m.updateState(yt, yp);
    expect(m.result()).toBe(0.75);
    m.updateState(t([[1]]), t([[0.2]]));
    expect(m.result()).toBe(0.6);
    m.resetState();
    m.updateState(yt, yp, t([1, 0, 0, 1]));
    expect(m.result()).toBe(0.5);
    // At 0.7, the 0.6 prediction becomes 0 and every label matches.
    const strict = new BinaryAccuracy({ threshold: 0.7 });
    strict.updateState(yt, yp);
    expect(strict.result()).toBe(1);
  });

  const probs = t([
    [0.1, 0.9, 0.8],
    [0.05, 0.95, 0],
  ]);

  it('CategoricalAccuracy (Keras docstring: 0.5, weighted 0.3)', () => {
    const m = new CategoricalAccuracy();
    const onehot = t([
      [0, 0, 1],
      [0, 1, 0],
    ]);
    m.updateState(onehot, probs);
    expect(m.result()).toBe(0.5);
    m.updateState(t([[1, 0, 0]]), t([[0.5, 0.2, 0.3]]));
    expect(m.result()).toBeCloseTo(2 / 3, 15);
    m.resetState();
    m.updateState(onehot, probs, t([0.7, 0.3]));
    expect(m.result()).toBeCloseTo(0.3, 15);
  });

  it('SparseCategoricalAccuracy takes labels [N] or [N, 1] (Keras docstring: 0.5, 0.3)', () => {
    const m = new SparseCategoricalAccuracy();
    m.updateState(labels([[2], [1]]), probs);
    expect(m.result()).toBe(0.5);
    m.updateState(labels([1, 1]), probs); // argmax is 1 in both rows: 3 of 4 so far
    expect(m.result()).toBe(0.75);
    m.resetState();
    m.updateState(labels([2, 1]), probs, t([0.7, 0.3]));
    expect(m.result()).toBeCloseTo(0.3, 15);
  });

  it('top-k accuracies (Keras docstring with k=1: 0.5, weighted 0.3; k=2 by hand: 1)', () => {
    const dense = new TopKCategoricalAccuracy({ k: 1 });
    dense.updateState(
      t([
        [0, 0, 1],
        [0, 1, 0],
      ]),
      probs,
    );
    expect(dense.result()).toBe(0.5);
    dense.updateState(t([[0, 0, 1]]), t([[0.1, 0.2, 0.7]])); // a hit: 2 of 3
    expect(dense.result()).toBeCloseTo(2 / 3, 15);
    dense.resetState();
    expect(dense.result()).toBe(0);
    const sparse = new SparseTopKCategoricalAccuracy({ k: 1 });
    sparse.updateState(labels([2, 1]), probs, t([0.7, 0.3]));
    expect(sparse.result()).toBeCloseTo(0.3, 15);
    const two = new SparseTopKCategoricalAccuracy({ k: 2 });
    two.updateState(labels([2, 1]), probs);
    expect(two.result()).toBe(1);
    // A target tied at the boundary counts as in the top k, as TensorFlow's in_top_k.
    two.resetState();
    two.updateState(labels([2]), t([[0.5, 0.5, 0.5]]));
    expect(two.result()).toBe(1);
    expect(new TopKCategoricalAccuracy().k).toBe(5);
  });
});

describe('regression metrics', () => {
  const yt = t([
    [0, 1],
    [0, 0],
  ]);
  const yp = t([
    [1, 1],
    [0, 0],
  ]);

  it('MSE and MAE: per-sample [0.5, 0] → 0.25; weighted [1, 0] → 0.5', () => {
    for (const m of [new MeanSquaredErrorMetric(), new MeanAbsoluteErrorMetric()]) {
      m.updateState(yt, yp);
      expect(m.result()).toBe(0.25);
      m.updateState(t([[2, 2]]), t([[0, 0]])); // squared 4 (MSE) or absolute 2 (MAE)
      expect(m.result()).toBe(m instanceof MeanSquaredErrorMetric ? 4.5 / 3 : 2.5 / 3);
      m.resetState();
      m.updateState(yt, yp, t([1, 0]));
      expect(m.result()).toBe(0.5);
    }
  });

  it('RootMeanSquaredError (Keras docstring: 0.5, weighted 0.70711)', () => {
    const m = new RootMeanSquaredError();
    m.updateState(yt, yp);
    expect(m.result()).toBe(0.5);
    // A third sample with squared errors [4, 4]: √((0.5 + 0 + 4) / 3) = √1.5.
    m.updateState(t([[2, 2]]), t([[0, 0]]));
    expect(m.result()).toBeCloseTo(Math.sqrt(1.5), 15);
    m.resetState();
    m.updateState(yt, yp, t([1, 0]));
    expect(m.result()).toBeCloseTo(Math.SQRT1_2, 15);
  });
});

describe('CosineSimilarityMetric', () => {
  it('averages the cosine similarity of the rows (Keras docstring: 0.5, weighted 0.3)', () => {
    // Rows: [0,1]·[1,0] → 0; [1,1]·[1,1] → 1.
    const m = new CosineSimilarityMetric();
    m.updateState(
      t([
        [0, 1],
        [1, 1],
      ]),
      t([
        [1, 0],
        [1, 1],
      ]),
    );
    expect(m.result()).toBeCloseTo(0.5, 12);
    m.resetState();
    m.updateState(
      t([
        [0, 1],
        [1, 1],
      ]),
      t([
        [1, 0],
        [1, 1],
      ]),
      t([0.3, 0.7]),
    );
    expect(m.result()).toBeCloseTo(0.7, 12);
    expect(m.direction).toBe('up');
  });
});

describe('AUC', () => {
  it('matches the Keras docstring with 3 thresholds: 0.75, weighted 1', () => {
    const m = new AUC({ numThresholds: 3 });
    expect(m.thresholdValues).toEqual([-1e-7, 0.5, 1 + 1e-7]);
    m.updateState(t([0, 0, 1, 1]), t([0, 0.5, 0.3, 0.9]));
    expect(m.result()).toBeCloseTo(0.75, 15);
    m.resetState();
    m.updateState(t([0, 0, 1, 1]), t([0, 0.5, 0.3, 0.9]), t([1, 0, 0, 1]));
    expect(m.result()).toBeCloseTo(1, 15);
  });

  it('with 200 thresholds equals the exact ROC AUC when scores fall in separate buckets', () => {
    // Positives {0.35, 0.8, 0.4} vs negatives {0.1, 0.4, 0.7}: pairs ranked right 1 + 3 + 1,
    // the tie 0.4/0.4 counts ½ → 5.5/9. The first two calls alone: 3/4.
    const m = new AUC();
    m.updateState(t([0, 0]), t([0.1, 0.4]));
    m.updateState(t([1, 1]), t([0.35, 0.8]));
    expect(m.result()).toBeCloseTo(0.75, 12);
    m.updateState(t([1, 0]), t([0.4, 0.7]));
    expect(m.result()).toBeCloseTo(5.5 / 9, 12);
    m.resetState();
    expect(m.result()).toBe(0);
  });

  it("PR curve with Keras' interpolation (reference: auc_reference.py)", () => {
    const small = new AUC({ numThresholds: 3, curve: 'PR' });
    small.updateState(t([0, 0, 1, 1]), t([0, 0.5, 0.3, 0.9]));
    expect(small.result()).toBeCloseTo(0.8206993734577657, 12);
    const m = new AUC({ curve: 'PR' });
    m.updateState(t([0, 0, 1, 1, 1, 0]), t([0.1, 0.4, 0.35, 0.8, 0.4, 0.7]));
    expect(m.result()).toBeCloseTo(0.6845709657905268, 12);
  });

  it('says multi-label AUC is not supported yet', () => {
    expect(() => new AUC({ multiLabel: true } as never)).toThrow(
      expect.objectContaining({
        code: 'not_supported',
        message: expect.stringMatching(/multiLabel/),
      }),
    );
  });

  it('applies a sigmoid with fromLogits', () => {
    const m = new AUC({ fromLogits: true });
    m.updateState(t([0, 1]), t([-2, 3]));
    expect(m.result()).toBeCloseTo(1, 12);
  });
});

describe('Precision and Recall', () => {
  it('count at threshold 0.5 (Keras docstrings: 2/3, weighted 1)', () => {
    const p = new Precision();
    const r = new Recall();
    for (const m of [p, r]) m.updateState(t([0, 1, 1, 1]), t([1, 0, 1, 1]));
    expect(p.result()).toBeCloseTo(2 / 3, 15);
    expect(r.result()).toBeCloseTo(2 / 3, 15);
    // One more false negative: precision unchanged, recall 2/4.
    for (const m of [p, r]) m.updateState(t([1]), t([0.2]));
    expect(p.result()).toBeCloseTo(2 / 3, 15);
    expect(r.result()).toBe(0.5);
    for (const m of [p, r]) {
      m.resetState();
      m.updateState(t([0, 1, 1, 1]), t([1, 0, 1, 1]), t([0, 0, 1, 0]));
      expect(m.result()).toBe(1);
    }
  });

  it('topK keeps only the k largest predictions of each row', () => {
    // Top 2 of [0.9, 0.8, 0.7, 0.1] are classes 0 and 1, both negative: precision 0.
    const two = new Precision({ topK: 2 });
    two.updateState(t([[0, 0, 1, 1]]), t([[0.9, 0.8, 0.7, 0.1]]));
    expect(two.result()).toBe(0);
    const three = new Precision({ topK: 3 });
    three.updateState(t([[0, 0, 1, 1]]), t([[0.9, 0.8, 0.7, 0.1]]));
    expect(three.result()).toBeCloseTo(1 / 3, 15);
  });

  it('takes one threshold, and says lists are not supported yet', () => {
    const strict = new Precision({ thresholds: 0.95 });
    strict.updateState(t([0, 1, 1, 1]), t([1, 0, 0.96, 0.9]));
    expect(strict.result()).toBe(0.5);
    expect(() => new Recall({ thresholds: [0.3, 0.7] as never })).toThrow(
      expect.objectContaining({ code: 'not_supported' }),
    );
  });

  it('classId looks at one column', () => {
    // Column 0: labels [1, 0, 1], predictions [0.7, 0.6, 0.2] → TP 1, FP 1, FN 1.
    const yt = t([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const yp = t([
      [0.7, 0.3],
      [0.6, 0.4],
      [0.2, 0.8],
    ]);
    const p = new Precision({ classId: 0 });
    const r = new Recall({ classId: 0 });
    p.updateState(yt, yp);
    r.updateState(yt, yp);
    expect(p.result()).toBe(0.5);
    expect(r.result()).toBe(0.5);
  });
});

describe('F1Score', () => {
  // Keras docstring (threshold 0.5): per class [0.5, 0.8, 0.6667]. By hand: class 0 has TP 1,
  // FN 2 (P 1, R 1/3); class 1 TP 2, FP 1 (P 2/3, R 1); class 2 TP 1, FP 1 (P 1/2, R 1).
  const yt = t([
    [1, 1, 1],
    [1, 0, 0],
    [1, 1, 0],
  ]);
  const yp = t([
    [0.2, 0.6, 0.7],
    [0.2, 0.6, 0.6],
    [0.6, 0.8, 0.0],
  ]);

  it('per class and macro, over two calls', () => {
    const m = new F1Score({ threshold: 0.5 });
    m.updateState(
      t([
        [1, 1, 1],
        [1, 0, 0],
      ]),
      t([
        [0.2, 0.6, 0.7],
        [0.2, 0.6, 0.6],
      ]),
    );
    m.updateState(t([[1, 1, 0]]), t([[0.6, 0.8, 0.0]]));
    const perClass = m.classResults();
    [0.5, 0.8, 2 / 3].forEach((f, c) => expect(perClass[c]).toBeCloseTo(f, 6));
    expect(m.result()).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 6);
    m.resetState();
    expect(m.result()).toBe(0);
  });

  it('micro (TP 4, FP 2, FN 2 → 2/3) and weighted by support [3, 2, 1]', () => {
    const micro = new F1Score({ threshold: 0.5, average: 'micro' });
    micro.updateState(yt, yp);
    expect(micro.result()).toBeCloseTo(2 / 3, 6);
    const weighted = new F1Score({ threshold: 0.5, average: 'weighted' });
    weighted.updateState(yt, yp);
    expect(weighted.result()).toBeCloseTo((0.5 * 3 + 0.8 * 2 + (2 / 3) * 1) / 6, 6);
  });

  it('without a threshold, the row maximum is the prediction', () => {
    // Predictions become classes [2, 1] (argmax); truths [2, 0] → class 2 F1 = 1, others 0.
    const m = new F1Score();
    m.updateState(
      t([
        [0, 0, 1],
        [1, 0, 0],
      ]),
      t([
        [0.1, 0.2, 0.7],
        [0.3, 0.6, 0.1],
      ]),
    );
    const perClass = m.classResults();
    [0, 0, 1].forEach((f, c) => expect(perClass[c]).toBeCloseTo(f, 6));
  });
});

describe('R2Score', () => {
  it('Keras docstring: 4/7, also over two calls; weighted by hand: 0', () => {
    // ȳ = 8/3, Σ(y − ȳ)² = 14/3, Σ(y − ŷ)² = 2 → 1 − 3/7.
    const m = new R2Score();
    m.updateState(t([[1], [4]]), t([[2], [4]]));
    m.updateState(t([[3]]), t([[4]]));
    expect(m.result()).toBeCloseTo(4 / 7, 14);
    m.resetState();
    expect(m.result()).toBe(0);
    // Weights [1, 0, 1] keep y = [1, 3], ŷ = [2, 4]: Σ(y − ȳ)² = 2 = Σ(y − ŷ)².
    m.updateState(t([[1], [4], [3]]), t([[2], [4], [4]]), t([1, 0, 1]));
    expect(m.result()).toBeCloseTo(0, 14);
  });

  it('aggregates outputs uniformly or by variance, and adjusts for regressors', () => {
    // Column 0: R² 1 − 1/2; column 1: totals 6, residual 1 → 5/6.
    const yt = t([
      [1, 0],
      [2, 0],
      [3, 3],
    ]);
    const yp = t([
      [1, 0],
      [2, 1],
      [4, 3],
    ]);
    const uniform = new R2Score();
    uniform.updateState(yt, yp);
    expect(uniform.classResults().map((x) => Number(x.toFixed(12)))).toEqual([0.5, 0.833333333333]);
    expect(uniform.result()).toBeCloseTo((0.5 + 5 / 6) / 2, 14);
    const weighted = new R2Score({ classAggregation: 'variance_weighted_average' });
    weighted.updateState(yt, yp);
    expect(weighted.result()).toBeCloseTo((2 * 0.5 + 6 * (5 / 6)) / 8, 14);
    // Adjusted with n = 3 samples, p = 1: 1 − (1 − 4/7)·2/1 = 1/7.
    const adjusted = new R2Score({ numRegressors: 1 });
    adjusted.updateState(t([[1], [4], [3]]), t([[2], [4], [4]]));
    expect(adjusted.result()).toBeCloseTo(1 / 7, 14);
  });
});

describe('MeanIoU', () => {
  it('on a 2-class confusion matrix (Keras docstring: 1/3, weighted 0.238095)', () => {
    // cm = [[1, 1], [1, 1]]: IoU of each class = 1 / (2 + 2 − 1).
    const m = new MeanIoU({ numClasses: 2 });
    m.updateState(labels([0, 0]), labels([0, 1]));
    m.updateState(labels([1, 1]), labels([0, 1]));
    expect(m.confusionMatrix()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(m.result()).toBeCloseTo(1 / 3, 15);
    m.resetState();
    // cm = [[0.3, 0.3], [0.3, 0.1]]: IoU 0.3/0.9 and 0.1/0.7.
    m.updateState(labels([0, 0, 1, 1]), labels([0, 1, 0, 1]), t([0.3, 0.3, 0.3, 0.1]));
    expect(m.result()).toBeCloseTo((0.3 / 0.9 + 0.1 / 0.7) / 2, 15);
  });

  it('takes scores with sparseYPred: false, and skips classes never seen', () => {
    const m = new MeanIoU({ numClasses: 3, sparseYPred: false });
    m.updateState(
      labels([0, 1]),
      t([
        [0.9, 0.1, 0],
        [0.2, 0.7, 0.1],
      ]),
    );
    expect(m.result()).toBe(1);
  });

  it("one-hot inputs (Keras' OneHotMeanIoU docstring: 0.048)", () => {
    // cm = [[0, 0, 0.6], [0.3, 0, 0], [0, 0, 0.1]]; IoUs 0, 0 and 0.1/0.7, all three counted.
    const m = new MeanIoU({ numClasses: 3, sparseYTrue: false, sparseYPred: false });
    m.updateState(
      t([
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [1, 0, 0],
      ]),
      t([
        [0.2, 0.3, 0.5],
        [0.1, 0.2, 0.7],
        [0.5, 0.3, 0.1],
        [0.1, 0.4, 0.5],
      ]),
      t([0.1, 0.2, 0.3, 0.4]),
    );
    expect(m.result()).toBeCloseTo(0.1 / 0.7 / 3, 15);
    expect(m.name).toBe('mean_io_u');
  });

  it('names out-of-range labels', () => {
    const m = new MeanIoU({ numClasses: 2 });
    expect(() => m.updateState(labels([0, 2]), labels([0, 1]))).toThrow(
      /class indices must be in \[0, 1\]. Received: yTrue=2/,
    );
  });
});
