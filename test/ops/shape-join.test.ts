import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  add,
  arange,
  concat,
  mul,
  reshape,
  split,
  stack,
  sum,
  tensor,
  tile,
  unstack,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';
import { expectTensileError } from './expect-error.js';

const grid = (rows: number, cols: number, start = 0): Tensor =>
  reshape(arange(start, start + rows * cols, 1, { dtype: 'float64' }), [rows, cols]);

describe('concat', () => {
  it('joins along any axis, negative included', () => {
    const a = grid(2, 2);
    const b = grid(1, 2, 10);
    expect(concat([a, b]).toArray()).toEqual([
      [0, 1],
      [2, 3],
      [10, 11],
    ]);
    const c = grid(2, 1, 20);
    expect(concat([a, c, a], { axis: -1 }).toArray()).toEqual([
      [0, 1, 20, 0, 1],
      [2, 3, 21, 2, 3],
    ]);
    expect(concat([a]).toArray()).toEqual(a.toArray());
  });

  it('accepts empty parts and promotes dtypes', () => {
    const out = concat([tensor([1, 2], { dtype: 'int32' }), tensor([]), tensor([true])]);
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([1, 2, 1]);
    expect(concat([rand64([0, 3]), rand64([2, 3])]).shape).toEqual([2, 3]);
    expect(concat([tensor([1], { dtype: 'int32' }), tensor([true])]).dtype).toBe('int32');
  });

  it('names the op and both shapes when the other axes differ', () => {
    expectTensileError(
      () => concat([rand64([2, 3]), rand64([2, 4])]),
      'shape_mismatch',
      /concat: tensors\[1\] has shape \[2,4\] but tensors\[0\] has shape \[2,3\]/,
    );
    expectTensileError(
      () => concat([rand64([2, 3]), rand64([2, 3, 1])], { axis: 1 }),
      'shape_mismatch',
      /\[2,3,1\].*\[2,3\]/,
    );
    expectTensileError(() => concat([]), 'invalid_argument', /non-empty array.*empty array/);
    expectTensileError(() => concat([tensor(1), tensor(2)]), 'invalid_argument', /use stack/i);
    expectTensileError(() => concat([rand64([2])], { axis: 1 }), 'invalid_argument', /axis=1/);
  });

  it('sends each input its slice of the gradient', () => {
    const shapes: [number[], number[], number[], number][] = [
      [[2, 3], [1, 3], [4, 3], 0],
      [[2, 1], [2, 3], [2, 0], 1],
      [[2, 2, 1], [2, 2, 2], [2, 2, 1], -1],
      [[1], [1], [1], 0],
    ];
    for (const [s0, s1, s2, axis] of shapes) {
      gradcheck(
        (a, b, c) => concat([a!, b!, c!], { axis }),
        [rand64(s0, 1), rand64(s1, 2), rand64(s2, 3)],
      );
    }
  });
});

describe('stack', () => {
  it('adds a new axis at any position', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(stack([a, b], { axis: 1 }).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([a, b], { axis: -1 }).shape).toEqual([2, 2]);
    expect(stack([tensor(1), tensor(2), tensor(3)]).toArray()).toEqual([1, 2, 3]);
    expect(stack([rand64([2, 3]), rand64([2, 3])], { axis: 2 }).shape).toEqual([2, 3, 2]);
  });

  it('rejects different shapes and an out-of-range axis', () => {
    expectTensileError(
      () => stack([rand64([2]), rand64([3])]),
      'shape_mismatch',
      /stack: tensors\[1\] has shape \[3\] but tensors\[0\] has shape \[2\]/,
    );
    expectTensileError(() => stack([rand64([2])], { axis: 2 }), 'invalid_argument', /axis=2/);
  });

  it('has the gradient of unstacking', () => {
    for (const axis of [0, 1, -1]) {
      gradcheck((a, b) => stack([a!, b!], { axis }), [rand64([2, 3], 1), rand64([2, 3], 2)]);
    }
    gradcheck((a) => stack([a!, mul(a!, 2)], { axis: 0 }), [rand64([0, 2])]);
  });
});

