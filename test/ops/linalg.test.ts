import { describe, expect, it } from 'vitest';
import { type Tensor, matmul, tensor, transpose } from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';
import { expectTensileError } from './expect-error.js';

const f64 = (values: number[][]) => tensor(values, { dtype: 'float64' });

/**
 * NumPy's matmul written out as loops, as an independent reference: vectors are promoted and
 * the promoted axis dropped, batch axes broadcast, transposes swap the last two axes first.
 */
function referenceMatmul(
  a: Tensor,
  b: Tensor,
  ta = false,
  tb = false,
): { shape: number[]; values: number[] } {
  const at =
    ta && a.rank > 1
      ? transpose(
          a,
          [...a.shape.keys()].map((i) => (i < a.rank - 2 ? i : 2 * a.rank - 3 - i)),
        )
      : a;
  const bt =
    tb && b.rank > 1
      ? transpose(
          b,
          [...b.shape.keys()].map((i) => (i < b.rank - 2 ? i : 2 * b.rank - 3 - i)),
        )
      : b;
  const as = at.rank === 1 ? [1, at.shape[0]!] : at.shape.slice();
  const bs = bt.rank === 1 ? [bt.shape[0]!, 1] : bt.shape.slice();
  const [m, k] = as.slice(-2) as [number, number];
  const n = bs[bs.length - 1]!;
  const rank = Math.max(as.length, bs.length) - 2;
  const pad = (s: number[]) => [
    ...new Array<number>(rank - (s.length - 2)).fill(1),
    ...s.slice(0, -2),
  ];
  const ab = pad(as);
  const bb = pad(bs);
  const batch = ab.map((d, i) => (d === 1 ? bb[i]! : d));
  const values: number[] = [];
  const count = batch.reduce((x, y) => x * y, 1);
  for (let flat = 0; flat < count; flat++) {
    const idx: number[] = [];
    let rem = flat;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
    }
    const offset = (dims: number[]) => dims.reduce((o, d, i) => o * d + (d === 1 ? 0 : idx[i]!), 0);
    const ao = offset(ab) * m * k;
    const bo = offset(bb) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += at.values[ao + i * k + l]! * bt.values[bo + l * n + j]!;
        values.push(s);
      }
    }
  }
  const shape = [...batch, m, n];
  if (b.rank === 1) shape.pop();
  if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
  return { shape, values };
}

