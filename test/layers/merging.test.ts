import { beforeEach, describe, expect, it } from 'vitest';
import {
  Add,
  Average,
  Concatenate,
  Dot,
  Input,
  Maximum,
  Minimum,
  Multiply,
  Subtract,
  TensileError,
  average,
  clearSession,
  concatenate,
  dot,
  tensor,
} from '../../src/index.js';
import * as layers from '../../src/layers/namespace.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('merge layers through the harness', () => {
  const classes = [Add, Multiply, Average, Maximum, Minimum];
  for (const Cls of classes) {
    it(Cls.className, () => {
      checkLayer({
        make: (dtype) => new Cls({ dtype }),
        inputShapes: [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
        expectedOutputShape: [2, 3],
        expectedParams: 0,
      });
    });
  }

  it('Subtract', () => {
    checkLayer({
      make: (dtype) => new Subtract({ dtype }),
      inputShapes: [
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 3],
    });
  });

  it('Concatenate', () => {
    checkLayer({
      make: (dtype) => new Concatenate({ dtype }),
      inputShapes: [
        [2, 3],
        [2, 5],
      ],
      expectedOutputShape: [2, 8],
    });
    checkLayer({
      make: (dtype) => new Concatenate({ axis: 1, dtype }),
      inputShapes: [
        [2, 3, 4],
        [2, 1, 4],
      ],
      expectedOutputShape: [2, 4, 4],
    });
  });

  it('Dot on vectors, matrices and with normalization', () => {
    checkLayer({
      make: (dtype) => new Dot({ axes: 1, dtype }),
      inputShapes: [
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 1],
    });
    checkLayer({
      make: (dtype) => new Dot({ axes: [2, 1], dtype }),
      inputShapes: [
        [2, 3, 4],
        [2, 4, 5],
      ],
      expectedOutputShape: [2, 3, 5],
    });
    checkLayer({
      make: (dtype) => new Dot({ axes: [1, 1], dtype }),
      inputShapes: [
        [2, 4, 3],
        [2, 4, 5],
      ],
      expectedOutputShape: [2, 3, 5],
    });
    checkLayer({
      make: (dtype) => new Dot({ axes: 1, normalize: true, dtype }),
      inputShapes: [
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 1],
    });
  });
});

describe('merge values', () => {
  const a = tensor([[1, 5]]);
  const b = tensor([[3, 2]]);
  const c = tensor([[2, 8]]);

  it('computes sums, differences, products, means and extrema', () => {
    expect(layers.add([a, b, c]).toArray()).toEqual([[6, 15]]);
    expect(new Subtract().apply([a, b]).toArray()).toEqual([[-2, 3]]);
    expect(new Multiply().apply([a, b, c]).toArray()).toEqual([[6, 80]]);
    expect(average([a, b, c]).toArray()).toEqual([[2, 5]]);
    expect(layers.maximum([a, b, c]).toArray()).toEqual([[3, 8]]);
    expect(layers.minimum([a, b, c]).toArray()).toEqual([[1, 2]]);
    expect(concatenate([a, b]).toArray()).toEqual([[1, 5, 3, 2]]);
    expect(concatenate([a, b], { axis: 1 }).toArray()).toEqual([[1, 5, 3, 2]]);
  });

  it('dot of vectors, and cosine similarity with normalize (a float64 layer keeps float64)', () => {
    expect(dot([a, b], { axes: 1 }).toArray()).toEqual([[13]]);
    // cos between (1,5) and (3,2): 13 / (√26·√13) = 0.7071067811865475
    const cos = dot(
      [tensor([[1, 5]], { dtype: 'float64' }), tensor([[3, 2]], { dtype: 'float64' })],
      {
        axes: 1,
        normalize: true,
        dtype: 'float64',
      },
    );
    expect(cos.item()).toBeCloseTo(13 / Math.sqrt(26 * 13), 12);
  });

  it('batch matrix dot follows Keras batch_dot', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 4],
      ],
    ]); // (1, 2, 2)
    const y = tensor([
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(new Dot({ axes: [2, 1] }).apply([x, y]).toArray()).toEqual([
      [
        [19, 22],
        [43, 50],
      ],
    ]);
    // axes (1, 1): xᵀ·y = [[1·5+3·7, 1·6+3·8], [2·5+4·7, 2·6+4·8]]
    expect(new Dot({ axes: [1, 1] }).apply([x, y]).toArray()).toEqual([
      [
        [26, 30],
        [38, 44],
      ],
    ]);
  });
});

describe('merge shape errors', () => {
  it('differing shapes name the layer and every shape', () => {
    const x = Input({ shape: [4] });
    const y = Input({ shape: [5] });
    try {
      layers.add([x, y]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('shape_mismatch');
      expect((e as TensileError).message).toBe(
        'Layer add (Add) got inputs with incompatible shapes: (None, 4) and (None, 5). ' +
          'Elementwise merges need equal shapes.',
      );
    }
    expect(() => concatenate([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })])).toThrow(
      /Layer concatenate \(Concatenate\) needs inputs with matching shapes except on the concatenation axis -1. Received: \(None, 2, 3\), \(None, 4, 5\)/,
    );
    expect(() => new Subtract().apply([x, x, x])).toThrow(
      /takes exactly 2 inputs. Received: 3 inputs/,
    );
    expect(() => dot([x, y], { axes: 1 })).toThrow(/sizes differ \(4 != 5\)/);
  });

  it('sizes of 1 and unknown sizes broadcast', () => {
    const out = layers.add([Input({ shape: [1, 3] }), Input({ shape: [4, 3] })]);
    expect(out.shape).toEqual([null, 4, 3]);
    expect(layers.add([Input({ shape: [null, 3] }), Input({ shape: [4, 3] })]).shape).toEqual([
      null,
      4,
      3,
    ]);
  });
});

describe('merge masks', () => {
  it('are the logical and of the inputs that carry one', () => {
    const e = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const a = e.apply(tensor([[0, 1, 2]], { dtype: 'int32' }));
    const b = e.apply(tensor([[1, 1, 0]], { dtype: 'int32' }));
    expect(layers.getMask(layers.add([a, b]))?.toArray()).toEqual([[false, true, false]]);
    expect(
      layers
        .getMask(
          layers.add([
            a,
            tensor([
              [
                [1, 1],
                [1, 1],
                [1, 1],
              ],
            ]),
          ]),
        )
        ?.toArray(),
    ).toEqual([[false, true, true]]);
    expect(layers.getMask(layers.add([tensor([[1]]), tensor([[2]])]))).toBeNull();
  });
});

describe('concatenate masks', () => {
  it('keep a step where any joined input keeps it, as Keras', () => {
    const e = new layers.Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const a = e.apply(tensor([[0, 1, 0]], { dtype: 'int32' }));
    const b = e.apply(tensor([[0, 0, 2]], { dtype: 'int32' }));
    expect(layers.getMask(concatenate([a, b]))?.toArray()).toEqual([[false, true, true]]);
    // An unmasked input counts as all true.
    const plain = tensor([
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    ]);
    expect(layers.getMask(concatenate([a, plain]))?.toArray()).toEqual([[true, true, true]]);
    expect(layers.getMask(concatenate([plain, plain]))).toBeNull();
  });
});
