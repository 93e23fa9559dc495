import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  abs,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  hinge,
  huber,
  klDivergence,
  kullbackLeiblerDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
  sum,
  tensor,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

const f64 = (values: number[][] | number[]): Tensor => tensor(values, { dtype: 'float64' });

/** The gradient of sum(loss(yTrue, yPred)) with respect to yPred. */
function gradPred(loss: (t: Tensor, p: Tensor) => Tensor, yTrue: Tensor, yPred: Tensor): Tensor {
  const leaf = tensor(Float64Array.from(yPred.values), { shape: yPred.shape, requiresGrad: true });
  sum(loss(yTrue, leaf)).backward();
  return leaf.grad!;
}

// All references below come from PyTorch 1.13 in float64 (torch.nn.functional where it has the
// loss, else the Keras 3 formula written in torch ops), gradients by torch.autograd of the sum,
// printed with repr. ε = 1e-7 clipping is applied in torch exactly where Keras applies it.
const YT = f64([
  [0.5, -1, 2],
  [1.5, 0, -0.25],
]);
const YP = f64([
  [0.1, -0.2, 3.5],
  [1, 2.5, -0.3],
]);

const REGRESSION: {
  name: string;
  f: (t: Tensor, p: Tensor) => Tensor;
  y: number[];
  dy: number[];
}[] = [
  {
    name: 'meanSquaredError (F.mse_loss)',
    f: meanSquaredError,
    y: [1.0166666666666668, 2.1675],
    dy: [
      -0.26666666666666666, 0.5333333333333333, 1, -0.3333333333333333, 1.6666666666666665,
      -0.033333333333333326,
    ],
  },
  {
    name: 'meanAbsoluteError (F.l1_loss)',
    f: meanAbsoluteError,
    y: [0.9, 1.0166666666666666],
    dy: [-1 / 3, 1 / 3, 1 / 3, -1 / 3, 1 / 3, -1 / 3],
  },
  {
    name: 'huber, delta 1 (F.huber_loss)',
    f: (t, p) => huber(t, p),
    y: [0.46666666666666673, 0.7087500000000001],
    dy: [
      -0.13333333333333333, 0.26666666666666666, 0.3333333333333333, -0.16666666666666666,
      0.3333333333333333, -0.016666666666666663,
    ],
  },
  {
    name: 'huber, delta 0.5',
    f: (t, p) => huber(t, p, { delta: 0.5 }),
    y: [0.32666666666666666, 0.4170833333333333],
    dy: [
      -0.13333333333333333, 0.16666666666666666, 0.16666666666666666, -0.16666666666666666,
      0.16666666666666666, -0.016666666666666663,
    ],
  },
  {
    name: 'logCosh',
    f: logCosh,
    y: [0.4080490722433409, 0.6449773848003585],
    dy: [
      -0.12664965408507495, 0.22134559008928298, 0.3017160845482888, -0.15403905242000326,
      0.3288714327171435, -0.01665279165262665,
    ],
  },
  {
    name: 'meanAbsolutePercentageError (yTrue 0 divides by ε)',
    f: meanAbsolutePercentageError,
    y: [78.33333333333333, 833333351.1111112],
    dy: [
      -66.66666666666666, 33.33333333333333, 16.666666666666664, -22.222222222222218,
      333333333.3333333, -133.33333333333331,
    ],
  },
  {
    name: 'meanSquaredLogarithmicError (negatives raised to ε)',
    f: meanSquaredLogarithmicError,
    y: [0.0868660111481084, 0.5397359497246242],
    dy: [
      -0.18797268382050872, 0, 0.060068904904913234, -0.07438118377140326, 0.23862149876102343, 0,
    ],
  },
  {
    name: 'cosineSimilarity (−F.cosine_similarity)',
    f: (t, p) => cosineSimilarity(t, p),
    y: [-0.9022061831437568, -0.3822888729541633],
    dy: [
      -0.05488610645982485, 0.1097722129196497, 0.007840872351403516, -0.3120016881901761,
      0.13020738179637711, 0.04505588766922257,
    ],
  },
];

