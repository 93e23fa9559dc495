import { describe, expect, it } from 'vitest';
import {
  arange,
  gather,
  mul,
  oneHot,
  pad,
  reshape,
  slice,
  stridedSlice,
  sum,
  tensor,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';
import { expectTensileError } from './expect-error.js';

const cube = () => reshape(arange(24, undefined, 1, { dtype: 'float64' }), [2, 3, 4]);
const ints = (values: number[] | number[][]) => tensor(values, { dtype: 'int32' });

describe('slice', () => {
  it('cuts a block, with -1 meaning to the end', () => {
    const x = cube();
    expect(slice(x, [1, 0, 1], [1, 2, 2]).toArray()).toEqual([
      [
        [13, 14],
        [17, 18],
      ],
    ]);
    expect(slice(x, [0, 2, 3], [-1, -1, -1]).toArray()).toEqual([[[11]], [[23]]]);
    expect(slice(x, [0, 3, 0], [2, -1, 4]).shape).toEqual([2, 0, 4]);
    expect(slice(tensor(4), [], []).item()).toBe(4);
  });

  it('names the op and shapes when the block does not fit', () => {
    expectTensileError(
      () => slice(cube(), [0, 2, 0], [1, 2, 1]),
      'shape_mismatch',
      /slice: the block begin=\[0,2,0\], size=\[1,2,1\] does not fit in a tensor of shape \[2,3,4\]/,
    );
    expectTensileError(() => slice(cube(), [0, 0], [1, 1]), 'invalid_argument', /rank 3/);
    expectTensileError(() => slice(cube(), 0 as never, [1]), 'invalid_argument', /begin=0/);
    expectTensileError(() => slice(cube(), [-1, 0, 0], [1, 1, 1]), 'invalid_argument', /begin=/);
    expectTensileError(() => slice(cube(), [0, 0, 0], [1, -2, 1]), 'invalid_argument', /-1/);
  });

  it('scatters the gradient into a zero tensor', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    sum(mul(slice(x, [1], [2]), tensor([5, 7], { dtype: 'float64' }))).backward();
    expectClose(x.grad!, [0, 5, 7, 0]);
    gradcheck((t) => slice(t, [1, 0, 1], [1, 2, -1]), [rand64([2, 3, 4])]);
    gradcheck((t) => slice(t, [0, 0], [1, 1]), [rand64([1, 1])]);
    gradcheck((t) => slice(t, [0, 2], [2, 0]), [rand64([2, 3])]);
    gradcheck((t) => slice(t, [0, 0], [0, 3]), [rand64([0, 3])]);
  });
});

