import { beforeEach, describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  Identity,
  Input,
  Masking,
  Permute,
  RepeatVector,
  Rescaling,
  Reshape,
  TensileError,
  clearSession,
  getMask,
  ones,
  tensor,
} from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('core layers through the harness', () => {
  it('Activation', () => {
    checkLayer({
      make: (dtype) => new Activation({ activation: 'softmax', dtype }),
      inputShape: [2, 5],
      expectedOutputShape: [2, 5],
      expectedParams: 0,
    });
    checkLayer({
      make: (dtype) => new Activation({ activation: 'gelu', dtype }),
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
    });
  });

  it('Dropout is the identity at inference and in the gradient check', () => {
    checkLayer({
      make: (dtype) => new Dropout({ rate: 0.5, dtype, seed: 3 }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedParams: 0,
    });
  });

  it('Flatten, Reshape, Permute, RepeatVector, Identity, Rescaling', () => {
    checkLayer({
      make: (dtype) => new Flatten({ dtype }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 12],
    });
    checkLayer({
      make: (dtype) => new Reshape({ targetShape: [3, -1], dtype }),
      inputShape: [2, 12],
      expectedOutputShape: [2, 3, 4],
    });
    checkLayer({
      make: (dtype) => new Permute({ dims: [2, 1], dtype }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 4, 3],
    });
    checkLayer({
      make: (dtype) => new RepeatVector({ n: 3, dtype }),
      inputShape: [2, 4],
      expectedOutputShape: [2, 3, 4],
    });
    checkLayer({
      make: (dtype) => new Identity({ dtype }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    checkLayer({
      make: (dtype) => new Rescaling({ scale: 1 / 255, offset: -1, dtype }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
  });

  it('Embedding gathers rows and has inputDim·outputDim parameters', () => {
    const layer = checkLayer({
      make: (dtype) => new Embedding({ inputDim: 10, outputDim: 4, dtype }),
      inputShape: [2, 3],
      inputDtype: 'int32',
      inputValues: [1, 2, 3, 9, 0, 1],
      expectedOutputShape: [2, 3, 4],
      expectedParams: 40,
    });
    expect(layer.weights.map((w) => w.name)).toEqual(['embedding/embeddings']);
  });

  it('Masking zeroes masked steps and attaches the mask', () => {
    checkLayer({
      make: (dtype) => new Masking({ dtype }),
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
    });
    const x = tensor([
      [
        [1, 2],
        [0, 0],
        [3, 0],
      ],
    ]);
    const y = new Masking().apply(x);
    expect(y.toArray()).toEqual([
      [
        [1, 2],
        [0, 0],
        [3, 0],
      ],
    ]);
    expect(getMask(y)?.toArray()).toEqual([[true, false, true]]);
  });
});

describe('layer values', () => {
  it('Dropout drops with the given rate and scales the rest, reproducibly by seed', () => {
    const x = ones([200, 50]);
    const a = new Dropout({ rate: 0.3, seed: 42 }).apply(x, { training: true });
    const b = new Dropout({ rate: 0.3, seed: 42 }).apply(x, { training: true });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const vals = Array.from(a.values);
    const kept = vals.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    // 10,000 Bernoulli(0.7) draws: the kept fraction is within 4 standard deviations of 0.7.
    expect(Math.abs(kept.length / vals.length - 0.7)).toBeLessThan(4 * Math.sqrt(0.21 / 10000));
    expect(new Dropout({ rate: 0.3 }).apply(x).values).toEqual(x.values);
  });

  it('Embedding with maskZero attaches a mask', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const y = e.apply(tensor([[0, 1, 2]], { dtype: 'int32' }));
    expect(getMask(y)?.toArray()).toEqual([[false, true, true]]);
    expect(y.shape).toEqual([1, 3, 2]);
  });

  it('Rescaling and RepeatVector compute what they say', () => {
    expect(new Rescaling({ scale: 0.5, offset: 1 }).apply(tensor([[2, 4]])).toArray()).toEqual([
      [2, 3],
    ]);
    expect(new RepeatVector({ n: 2 }).apply(tensor([[1, 2]])).toArray()).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
    ]);
    expect(
      new Permute({ dims: [2, 1] })
        .apply(
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
        )
        .toArray(),
    ).toEqual([
      [
        [1, 3],
        [2, 4],
      ],
    ]);
  });
});

describe('bad configurations', () => {
  it('are TensileErrors that name the option and the value', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new Dense({ units: 0 }), /units must be a positive integer. Received: units=0/],
      [() => new Dense({ units: 2.5 }), /Received: units=2.5/],
      [() => new Dropout({ rate: 1 }), /rate must be a number in \[0, 1\). Received: rate=1/],
      [() => new Reshape({ targetShape: [-1, -1] }), /at most one -1/],
      [() => new Permute({ dims: [1, 3] }), /permutation of 1..2/],
      [() => new Embedding({ inputDim: 0, outputDim: 2 }), /inputDim must be a positive integer/],
      [
        () => new Activation({ activation: 'nope' }),
        /Unknown activation. Received: activation="nope"/,
      ],
      [() => new Dense({ units: 2, kernelInitializer: 'nope' }), /Unknown initializer/],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(TensileError);
      expect(make).toThrow(message);
    }
  });

  it('reading weights before build is a not_built error', () => {
    const d = new Dense({ units: 3 });
    try {
      d.getWeights();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('not_built');
      expect((e as TensileError).message).toMatch(/Layer dense \(Dense\) has not been built yet/);
    }
    expect(() => d.countParams()).toThrow(/not been built/);
  });

  it('a Reshape that cannot fit is a shape error at graph construction', () => {
    const x = Input({ shape: [10] });
    expect(() => new Reshape({ targetShape: [3, 3] }).apply(x)).toThrow(
      /Layer reshape \(Reshape\): Reshape cannot turn samples of shape \(10\) \(10 elements\) into targetShape=\[3,3\]/,
    );
  });

  it('a Dense fed the wrong width names the layer and both shapes', () => {
    const d = new Dense({ units: 2 });
    d.apply(Input({ shape: [4] }));
    expect(() => d.apply(Input({ shape: [5] }))).toThrow(
      /input of layer dense \(Dense\) must have size 4 on axis -1; expected shape \(None, 4\), received shape \(None, 5\)/,
    );
    expect(() => d.apply(ones([2, 5]))).toThrow(/received shape \(2, 5\)/);
  });
});