describe('regression losses', () => {
  for (const c of REGRESSION) {
    it(`${c.name}: per-sample values and gradients match torch`, () => {
      expectClose(c.f(YT, YP), c.y, 1e-10);
      expectClose(gradPred(c.f, YT, YP), c.dy, 1e-9);
    });
  }

  it('poisson: mean(yPred − yTrue·log(yPred + ε))', () => {
    expectClose(poisson(abs(YT), abs(YP)), [1.3517344882659685, 1.3669976559160573], 1e-10);
  });

  it('line up [N] labels with [N,1] predictions as Keras does, giving one loss per sample', () => {
    const yt = f64([1, 2, 3]);
    const yp = tensor([[1.5], [2], [2]], { dtype: 'float64' });
    expect(meanSquaredError(yt, yp).shape).toEqual([3]);
    expectClose(meanSquaredError(yt, yp), [0.25, 0, 1]);
    expectClose(meanSquaredError(yp, yt), [0.25, 0, 1]);
    // [N,1] against [N,K] broadcasts; rank-3 [N,K,1] against [N,K] squeezes.
    const y3 = tensor(Float64Array.from([1, 2, 3, 4]), { shape: [2, 2, 1] });
    const p2 = f64([
      [1, 1],
      [1, 1],
    ]);
    expectClose(meanAbsoluteError(y3, p2), [0.5, 2.5]);
  });

  it('cosineSimilarity is 0 for a zero vector, with a finite gradient', () => {
    const yt = f64([
      [0, 0],
      [1, 1],
      [1, 1],
    ]);
    const yp = f64([
      [1, 0],
      [1, 1],
      [-1, -1],
    ]);
    // Keras' docstring example: [-0., -0.99999994, 0.99999994] in float32.
    expectClose(cosineSimilarity(yt, yp), [0, -1, 1], 1e-12);
    const g = gradPred((t, p) => cosineSimilarity(t, p), yp, yt);
    expect(Array.from(g.values).every(Number.isFinite)).toBe(true);
    expectClose(cosineSimilarity(f64([[1, 2]]), f64([[3, 4]]), { axis: 0 }), [-1, -1], 1e-12);
  });
});

describe('divergence and hinge losses', () => {
  it('kullbackLeiblerDivergence clips both sides to [ε, 1]; klDivergence is the same function', () => {
    const t = f64([
      [0.2, 0.8, 0],
      [0.5, 0.25, 0.25],
    ]);
    const p = f64([
      [0.3, 0.6, 0.1],
      [0, 0.5, 0.5],
    ]);
    expect(klDivergence).toBe(kullbackLeiblerDivergence);
    expectClose(kullbackLeiblerDivergence(t, p), [0.14905125478873618, 7.365900644919216], 1e-10);
    expectClose(
      gradPred(kullbackLeiblerDivergence, t, p),
      [-0.6666666666666669, -1.3333333333333337, -1e-6, 0, -0.5, -0.5],
      1e-9,
    );
  });

  it('hinge converts {0,1} labels to {−1,1}; other labels pass unchanged', () => {
    const t01 = f64([
      [0, 1, 1],
      [1, 0, 0],
    ]);
    const tpm = f64([
      [-1, 1, 1],
      [1, -1, -1],
    ]);
    const p = f64([
      [0.3, 2, -0.5],
      [0.25, -1.5, 0.6],
    ]);
    expectClose(hinge(t01, p), [0.9333333333333332, 0.7833333333333333], 1e-12);
    expectClose(hinge(tpm, p), [0.9333333333333332, 0.7833333333333333], 1e-12);
    expectClose(gradPred(hinge, t01, p), [1 / 3, 0, -1 / 3, -1 / 3, 0, 1 / 3], 1e-12);
    expectClose(squaredHinge(t01, p), [1.3133333333333335, 1.0408333333333335], 1e-12);
    expectClose(
      gradPred(squaredHinge, t01, p),
      [0.8666666666666667, 0, -1, -0.5, 0, 1.0666666666666667],
      1e-12,
    );
    expectClose(categoricalHinge(t01, p), [0, 1.35], 1e-12);
  });

  it('hinge at the margin sends the gradient through, as maximum does for ties', () => {
    // 1 − y·p = 0 exactly: maximum(0, 0) gives its gradient to the first argument.
    expectClose(gradPred(hinge, f64([[1]]), f64([[1]])), [-1]);
  });
});