describe('split and unstack', () => {
  it('splits into equal parts or given sizes, one of them -1', () => {
    const x = grid(2, 6);
    const parts = split(x, 3, { axis: 1 });
    expect(parts.map((p) => p.toArray())).toEqual([
      [
        [0, 1],
        [6, 7],
      ],
      [
        [2, 3],
        [8, 9],
      ],
      [
        [4, 5],
        [10, 11],
      ],
    ]);
    expect(split(x, [1, -1, 0, 2], { axis: -1 }).map((p) => p.shape)).toEqual([
      [2, 1],
      [2, 3],
      [2, 0],
      [2, 2],
    ]);
    expect(split(x, 1)[0]!.toArray()).toEqual(x.toArray());
  });

  it('explains sizes that do not fit the axis', () => {
    expectTensileError(
      () => split(grid(2, 6), 4, { axis: 1 }),
      'invalid_argument',
      /cannot split axis 1 of shape \[2,6\] \(size 6\) into 4 equal parts/,
    );
    expectTensileError(
      () => split(grid(2, 6), [2, 2], { axis: 1 }),
      'shape_mismatch',
      /sizes=\[2,2\] do not add up to the size of axis 1 of shape \[2,6\]/,
    );
    expectTensileError(() => split(grid(2, 6), [7, -1], { axis: 1 }), 'shape_mismatch', /\[7,-1\]/);
    expectTensileError(() => split(grid(2, 6), [-1, -1]), 'invalid_argument', /at most one/);
    expectTensileError(() => split(tensor(1), 1), 'invalid_argument', /rank 1 or more/);
    expectTensileError(() => split(grid(2, 6), 'a' as never), 'invalid_argument', /sizes="a"/);
  });

  it('routes each part gradient back to its place', () => {
    const x = tensor([1, 2, 3, 4, 5], { dtype: 'float64', requiresGrad: true });
    const [a, b] = split(x, [2, 3]);
    sum(mul(a!, 10)).backward();
    expectClose(x.grad!, [10, 10, 0, 0, 0]);
    void b;
    gradcheck(
      (t) => {
        const [p, q, r] = split(t, [1, 2, -1], { axis: 1 });
        return concat([mul(p!, 3), mul(q!, q!), r!], { axis: 1 });
      },
      [rand64([2, 5])],
    );
  });

  it('accumulates part gradients once per backward, with parts used or not', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const [a, b, c] = split(x, [1, 2, 1]);
    const loss = sum(mul(add(a!, 1), c!));
    loss.backward(undefined, { retainGraph: true });
    // d/dx of (x0 + 1)·x3: [x3, 0, 0, x0 + 1]; b is unused.
    expectClose(x.grad!, [4, 0, 0, 2]);
    loss.backward();
    expectClose(x.grad!, [8, 0, 0, 4]);
    void b;
    x.zeroGrad();
    const [, middle] = split(x, [1, 2, 1]);
    sum(mul(middle!, middle!)).backward();
    expectClose(x.grad!, [0, 4, 6, 0]);
  });

  it('unstacks along an axis, removing it', () => {
    const parts = unstack(grid(2, 3), { axis: 1 });
    expect(parts.map((p) => p.toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(unstack(rand64([0, 2]))).toEqual([]);
    gradcheck((t) => stack(unstack(t, { axis: -1 }).reverse(), { axis: 0 }), [rand64([2, 3])]);
  });
});

describe('tile', () => {
  it('repeats along each axis, as numpy.tile', () => {
    // np.tile([[1, 2], [3, 4]], (2, 3))
    expect(
      tile(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [2, 3],
      ).toArray(),
    ).toEqual([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]);
    // Shorter reps pad with leading 1s; longer reps add leading axes (np.tile([1, 2], (2, 2))).
    expect(tile(tensor([[1, 2]]), [2]).toArray()).toEqual([[1, 2, 1, 2]]);
    expect(tile(tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(tile(tensor([1, 2]), [0]).shape).toEqual([0]);
    expect(tile(tensor(5, { dtype: 'int32' }), [3]).toArray()).toEqual([5, 5, 5]);
  });

  it('rejects negative or fractional reps', () => {
    expectTensileError(() => tile(tensor([1]), [-1]), 'invalid_argument', /reps=\[-1\]/);
    expectTensileError(() => tile(tensor([1]), [1.5]), 'invalid_argument', /reps=\[1.5\]/);
  });

  it('sums the gradient of the copies', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    sum(mul(tile(x, [3]), arange(6, undefined, 1, { dtype: 'float64' }))).backward();
    expectClose(x.grad!, [0 + 2 + 4, 1 + 3 + 5]);
    gradcheck((t) => tile(t, [2, 1, 3]), [rand64([2, 3, 1])]);
    gradcheck((t) => tile(t, [2, 2]), [rand64([3])]);
    gradcheck((t) => tile(t, [2]), [rand64([1, 2])]);
    gradcheck((t) => tile(t, [0, 2]), [rand64([2, 2])]);
    gradcheck((t) => tile(t, [3, 1]), [rand64([0, 2])]);
  });
});
