import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  sparseCategoricalCrossentropy,
  sum,
  tensor,
} from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';

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

describe('binaryCrossentropy', () => {
  const z = f64([
    [0, 1, 1],
    [1, 0, 0],
  ]);

  it('clips probabilities to [ε, 1 − ε] and averages over the last axis', () => {
    const p = f64([
      [0.2, 0.9, 1],
      [0.6, 0, 0.35],
    ]);
    expectClose(binaryCrossentropy(z, p), [0.1095013889906803, 0.3138695466194833], 1e-9);
    expectClose(
      binaryCrossentropy(z, p, { labelSmoothing: 0.2 }),
      [0.7662218719887063, 0.8852895422019068],
      1e-9,
    );
    const q = f64([
      [0.2, 0.9, 0.5],
      [0.6, 0.01, 0.35],
    ]);
    expectClose(binaryCrossentropy(z, q), [0.34055041584399376, 0.31721962523731545], 1e-10);
    expectClose(
      gradPred(binaryCrossentropy, z, q),
      [
        0.4166666666666666, -0.37037037037037035, -0.6666666666666666, -0.5555555555555556,
        0.33670033670033667, 0.5128205128205128,
      ],
      1e-9,
    );
  });

  it('from logits is stable at ±1e4 and has gradient sigmoid(x) − z, exact at x = 0', () => {
    const x = f64([
      [-2, 0, 3],
      [1e4, -1e4, 0.5],
    ]);
    const f = (t: Tensor, p: Tensor): Tensor => binaryCrossentropy(t, p, { fromLogits: true });
    expectClose(f(z, x), [0.2895541810588866, 0.32469232806003556], 1e-12);
    expectClose(
      gradPred(f, z, x),
      [0.03973430734070585, -1 / 6, -0.01580862439252221, 0, 0, 0.20748644373395153],
      1e-12,
    );
    const fs = (t: Tensor, p: Tensor): Tensor =>
      binaryCrossentropy(t, p, { fromLogits: true, labelSmoothing: 0.2 });
    expectClose(fs(z, x), [0.4562208477255532, 666.97469232806], 1e-12);
    expectClose(
      gradPred(fs, z, x),
      [
        0.0064009740073725134, -0.13333333333333333, 0.017524708940811113, 0.033333333333333326,
        -0.03333333333333333, 0.1741531104006182,
      ],
      1e-12,
    );
  });
});

describe('focal cross-entropies', () => {
  // References: the Keras 3 formulas written in torch ops (float64), gradients by autograd.
  const z = f64([
    [0, 1, 1],
    [1, 0, 0],
  ]);
  const q = f64([
    [0.2, 0.9, 0.5],
    [0.6, 0.01, 0.35],
  ]);
  const binary: [string, BinaryFocalArgs, number[], number[]][] = [
    [
      'defaults (gamma 2)',
      {},
      [0.06108871411637765, 0.044834670685823176],
      [
        0.04641914017522794, -0.010727738080892116, -0.3977157268533151, -0.22510905522648644,
        0.00010067227269337679, 0.1633365265754188,
      ],
    ],
    [
      'gamma 1.5 with class balancing, alpha 0.4',
      { gamma: 1.5, applyClassBalancing: true, alpha: 0.4 },
      [0.03711122358469061, 0.035072472327717784],
      [
        0.05229852874375501, -0.011348439891413337, -0.19230671850506106, -0.12083316784517534,
        0.0005035302776252459, 0.14016801145735847,
      ],
    ],
    [
      'label smoothing 0.2',
      { labelSmoothing: 0.2 },
      [0.06942511247596009, 0.0579609995676924],
      [
        0.0642491875897662, -0.031207965445579015, -0.3181725814826521, -0.19700735814520476,
        -0.008298664863517616, 0.15274497184554303,
      ],
    ],
  ];
  for (const [name, options, y, dy] of binary) {
    it(`binaryFocalCrossentropy, ${name}`, () => {
      const f = (t: Tensor, p: Tensor): Tensor => binaryFocalCrossentropy(t, p, options);
      expectClose(f(z, q), y, 1e-10);
      expectClose(gradPred(f, z, q), dy, 1e-9);
    });
  }

  it('binaryFocalCrossentropy from logits, and Keras docstring values', () => {
    const x = f64([
      [-2, 0, 3],
      [30, -30, 0.5],
    ]);
    const f = (t: Tensor, p: Tensor): Tensor => binaryFocalCrossentropy(t, p, { fromLogits: true });
    expectClose(f(z, x), [0.058399880433241236, 0.1258038669531366], 1e-10);
    expectClose(
      gradPred(f, z, x),
      [
        0.001623646731797589, -0.09942893171332877, -0.00010495728216275947, -5.825770942483135e-34,
        5.838645532239361e-34, 0.175383940624861,
      ],
      1e-9,
      1e-30,
    );
    const docTrue = f64([
      [0, 1],
      [0, 0],
    ]);
    const docPred = f64([
      [0.6, 0.4],
      [0.4, 0.6],
    ]);
    // Keras' docstring: [0.330, 0.206].
    expectClose(
      binaryFocalCrossentropy(docTrue, docPred),
      [0.3298646634746958, 0.20579838163862715],
      1e-10,
    );
  });

  it('categoricalFocalCrossentropy from probabilities and from logits', () => {
    const y = f64([
      [0, 1, 0],
      [0, 0, 1],
      [0.2, 0.3, 0.5],
    ]);
    const p = f64([
      [0.05, 0.9, 0.05],
      [0.1, 0.85, 0.05],
      [0.5, 1, 0.5],
    ]);
    // Keras' docstring gives [2.634e-04, 6.759e-01] for the first two rows.
    expectClose(
      categoricalFocalCrossentropy(y, p),
      [0.00026340128914456557, 0.6759120942206192, 0.1494598608082382],
      1e-10,
    );
    expectClose(
      gradPred(categoricalFocalCrossentropy, y, p),
      [
        0.00724122320460218, -0.0008045803560669086, 0.00724122320460218, 0.29677364149690727,
        0.29677364149690727, -5.638699188441238, 0.008842004817749494, 0.07233502408874745,
        -0.15351205299524437,
      ],
      1e-9,
    );
    const logits = f64([
      [2, -1, 0.5],
      [30, 0, -30],
      [0, 0, 0],
    ]);
    const f = (t: Tensor, l: Tensor): Tensor =>
      categoricalFocalCrossentropy(t, l, {
        fromLogits: true,
        gamma: 1,
        alpha: 0.5,
        labelSmoothing: 0.1,
      });
    expectClose(f(y, logits), [1.478246693404633, 7.790412118921899, 0.3662040962227033], 1e-10);
    expectClose(
      gradPred(f, y, logits),
      [
        0.4121015436937324, -0.4867237366678363, 0.07462219297410391, 0, 0, 0, 0.0619722457733622,
        0.015493061443340542, -0.07746530721670275,
      ],
      1e-9,
      1e-12,
    );
  });
});