describe('loss gradients (float64 gradcheck)', () => {
  const cases: [string, (t: Tensor, p: Tensor) => Tensor, boolean][] = [
    ['meanSquaredError', meanSquaredError, false],
    ['meanAbsoluteError', meanAbsoluteError, false],
    ['huber', (t, p) => huber(t, p, { delta: 0.3 }), false],
    ['logCosh', logCosh, false],
    ['cosineSimilarity', (t, p) => cosineSimilarity(t, p), false],
    ['binaryCrossentropy', binaryCrossentropy, true],
    [
      'binaryCrossentropy logits',
      (t, p) => binaryCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.1 }),
      false,
    ],
    [
      'categoricalCrossentropy',
      (t, p) => categoricalCrossentropy(t, p, { labelSmoothing: 0.1 }),
      true,
    ],
    [
      'categoricalCrossentropy logits',
      (t, p) => categoricalCrossentropy(t, p, { fromLogits: true }),
      false,
    ],
    ['kullbackLeiblerDivergence', kullbackLeiblerDivergence, true],
    [
      'binaryFocalCrossentropy',
      (t, p) => binaryFocalCrossentropy(t, p, { applyClassBalancing: true }),
      true,
    ],
    [
      'categoricalFocalCrossentropy',
      (t, p) => categoricalFocalCrossentropy(t, p, { fromLogits: true }),
      false,
    ],
    ['poisson', poisson, true],
    ['hinge', hinge, false],
    ['squaredHinge', squaredHinge, false],
  ];
  for (const [name, f, probabilities] of cases) {
    it(`${name}: in both arguments, on [4,3], [3], [1,1] and an empty batch [0,3]`, () => {
      for (const shape of [[4, 3], [3], [1, 1], [0, 3]]) {
        const lo = probabilities ? 0.05 : -2;
        const hi = probabilities ? 0.95 : 2;
        const t = rand64(shape, 5, lo, hi);
        const p = rand64(shape, 6, lo, hi);
        gradcheck(f, [t, p]);
      }
    });
  }

  it('sparseCategoricalCrossentropy in yPred, from logits and from probabilities', () => {
    const labels = tensor(
      [
        [2, 0],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    const x = rand64([2, 2, 3], 8, 0.05, 0.95);
    gradcheck((p) => sparseCategoricalCrossentropy(labels, p), [x]);
    gradcheck((p) => sparseCategoricalCrossentropy(labels, p, { fromLogits: true }), [x]);
  });
});

describe('loss argument checks', () => {
  it('name the loss and both shapes when they cannot be broadcast', () => {
    try {
      meanSquaredError(f64([[1, 2, 3]]), f64([[1, 2]]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('shape_mismatch');
      expect((e as Error).message).toMatch(/^meanSquaredError: shapes \[1,3\] and \[1,2\]/);
    }
  });

  it('reject labelSmoothing outside [0, 1] and a negative delta', () => {
    expect(() => binaryCrossentropy(f64([1]), f64([0.5]), { labelSmoothing: 2 })).toThrow(
      /binaryCrossentropy: labelSmoothing must be in \[0, 1\]. Received: labelSmoothing=2/,
    );
    expect(() => huber(f64([1]), f64([0.5]), { delta: -1 })).toThrow(/delta=-1/);
    expect(() => binaryCrossentropy(f64([1]), f64([0.5]), { axis: 2 })).toThrow(
      /binaryCrossentropy: axis out of range for a tensor of rank 1. Received: axis=2/,
    );
  });

  it('compute integer predictions in float32 and cast labels to the prediction dtype', () => {
    const loss = meanSquaredError(
      tensor([1, 2], { dtype: 'int32' }),
      tensor([2, 2], { dtype: 'int32' }),
    );
    expect(loss.dtype).toBe('float32');
    expectClose(loss, [0.5]);
    expect(meanSquaredError(tensor([1, 2]), f64([1, 2])).dtype).toBe('float64');
  });
});