describe('matmul values', () => {
  it('multiplies matrices and vectors as NumPy does', () => {
    const a = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = f64([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(matmul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    const row = tensor([1, 2], { dtype: 'float64' });
    expect(matmul(row, a).toArray()).toEqual([9, 12, 15]);
    const col = tensor([1, 0, -1], { dtype: 'float64' });
    expect(matmul(a, col).toArray()).toEqual([-2, -2]);
    const dot = matmul(col, col);
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(2);
  });

  it('broadcasts batch axes: [2,1,3,4]·[5,4,2] matches numpy', () => {
    // numpy: a = sin(0.7·arange(24) + 0.3).reshape(2,1,3,4), b = cos(0.4·arange(40)).reshape(5,4,2)
    const a = tensor(
      Float64Array.from({ length: 24 }, (_, i) => Math.sin(0.7 * i + 0.3)),
      {
        shape: [2, 1, 3, 4],
      },
    );
    const b = tensor(
      Float64Array.from({ length: 40 }, (_, i) => Math.cos(0.4 * i)),
      {
        shape: [5, 4, 2],
      },
    );
    const y = matmul(a, b);
    expect(y.shape).toEqual([2, 5, 3, 2]);
    const picks = [0, 1, 7, 30, 59].map((i) => y.values[i]!);
    expectClose(
      tensor(picks, { dtype: 'float64' }),
      [
        0.3547402443318368, -0.4720090009916229, 0.5895492464455364, 1.4218184109724494,
        1.5136334673114347,
      ],
      1e-12,
    );
  });

  const cases: [number[], number[]][] = [
    [
      [3, 4],
      [4, 2],
    ],
    [[4], [4, 2]],
    [[3, 4], [4]],
    [[4], [4]],
    [
      [2, 3, 4],
      [2, 4, 5],
    ],
    [
      [2, 3, 4],
      [4, 5],
    ],
    [
      [3, 4],
      [2, 4, 5],
    ],
    [
      [2, 2, 3, 4],
      [2, 2, 4, 1],
    ],
    [
      [2, 1, 3, 4],
      [5, 4, 2],
    ],
    [
      [1, 3, 4],
      [2, 1, 4, 2],
    ],
    [[4], [2, 3, 4, 2]],
    [[2, 3, 3, 4], [4]],
    [
      [1, 1],
      [1, 1],
    ],
    [
      [0, 4],
      [4, 2],
    ],
    [
      [3, 0],
      [0, 2],
    ],
    [
      [2, 0, 3, 4],
      [4, 2],
    ],
  ];

  it('agrees with the loop reference in every transpose case', () => {
    for (const [sa, sb] of cases) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          // Store the operands transposed when the option asks for it, so shapes stay valid.
          const swap = (s: number[], t: boolean) =>
            t && s.length > 1 ? [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] : s;
          const a = rand64(swap(sa, ta), 1);
          const b = rand64(swap(sb, tb), 2);
          const y = matmul(a, b, { transposeA: ta, transposeB: tb });
          const ref = referenceMatmul(a, b, ta, tb);
          expect(y.shape, `${sa}·${sb} ta=${ta} tb=${tb}`).toEqual(ref.shape);
          expectClose(y, ref.values, 1e-12, 1e-14);
        }
      }
    }
  });

  it('computes int32 inputs in float32', () => {
    const a = tensor([[1, 2]], { dtype: 'int32' });
    const y = matmul(a, tensor([[3], [4]], { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([[11]]);
  });
});

describe('matmul errors', () => {
  it('names both shapes when inner dimensions differ', () => {
    expectTensileError(
      () => matmul(rand64([2, 3]), rand64([4, 5])),
      'shape_mismatch',
      /matmul: inner dimensions differ: a has shape \[2,3\] and b has shape \[4,5\]; 3 ≠ 4/,
    );
    expectTensileError(
      () => matmul(rand64([4]), rand64([2, 3, 4])),
      'shape_mismatch',
      /a has shape \[4\] and b has shape \[2,3,4\]; 4 ≠ 3/,
    );
    expectTensileError(
      () => matmul(rand64([2, 3]), rand64([2, 3]), { transposeB: true, transposeA: true }),
      'shape_mismatch',
      /a has shape \[2,3\] \(transposed\) and b has shape \[2,3\] \(transposed\); 2 ≠ 3/,
    );
  });

  it('names both shapes when batch axes cannot broadcast, and refuses scalars', () => {
    expectTensileError(
      () => matmul(rand64([2, 3, 4]), rand64([3, 4, 5])),
      'shape_mismatch',
      /batch dimensions cannot be broadcast: a has shape \[2,3,4\] and b has shape \[3,4,5\]/,
    );
    expectTensileError(() => matmul(tensor(2), rand64([2])), 'shape_mismatch', /rank 1 or more/);
  });
});

describe('matmul gradients', () => {
  it('gradchecks every shape case and transpose option', () => {
    for (const [sa, sb] of [
      [
        [3, 4],
        [4, 2],
      ],
      [[4], [4, 2]],
      [[3, 4], [4]],
      [[4], [4]],
      [
        [2, 3, 4],
        [2, 4, 5],
      ],
      [
        [2, 1, 3, 4],
        [5, 4, 2],
      ],
      [
        [2, 2, 3, 2],
        [2, 1],
      ],
      [[3], [2, 3, 2]],
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0, 3],
        [3, 2],
      ],
      [
        [2, 0],
        [0, 3],
      ],
    ] as [number[], number[]][]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const swap = (s: number[], t: boolean) =>
            t && s.length > 1 ? [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!] : s;
          gradcheck(
            (a, b) => matmul(a!, b!, { transposeA: ta, transposeB: tb }),
            [rand64(swap(sa, ta), 3), rand64(swap(sb, tb), 4)],
          );
        }
      }
    }
  });

  it('gives the hand-worked gradient dL/da = dy·bᵀ', () => {
    const a = tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([[3], [4]], { dtype: 'float64', requiresGrad: true });
    matmul(a, b).backward(tensor([[2]], { dtype: 'float64' }));
    expectClose(a.grad!, [6, 8]);
    expectClose(b.grad!, [2, 4]);
  });
});