type BinaryFocalArgs = Parameters<typeof binaryFocalCrossentropy>[2];

describe('categoricalCrossentropy', () => {
  const y = f64([
    [0, 1, 0],
    [0, 0, 1],
    [0.2, 0.3, 0.5],
  ]);
  const logits = f64([
    [2, -1, 0.5],
    [1e4, 0, -1e4],
    [0, 0, 0],
  ]);

  it('from probabilities divides by the row sum, then clips to [ε, 1 − ε]', () => {
    const q = f64([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
      [0.5, 1, 0.5],
    ]);
    // Keras' docstring gives [0.0513, 2.303] for the first two rows.
    expectClose(
      categoricalCrossentropy(y, q),
      [0.05129329438755058, 2.3025850929940455, 1.178350206951907],
      1e-10,
    );
    expectClose(
      gradPred(categoricalCrossentropy, y, q),
      [1, -0.052631578947368474, 1, 1, 1, -9, 0.1, 0.2, -0.5],
      1e-9,
    );
    expectClose(
      categoricalCrossentropy(y, q, { labelSmoothing: 0.1 }),
      [0.6850013389121242, 2.233270374938051, 1.1760397163500405],
      1e-10,
    );
  });

  it('from logits uses logSoftmax: F.cross_entropy with soft targets, ±1e4 included', () => {
    const f = (t: Tensor, p: Tensor): Tensor => categoricalCrossentropy(t, p, { fromLogits: true });
    expectClose(f(y, logits), [3.241311296657157, 20000, 1.0986122886681098], 1e-12);
    expectClose(
      gradPred(f, y, logits),
      [
        0.7855970345892759, -0.9608874267293126, 0.1752903921400367, 1, 0, -1, 0.1333333333333333,
        0.033333333333333326, -0.16666666666666669,
      ],
      1e-12,
    );
    expectClose(
      categoricalCrossentropy(y, logits, { fromLogits: true, labelSmoothing: 0.1 }),
      [3.091311296657157, 19000, 1.0986122886681098],
      1e-12,
    );
  });

  it('takes the class axis anywhere', () => {
    // x = 2·sin(0..11) and y = |cos(0..11)| normalized over axis 1, both [2,3,2].
    const x = tensor(
      Float64Array.from({ length: 12 }, (_, i) => 2 * Math.sin(i)),
      { shape: [2, 3, 2] },
    );
    const raw = Array.from({ length: 12 }, (_, i) => Math.abs(Math.cos(i)));
    const yv = raw.map((v, i) => {
      const b = Math.floor(i / 6);
      const c = i % 2;
      return v / (raw[b * 6 + c]! + raw[b * 6 + 2 + c]! + raw[b * 6 + 4 + c]!);
    });
    const yt = tensor(Float64Array.from(yv), { shape: [2, 3, 2] });
    const f = (t: Tensor, p: Tensor): Tensor =>
      categoricalCrossentropy(t, p, { fromLogits: true, axis: 1 });
    expectClose(
      f(yt, x),
      [2.111578816830429, 1.5694821369932384, 2.6943716433091547, 0.7763317692246438],
      1e-12,
    );
    expectClose(
      gradPred(f, yt, x),
      [
        -0.3477000351372177, 0.4872397844797984, 0.6336893430263018, -0.3522970679221783,
        -0.2859893078890841, -0.13494271655762005, -0.42349019089228745, 0.15478428713588294,
        0.813572728146897, -0.17418822491404118, -0.3900825372546096, 0.01940393777815833,
      ],
      1e-11,
    );
  });

  it('rejects labels of another shape, naming both shapes', () => {
    expect(() => categoricalCrossentropy(f64([0, 1]), f64([[0.5, 0.5]]))).toThrow(
      /categoricalCrossentropy: yTrue and yPred must have the same shape.*yTrue.shape=\[2\], yPred.shape=\[1,2\]/,
    );
  });
});