describe('stridedSlice', () => {
  it('matches Python slicing, negative steps included', () => {
    // Reference: numpy x = np.arange(24).reshape(2, 3, 4).
    const x = cube();
    // x[::-1, 2:0:-1, 1::2]
    expect(
      stridedSlice(x, {
        begin: [null, 2, 1],
        end: [null, 0, null],
        strides: [-1, -1, 2],
      }).toArray(),
    ).toEqual([
      [
        [21, 23],
        [17, 19],
      ],
      [
        [9, 11],
        [5, 7],
      ],
    ]);
    // x[-1:, :, -3:-1]
    expect(stridedSlice(x, { begin: [-1, 0, -3], end: [null, null, -1] }).toArray()).toEqual([
      [
        [13, 14],
        [17, 18],
        [21, 22],
      ],
    ]);
    // x[5:, 1:] clamps to an empty first axis; x[:, ::-2] keeps the last axis whole.
    expect(stridedSlice(x, { begin: [5, 1] }).shape).toEqual([0, 2, 4]);
    expect(stridedSlice(x, { strides: [1, -2] }).toArray()).toEqual([
      [
        [8, 9, 10, 11],
        [0, 1, 2, 3],
      ],
      [
        [20, 21, 22, 23],
        [12, 13, 14, 15],
      ],
    ]);
    expect(stridedSlice(arange(5), { begin: [-100], end: [100] }).toArray()).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('matches Python on every begin, end and step combination of a length-5 axis', () => {
    // Python: '|'.join(''.join(map(str, list(range(5))[b:e:s])) for b in BOUNDS for e in
    // BOUNDS for s in STEPS), with None for null.
    const BOUNDS = [null, -7, -2, 0, 3, 7];
    const STEPS = [-2, -1, 1, 3];
    const PYTHON = (
      '420|43210|01234|03|420|43210|||4|4|012|0|42|4321|||4|4|012|0|||01234|03|||01234|' +
      '03|||||||012|0|||||||012|0|||01234|03|31|3210|34|3|31|3210|||||||31|321|||||||||' +
      '34|3|0|0|01234|03|0|0|||||012|0|||||||012|0|||01234|03|31|3210|34|3|31|3210|||||' +
      '||31|321|||||||||34|3|420|43210|||420|43210|||4|4|||42|4321|||4|4||||||'
    ).split('|');
    let k = 0;
    for (const b of BOUNDS) {
      for (const e of BOUNDS) {
        for (const s of STEPS) {
          const got = stridedSlice(arange(5), { begin: [b], end: [e], strides: [s] });
          expect(Array.from(got.values).join(''), `[${b}:${e}:${s}]`).toBe(PYTHON[k++]);
        }
      }
    }
  });

  it('rejects a zero stride and too many entries', () => {
    expectTensileError(
      () => stridedSlice(cube(), { strides: [0] }),
      'invalid_argument',
      /stride=0/,
    );
    expectTensileError(
      () => stridedSlice(arange(3), { begin: [0, 0] }),
      'invalid_argument',
      /more entries than axes for a tensor of shape \[3\]/,
    );
  });

  it('has the strided scatter as its gradient', () => {
    gradcheck(
      (t) => stridedSlice(t, { begin: [null, 2, 1], end: [null, 0], strides: [-1, -1, 2] }),
      [rand64([2, 3, 4])],
    );
    gradcheck((t) => stridedSlice(t, { begin: [1], strides: [3] }), [rand64([7, 1])]);
    gradcheck((t) => stridedSlice(t, { begin: [4] }), [rand64([3, 2])]);
  });
});

describe('pad', () => {
  it('pads with zeros or a constant', () => {
    expect(pad(tensor([1, 2]), [[1, 2]]).toArray()).toEqual([0, 1, 2, 0, 0]);
    expect(
      pad(
        tensor([[1, 2]]),
        [
          [1, 0],
          [0, 1],
        ],
        { constantValue: -1 },
      ).toArray(),
    ).toEqual([
      [-1, -1, -1],
      [1, 2, -1],
    ]);
    expect(pad(tensor([true]), [[1, 0]], { constantValue: 1 }).toArray()).toEqual([true, true]);
    expect(
      pad(rand64([0, 2]), [
        [1, 1],
        [0, 0],
      ]).toArray(),
    ).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('mirrors in reflect and symmetric modes, as numpy.pad', () => {
    // np.pad([1., 2, 3], (5, 4), mode=...)
    expect(pad(tensor([1, 2, 3]), [[5, 4]], { mode: 'reflect' }).toArray()).toEqual([
      2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3,
    ]);
    expect(pad(tensor([1, 2, 3]), [[5, 4]], { mode: 'symmetric' }).toArray()).toEqual([
      2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1,
    ]);
    expect(pad(tensor([7]), [[2, 2]], { mode: 'reflect' }).toArray()).toEqual([7, 7, 7, 7, 7]);
    // np.pad(np.arange(6.).reshape(2, 3), ((1, 1), (2, 0)), mode='reflect')
    const x = reshape(arange(6), [2, 3]);
    expect(
      pad(
        x,
        [
          [1, 1],
          [2, 0],
        ],
        { mode: 'reflect' },
      ).toArray(),
    ).toEqual([
      [5, 4, 3, 4, 5],
      [2, 1, 0, 1, 2],
      [5, 4, 3, 4, 5],
      [2, 1, 0, 1, 2],
    ]);
    expectTensileError(
      () =>
        pad(
          rand64([0, 2]),
          [
            [1, 0],
            [0, 0],
          ],
          { mode: 'reflect' },
        ),
      'invalid_argument',
      /cannot reflect-pad axis 0, which is empty in shape \[0,2\]/,
    );
    expectTensileError(
      () =>
        pad(
          x,
          [
            [0, 0],
            [0, 0],
          ],
          { mode: 'edge' as never },
        ),
      'invalid_argument',
      /mode=edge/,
    );
    for (const mode of ['reflect', 'symmetric'] as const) {
      gradcheck(
        (t) =>
          pad(
            t,
            [
              [2, 1],
              [0, 4],
            ],
            { mode },
          ),
        [rand64([3, 2])],
      );
      gradcheck((t) => pad(t, [[0, 0]], { mode }), [rand64([3])]);
    }
  });

  it('rejects malformed or negative paddings', () => {
    expectTensileError(
      () => pad(rand64([2, 2]), [[1, 1]]),
      'invalid_argument',
      /one \[before, after\] pair of non-negative integers per axis of x \(shape \[2,2\]\). Received: paddings=\[\[1,1\]\]/,
    );
    expectTensileError(() => pad(rand64([2]), [[-1, 0]]), 'invalid_argument', /\[\[-1,0\]\]/);
  });

  it('slices the gradient back out', () => {
    gradcheck(
      (t) =>
        pad(
          t,
          [
            [1, 2],
            [0, 3],
          ],
          { constantValue: 2 },
        ),
      [rand64([2, 3])],
    );
    gradcheck(
      (t) =>
        pad(t, [
          [0, 0],
          [1, 1],
          [2, 0],
        ]),
      [rand64([1, 2, 1])],
    );
    gradcheck(
      (t) =>
        pad(t, [
          [1, 1],
          [0, 0],
        ]),
      [rand64([0, 2])],
    );
  });
});

describe('gather', () => {
  it('picks rows, or slices along any axis, with indices of any shape', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(gather(x, ints([2, 0, 2])).toArray()).toEqual([
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    // np.take(np.arange(12).reshape(3, 4), [[0, -1], [2, 2]], axis=1)
    const g = gather(
      reshape(arange(12), [3, 4]),
      ints([
        [0, -1],
        [2, 2],
      ]),
      { axis: 1 },
    );
    expect(g.shape).toEqual([3, 2, 2]);
    expect(g.toArray()).toEqual([
      [
        [0, 3],
        [2, 2],
      ],
      [
        [4, 7],
        [6, 6],
      ],
      [
        [8, 11],
        [10, 10],
      ],
    ]);
    expect(gather(x, tensor(1, { dtype: 'int32' })).toArray()).toEqual([3, 4]);
    expect(gather(x, tensor([1, 0])).toArray()).toEqual([
      [3, 4],
      [1, 2],
    ]);
    expect(gather(x, ints([]), { axis: -1 }).shape).toEqual([3, 0]);
  });

  it('wraps negative indices and rejects the out-of-range', () => {
    expect(gather(tensor([1, 2, 3]), ints([-1, -3])).toArray()).toEqual([3, 1]);
    expectTensileError(
      () => gather(tensor([1, 2, 3]), ints([0, 3])),
      'invalid_argument',
      /index 3 \(at flat position 1 of indices\) is out of range for axis 0 of x with shape \[3\]. Use indices in \[-3, 2\]/,
    );
    expectTensileError(() => gather(tensor([1, 2, 3]), ints([-4])), 'invalid_argument', /-4/);
    expectTensileError(() => gather(tensor([1, 2]), tensor([0.5])), 'invalid_argument', /0.5/);
    expectTensileError(() => gather(tensor(1), ints([0])), 'invalid_argument', /rank 1/);
  });

  it('adds the gradients of repeated indices', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    sum(
      mul(gather(x, ints([2, 0, 2, -1])), tensor([1, 10, 100, 1000], { dtype: 'float64' })),
    ).backward();
    expectClose(x.grad!, [10, 0, 1101]);
    gradcheck(
      (t) =>
        gather(
          t,
          ints([
            [1, 1],
            [0, -2],
          ]),
          { axis: 1 },
        ),
      [rand64([2, 3, 2])],
    );
    gradcheck((t) => gather(t, ints([0, 0])), [rand64([1])]);
    gradcheck((t) => gather(t, ints([1]), { axis: 0 }), [rand64([2, 0])]);
  });
});

describe('oneHot', () => {
  it('encodes along a new last axis, off for out-of-range indices', () => {
    expect(oneHot(ints([0, 2, 3, -1]), 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const t = oneHot(ints([[1], [0]]), 2, { onValue: 5, offValue: -1, dtype: 'int32' });
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([2, 1, 2]);
    expect(t.toArray()).toEqual([[[-1, 5]], [[5, -1]]]);
    expect(oneHot(ints([1]), 0).shape).toEqual([1, 0]);
    expect(oneHot(ints([1]), 2).requiresGrad).toBe(false);
  });

  it('rejects a bad depth or non-integer indices', () => {
    expectTensileError(() => oneHot(ints([1]), -2), 'invalid_argument', /depth=-2/);
    expectTensileError(() => oneHot(tensor([0.5]), 2), 'invalid_argument', /integers/);
  });
});
