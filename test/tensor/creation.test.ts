import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  setSeed,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
} from '../../src/index.js';
import { expectTensileError } from '../ops/expect-error.js';

const sampleStats = (t: Tensor): { mean: number; std: number } => {
  const v = Array.from(t.values);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std };
};

describe('tensor()', () => {
  it('reads nested arrays in row-major order as float32', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.rank).toBe(2);
    expect(t.size).toBe(6);
  });

  it('makes scalars, empty tensors and empty inner axes', () => {
    expect(tensor(3.5).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
  });

  it('infers bool from booleans and stores them as 0 and 1', () => {
    const t = tensor([true, false, true]);
    expect(t.dtype).toBe('bool');
    expect(t.toArray()).toEqual([true, false, true]);
    expect(Array.from(t.values)).toEqual([1, 0, 1]);
    expect(Array.from(tensor([1, 0, 7], { dtype: 'bool' }).values)).toEqual([1, 0, 1]);
    expect(tensor([true, false], { dtype: 'float64' }).toArray()).toEqual([1, 0]);
  });

  it('uses typed arrays of a storage type as they are, and converts others', () => {
    const f = new Float64Array([1, 2, 3, 4]);
    const t = tensor(f, { shape: [2, 2] });
    expect(t.dtype).toBe('float64');
    expect(t.values).toBe(f);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Uint8Array([0, 1])).dtype).toBe('bool');
    expect(Array.from(tensor(new Uint8Array([0, 5])).values)).toEqual([0, 1]);
    expect(tensor(new Int16Array([-3, 4])).dtype).toBe('int32');
    expect(tensor(new Uint32Array([4294967295])).item()).toBe(4294967295);
    const converted = tensor(new Float64Array([1.5, 2.5]), { dtype: 'float32' });
    expect(converted.dtype).toBe('float32');
    expect(Array.from(converted.values)).toEqual([1.5, 2.5]);
    expectTensileError(
      () => tensor(new BigInt64Array(2) as unknown as Float32Array),
      'invalid_argument',
      /unsupported typed array/,
    );
  });

  it('casts to the requested dtype, truncating for int32', () => {
    const t = tensor([1.7, -2.7], { dtype: 'int32' });
    expect(t.dtype).toBe('int32');
    expect(t.toArray()).toEqual([1, -2]);
    expect(tensor([1, 2], { dtype: 'float64' }).values).toBeInstanceOf(Float64Array);
  });

  it('rejects ragged arrays, non-numbers, unknown dtypes and mismatched shapes', () => {
    expectTensileError(
      () => tensor([[1, 2], [3]]),
      'invalid_argument',
      /ragged: expected every array at depth 1 to have length 2.*shape \[2,2\]/,
    );
    expectTensileError(() => tensor([[1, 2], 3] as never), 'invalid_argument', /ragged/);
    expectTensileError(() => tensor([1, [2]] as never), 'invalid_argument', /ragged/);
    expectTensileError(
      () => tensor(['a'] as never),
      'invalid_argument',
      /elements must be numbers or booleans. Received: string a/,
    );
    expectTensileError(
      () => tensor([1], { dtype: 'int8' as never }),
      'invalid_argument',
      /Unknown dtype.*Received: dtype=int8/,
    );
    expectTensileError(
      () => tensor(new Float32Array(5), { shape: [2, 2] }),
      'invalid_argument',
      /5 elements, but shape \[2,2\] needs 4/,
    );
    expectTensileError(
      () => tensor([1, 2], { shape: [-2] }),
      'invalid_argument',
      /shape must be an array of non-negative integers/,
    );
  });

  it('marks tensors that require gradients, float dtypes only', () => {
    expect(tensor([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expectTensileError(
      () => tensor([1], { dtype: 'int32', requiresGrad: true }),
      'unsupported_dtype',
      /Only float32 and float64/,
    );
  });
});

describe('Tensor accessors', () => {
  it('toArray, data and item', () => {
    const t = tensor([[1, 2]], { dtype: 'int32' });
    expect(t.toArray()).toEqual([[1, 2]]);
    const copy = t.data();
    copy[0] = 99;
    expect(t.values[0]).toBe(1);
    expect(tensor(2).toArray()).toBe(2);
    expect(tensor([[7]]).item()).toBe(7);
    expectTensileError(
      () => tensor([1, 2]).item(),
      'invalid_argument',
      /exactly one element. Received: shape=\[2\]/,
    );
    expect(tensor([[[]]]).toArray()).toEqual([[[]]]);
  });
});

describe('filled tensors', () => {
  it('zeros, ones, full and the *Like variants', () => {
    expect(zeros([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(ones([3], { dtype: 'int32' }).toArray()).toEqual([1, 1, 1]);
    expect(ones([3], { dtype: 'int32' }).dtype).toBe('int32');
    expect(full([2], 2.5, { dtype: 'float64' }).toArray()).toEqual([2.5, 2.5]);
    expect(full([2], 3, { dtype: 'bool' }).toArray()).toEqual([true, true]);
    expect(full([], 4).shape).toEqual([]);
    expect(zeros([0, 2]).size).toBe(0);
    const like = zerosLike(tensor([[1, 2]], { dtype: 'int32' }));
    expect([like.dtype, like.shape]).toEqual(['int32', [1, 2]]);
    expect(onesLike(tensor([1.5]), { dtype: 'float64' }).dtype).toBe('float64');
    expectTensileError(() => zeros([2, 1.5]), 'invalid_argument', /Received: shape=\[2,1.5\]/);
    expectTensileError(() => full([1], 'x' as never), 'invalid_argument', /value must be a number/);
  });

  it('arange follows NumPy, including the float step count', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5).dtype).toBe('int32');
    expect(arange(2, 8, 3).toArray()).toEqual([2, 5]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).shape).toEqual([0]);
    // np.arange(1, 1.3, 0.1) has 4 elements: (1.3 - 1) / 0.1 = 3.0000000000000004.
    const f = arange(1, 1.3, 0.1, { dtype: 'float64' });
    expect(f.shape).toEqual([4]);
    expect(f.dtype).toBe('float64');
    expect(arange(0, 1, 0.25).dtype).toBe('float32');
    expectTensileError(() => arange(0, 5, 0), 'invalid_argument', /step=0/);
    expectTensileError(() => arange(0, Infinity), 'invalid_argument', /stop=Infinity/);
  });

  it('linspace includes both ends', () => {
    expect(linspace(0, 1, 5, { dtype: 'float64' }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(2, 3, 0).shape).toEqual([0]);
    // np.linspace(0, 0.3, 4)[-1] is exactly 0.3, not 0.30000000000000004.
    expect(linspace(0, 0.3, 4, { dtype: 'float64' }).values[3]).toBe(0.3);
    expectTensileError(() => linspace(0, 1, -1), 'invalid_argument', /num=-1/);
  });

  it('eye makes square and rectangular identities', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3, { dtype: 'int32' }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(0).shape).toEqual([0, 0]);
  });
});