describe('sparseCategoricalCrossentropy', () => {
  const logits = f64([
    [2, -1, 0.5],
    [1e4, 0, -1e4],
    [0, 0, 0],
  ]);
  const expectedLogits = [3.241311296657157, 20000, 1.0986122886681098];

  it('from logits matches F.cross_entropy, for int32, float and [N,1] labels', () => {
    const f = (t: Tensor, p: Tensor): Tensor =>
      sparseCategoricalCrossentropy(t, p, { fromLogits: true });
    const labels = tensor([1, 2, 0], { dtype: 'int32' });
    expectClose(f(labels, logits), expectedLogits, 1e-12);
    expectClose(f(tensor([1, 2, 0]), logits), expectedLogits, 1e-12);
    expectClose(f(tensor([[1], [2], [0]], { dtype: 'int32' }), logits), expectedLogits, 1e-12);
    expectClose(
      gradPred(f, labels, logits),
      [
        0.7855970345892759, -0.9608874267293126, 0.1752903921400367, 1, 0, -1, -0.6666666666666667,
        0.3333333333333333, 0.3333333333333333,
      ],
      1e-12,
    );
  });

  it('from probabilities matches F.nll_loss of the clipped, normalized log', () => {
    const q = f64([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
      [0.5, 1, 0.5],
    ]);
    const labels = tensor([1, 2, 0], { dtype: 'int32' });
    expectClose(
      sparseCategoricalCrossentropy(labels, q),
      [0.05129329438755058, 2.3025850929940455, 1.3862943611198906],
      1e-10,
    );
    expectClose(
      gradPred(sparseCategoricalCrossentropy, labels, q),
      [1, -0.052631578947368474, 1, 1, 1, -9, -1.5, 0.5, 0.5],
      1e-9,
    );
  });

  it('takes the class axis anywhere, and ignoreClass zeroes those samples', () => {
    const x = tensor(
      Float64Array.from({ length: 12 }, (_, i) => 2 * Math.sin(i)),
      { shape: [2, 3, 2] },
    );
    const labels = tensor(
      [
        [0, 2],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    const f = (t: Tensor, p: Tensor): Tensor =>
      sparseCategoricalCrossentropy(t, p, { fromLogits: true, axis: 1 });
    expectClose(
      f(labels, x),
      [1.9992216695246219, 3.8427370263950236, 0.11834458550571846, 0.9900023536719549],
      1e-12,
    );
    expectClose(
      gradPred(f, labels, x),
      [
        -0.8645593401844687, 0.785098173329562, 0.8347468148380761, 0.19346697344530112,
        0.02981252534639252, -0.9785651467748632, 0.07023615478168228, 0.6063692671752502,
        -0.11161012640864643, -0.6284241835465618, 0.04137397162696415, 0.02205491637131172,
      ],
      1e-11,
    );
    const ignored = tensor([1, -1, 0], { dtype: 'int32' });
    expectClose(
      sparseCategoricalCrossentropy(ignored, logits, { fromLogits: true, ignoreClass: -1 }),
      [3.241311296657157, 0, 1.0986122886681098],
      1e-12,
    );
  });

  it('rejects out-of-range labels and mismatched shapes with TensileErrors', () => {
    const labels = tensor([1, 3, 0], { dtype: 'int32' });
    expect(() => sparseCategoricalCrossentropy(labels, logits)).toThrow(
      /labels must be class indices in \[0, 2\]. Received: yTrue\[1\]=3/,
    );
    try {
      sparseCategoricalCrossentropy(tensor([1, 0], { dtype: 'int32' }), logits);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('shape_mismatch');
      expect((e as Error).message).toMatch(/yTrue.shape=\[2\], yPred.shape=\[3,3\]/);
    }
  });
});
