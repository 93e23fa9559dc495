import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { arange, reshape, tensor } from '../../src/index.js';

describe('toString', () => {
  it('prints rows on their own lines, right-aligned, with shape and dtype', () => {
    expect(
      tensor([
        [1, 2],
        [3, 40],
      ]).toString(),
    ).toBe('tensor([[ 1.,  2.],\n' + '        [ 3., 40.]], shape=[2,2], dtype=float32)');
    expect(tensor([true, false]).toString()).toBe('tensor([ true, false], shape=[2], dtype=bool)');
    expect(tensor(-0.5).toString()).toBe('tensor(-0.5, shape=[], dtype=float32)');
    expect(tensor([]).toString()).toBe('tensor([], shape=[0], dtype=float32)');
  });

  it('separates blocks of a rank-3 tensor by a blank line, as NumPy does', () => {
    expect(reshape(arange(8), [2, 2, 2]).toString()).toBe(
      'tensor([[[0, 1],\n' +
        '         [2, 3]],\n' +
        '\n' +
        '        [[4, 5],\n' +
        '         [6, 7]]], shape=[2,2,2], dtype=int32)',
    );
  });

  it('shows six significant digits, exponents for extreme magnitudes, and non-finite values', () => {
    const t = tensor([0.1, 1e-7, 123456789.5, -2.5, NaN, Infinity, 1 / 3], { dtype: 'float64' });
    expect(t.toString()).toBe(
      'tensor([      0.1, 1.0000e-7, 1.2346e+8,      -2.5,       NaN,  Infinity,  0.333333], ' +
        'shape=[7], dtype=float64)',
    );
    // float32 storage of 0.1 is 0.100000001490116; it still prints as 0.1.
    expect(tensor([0.1]).toString()).toBe('tensor([0.1], shape=[1], dtype=float32)');
  });

  it('elides the middle of long axes once a tensor has more than 1000 elements', () => {
    const text = reshape(arange(2000), [2, 1000]).toString();
    expect(text).toBe(
      'tensor([[   0,    1,    2, ...,  997,  998,  999],\n' +
        '        [1000, 1001, 1002, ..., 1997, 1998, 1999]], shape=[2,1000], dtype=int32)',
    );
    expect(arange(1000).toString()).toContain(' 500,');
    expect(reshape(arange(100000), [100, 1000]).toString().split('\n')).toHaveLength(7);
  });

  it('shows requiresGrad and the name', () => {
    const t = tensor([1], { requiresGrad: true });
    t.name = 'w';
    expect(String(t)).toBe('tensor([1.], shape=[1], dtype=float32, requiresGrad=true, name=w)');
  });
});

describe('util.inspect', () => {
  it('shows a tensor as its toString text', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(inspect(t)).toBe(t.toString());
  });
});