describe('random tensors', () => {
  it('repeat exactly for the same seed and differ for another', () => {
    for (const make of [randomUniform, randomNormal, truncatedNormal]) {
      const a = make([50], { seed: 42 });
      const b = make([50], { seed: 42 });
      const c = make([50], { seed: 43 });
      expect(Array.from(a.values)).toEqual(Array.from(b.values));
      expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
    }
    setSeed(7);
    const first = randomUniform([5]);
    setSeed(7);
    expect(Array.from(randomUniform([5]).values)).toEqual(Array.from(first.values));
  });

  it('uniform stays in [minval, maxval) with the expected moments', () => {
    const t = randomUniform([20000], { seed: 1, minval: -2, maxval: 4, dtype: 'float64' });
    expect(t.dtype).toBe('float64');
    expect(Math.min(...t.values)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...t.values)).toBeLessThan(4);
    const { mean, std } = sampleStats(t);
    // Uniform(-2, 4): mean 1, std 6/√12 ≈ 1.732; the sample error is about 0.012.
    expect(Math.abs(mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(std - 6 / Math.sqrt(12))).toBeLessThan(0.05);
  });

  it('normal has the requested mean and standard deviation', () => {
    const t = randomNormal([20000], { seed: 2, mean: 3, stddev: 0.5 });
    const { mean, std } = sampleStats(t);
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.02);
  });

  it('truncated normal stays within two standard deviations', () => {
    const t = truncatedNormal([20000], { seed: 3, mean: -1, stddev: 2 });
    expect(Math.min(...t.values)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...t.values)).toBeLessThanOrEqual(3);
    const { mean, std } = sampleStats(t);
    // A standard normal truncated to [-2, 2] has std 0.87962 (scipy.stats.truncnorm(-2, 2).std()).
    expect(Math.abs(mean + 1)).toBeLessThan(0.05);
    expect(Math.abs(std - 2 * 0.87962)).toBeLessThan(0.05);
  });

  it('refuses integer dtypes', () => {
    expectTensileError(
      () => randomUniform([2], { dtype: 'int32' }),
      'invalid_argument',
      /float32 or float64. Received: dtype=int32/,
    );
  });
});
