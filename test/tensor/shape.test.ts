import { describe, expect, it } from 'vitest';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
} from '../../src/tensor/shape.js';
import { expectTensileError } from '../ops/expect-error.js';

describe('shape utilities', () => {
  it('sizes and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [2, 3, 1])).toBe(false);
  });

  it('broadcasts by NumPy rules and names both shapes on failure', () => {
    expect(broadcastShapes([2, 1, 3], [4, 1], 'add')).toEqual([2, 4, 3]);
    expect(broadcastShapes([], [5], 'add')).toEqual([5]);
    expect(broadcastShapes([0, 1], [1, 3], 'add')).toEqual([0, 3]);
    expect(broadcastStrides([4, 1], [2, 4, 3])).toEqual([0, 1, 0]);
    expectTensileError(
      () => broadcastShapes([2, 3], [4, 3], 'add'),
      'shape_mismatch',
      /add: shapes \[2,3\] and \[4,3\] cannot be broadcast together \(dimension -2 is 2 against 4\)/,
    );
  });

  it('normalizes negative axes and rejects the out-of-range', () => {
    expect(normalizeAxis(-1, 3, 'op')).toBe(2);
    expect(normalizeAxes([-1, 0], 3, 'op')).toEqual([0, 2]);
    expect(normalizeAxes(undefined, 2, 'op')).toEqual([0, 1]);
    expectTensileError(
      () => normalizeAxis(3, 3, 'op'),
      'invalid_argument',
      /Use an integer in \[-3, 2\]/,
    );
    expectTensileError(() => normalizeAxis(0, 0, 'op'), 'invalid_argument', /rank 0/);
    expectTensileError(() => normalizeAxis(0.5, 2, 'op'), 'invalid_argument', /axis=0.5/);
    expectTensileError(() => normalizeAxes([1, -1], 2, 'op'), 'invalid_argument', /repeated axis/);
    expectTensileError(() => checkShape([2, -1]), 'invalid_argument', /shape=\[2,-1\]/);
  });
});
