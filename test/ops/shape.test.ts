import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  arange,
  broadcastTo,
  expandDims,
  flatten,
  reshape,
  squeeze,
  sum,
  tensor,
  transpose,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';
import { expectTensileError } from './expect-error.js';

const f64 = (values: number[], shape: number[]): Tensor =>
  tensor(Float64Array.from(values), { shape });

describe('reshape', () => {
  it('keeps the elements in row-major order and infers one -1', () => {
    const x = arange(6);
    const y = reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(tensor([7]), []).shape).toEqual([]);
    expect(reshape(tensor([]), [0, 3]).shape).toEqual([0, 3]);
  });

  it('rejects a size change, two -1s and an unresolvable -1', () => {
    expectTensileError(
      () => reshape(arange(6), [4, 2]),
      'shape_mismatch',
      /shape \[6\] \(6 elements\) into shape \[4,2\] \(8 elements\)/,
    );
    expectTensileError(() => reshape(arange(6), [-1, -1]), 'invalid_argument', /at most one -1/);
    expectTensileError(() => reshape(arange(6), [4, -1]), 'shape_mismatch', /cannot infer -1/);
    expectTensileError(() => reshape(arange(6), 6 as never), 'invalid_argument', /shape=6/);
  });

  it('has the gradient of the identity, reshaped back', () => {
    for (const [from, to] of [
      [
        [2, 3],
        [3, 2],
      ],
      [[1, 4, 1], [4]],
      [
        [0, 3],
        [3, 0],
      ],
    ] as const) {
      gradcheck((x) => reshape(x, to), [rand64([...from])]);
    }
  });
});

describe('flatten, expandDims, squeeze', () => {
  it('flattens all or a range of axes', () => {
    const x = rand64([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, { startAxis: 1 }).shape).toEqual([2, 12]);
    expect(flatten(x, { startAxis: 0, endAxis: 1 }).shape).toEqual([6, 4]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
    expectTensileError(
      () => flatten(x, { startAxis: 2, endAxis: 1 }),
      'invalid_argument',
      /endAxis must not come before startAxis/,
    );
  });

  it('inserts and removes size-1 axes', () => {
    const x = rand64([2, 3]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(squeeze(rand64([1, 2, 1, 3])).shape).toEqual([2, 3]);
    expect(squeeze(rand64([1, 2, 1, 3]), -2).shape).toEqual([1, 2, 3]);
    expectTensileError(() => squeeze(x, 0), 'shape_mismatch', /axis 0 has size 2, not 1/);
    expectTensileError(() => expandDims(x, 3), 'invalid_argument', /Received: axis=3/);
    gradcheck((t) => squeeze(expandDims(t, 1)), [rand64([2, 3])]);
  });
});

describe('transpose', () => {
  it('reverses the axes by default and follows perm otherwise', () => {
    const x = reshape(arange(6), [2, 3]);
    expect(transpose(x).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const y = reshape(arange(24), [2, 3, 4]);
    const t = transpose(y, [1, 2, 0]);
    expect(t.shape).toEqual([3, 4, 2]);
    // t[i][j][k] = y[k][i][j] = 12k + 4i + j
    expect((t.toArray() as number[][][])[2]![3]).toEqual([11, 23]);
    expect(transpose(y, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
  });

  it('rejects a perm that is not a permutation', () => {
    expectTensileError(
      () => transpose(rand64([2, 3]), [0, 0]),
      'invalid_argument',
      /permutation of 0..1. Received: perm=\[0,0\]/,
    );
    expectTensileError(() => transpose(rand64([2, 3]), [0]), 'invalid_argument', /perm=\[0\]/);
    expectTensileError(() => transpose(rand64([2, 3]), 1 as never), 'invalid_argument', /perm=1/);
  });

  it('has the inverse permutation as its gradient', () => {
    gradcheck((x) => transpose(x, [2, 0, 1]), [rand64([2, 3, 4])]);
    gradcheck((x) => transpose(x), [rand64([1, 5])]);
    gradcheck((x) => transpose(x, [1, 0, 2]), [rand64([0, 2, 3])]);
  });
});

describe('broadcastTo', () => {
  it('repeats along new and size-1 axes', () => {
    const y = broadcastTo(f64([1, 2], [2, 1]), [3, 2, 2]);
    expect(y.toArray()).toEqual([
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ]);
  });

  it('names both shapes when it cannot broadcast', () => {
    expectTensileError(
      () => broadcastTo(rand64([2, 3]), [3, 3]),
      'shape_mismatch',
      /\[2,3\] and \[3,3\]/,
    );
    expectTensileError(
      () => broadcastTo(rand64([2, 3]), [3]),
      'shape_mismatch',
      /\[2,3\] cannot be broadcast to \[3\]/,
    );
  });

  it('sums the gradient over the repeats', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    sum(broadcastTo(x, [3, 2])).backward();
    expectClose(x.grad!, [3, 3]);
    gradcheck((t) => broadcastTo(t, [2, 3, 4]), [rand64([3, 1])]);
    gradcheck((t) => broadcastTo(t, [0, 4]), [rand64([1, 4])]);
  });
});
