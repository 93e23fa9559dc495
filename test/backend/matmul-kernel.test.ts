import { describe, expect, it } from 'vitest';
import type { MatmulParams } from '../../src/backend/backend.js';
import { matmul } from '../../src/backend/js/matmul.js';
import { Random } from '../../src/tensor/random.js';
import type { FloatArray } from '../../src/tensor/dtype.js';

/** The definition, in float64: out[b][i][j] = Σ_l op(A[b])[i][l] · op(B[b])[l][j]. */
function reference(a: FloatArray, b: FloatArray, p: MatmulParams): Float64Array {
  const { batch, m, n, k, transA, transB } = p;
  const out = new Float64Array(batch * m * n);
  for (let bt = 0; bt < batch; bt++) {
    const ao = p.aOffsets?.[bt] ?? bt * m * k;
    const bo = p.bOffsets?.[bt] ?? bt * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) {
          const av = a[ao + (transA ? l * m + i : i * k + l)]!;
          const bv = b[bo + (transB ? j * k + l : l * n + j)]!;
          s += av * bv;
        }
        out[bt * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

function params(m: number, n: number, k: number, over: Partial<MatmulParams> = {}): MatmulParams {
  return {
    batch: 1,
    m,
    n,
    k,
    transA: false,
    transB: false,
    aOffsets: null,
    bOffsets: null,
    ...over,
  };
}

function randomArray(dtype: 'float32' | 'float64', size: number, rng: Random): FloatArray {
  const out = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform() * 2 - 1;
  return out;
}

/**
 * Runs the kernel on an output prefilled with NaN (so every element must be written) and
 * compares with the float64 reference. Entries are sums of k products of values in [-1, 1],
 * so float32 rounding is bounded by about k·2⁻²⁴ per entry.
 */
function check(dtype: 'float32' | 'float64', p: MatmulParams, seed: number): void {
  const rng = new Random(seed);
  const aSize = p.aOffsets === null ? p.batch * p.m * p.k : Math.max(...p.aOffsets) + p.m * p.k;
  const bSize = p.bOffsets === null ? p.batch * p.k * p.n : Math.max(...p.bOffsets) + p.k * p.n;
  const a = randomArray(dtype, aSize, rng);
  const b = randomArray(dtype, bSize, rng);
  const out =
    dtype === 'float32'
      ? new Float32Array(p.batch * p.m * p.n)
      : new Float64Array(p.batch * p.m * p.n);
  out.fill(NaN);
  matmul(a, b, out, p);
  const want = reference(a, b, p);
  const tol = dtype === 'float32' ? 4e-7 * Math.max(p.k, 1) + 1e-6 : 1e-13 * Math.max(p.k, 1);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(out[i]! - want[i]!);
    if (!(diff <= worst)) worst = diff; // NaN propagates into `worst` and fails below
  }
  expect(worst, `max |error| for ${dtype} ${JSON.stringify(p)}`).toBeLessThanOrEqual(tol);
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('matmul kernel (ts backend)', () => {
  it('multiplies a hand-worked 2×2 product', () => {
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]]
    const out = new Float32Array(4);
    matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), out, params(2, 2, 2));
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  it('reads stored transposes: Aᵀ·Bᵀ of a 2×3 and a 3×2 stored transposed', () => {
    // A stored (k=2, m=3) = [[1,2,3],[4,5,6]], so op(A) = [[1,4],[2,5],[3,6]];
    // B stored (n=2, k=2) = [[1,0],[1,1]], so op(B) = [[1,1],[0,1]].
    const out = new Float64Array(6);
    const a = new Float64Array([1, 2, 3, 4, 5, 6]);
    const b = new Float64Array([1, 0, 1, 1]);
    matmul(a, b, out, params(3, 2, 2, { transA: true, transB: true }));
    expect(Array.from(out)).toEqual([1, 5, 2, 7, 3, 9]);
  });

  // Sizes around the 4×4 register tile, the small-product cutoff and the 128/256 cache blocks.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [7, 17, 33],
    [33, 7, 17],
    [17, 33, 7],
    [16, 16, 16],
    [5, 3, 300],
    [130, 9, 260],
    [67, 129, 257],
    [1, 200, 50],
    [200, 1, 50],
    [3, 2050, 5],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [ta, tb] of TRANSPOSES) {
      it(`matches the triple loop in ${dtype}, transA=${ta} transB=${tb}`, () => {
        shapes.forEach(([m, n, k], i) =>
          check(dtype, params(m, n, k, { transA: ta, transB: tb }), i),
        );
      });
    }
  }

  it('matches the triple loop on random shapes', () => {
    const rng = new Random(2026);
    for (let trial = 0; trial < 40; trial++) {
      const m = 1 + Math.floor(rng.uniform() * 70);
      const n = 1 + Math.floor(rng.uniform() * 70);
      const k = 1 + Math.floor(rng.uniform() * 300);
      const [ta, tb] = TRANSPOSES[trial % 4]!;
      check(
        trial % 2 === 0 ? 'float32' : 'float64',
        params(m, n, k, { transA: ta, transB: tb }),
        trial,
      );
    }
  });

  it('walks a batch stored back to back', () => {
    check('float32', params(9, 13, 21, { batch: 3 }), 1);
    check('float64', params(2, 3, 4, { batch: 4, transA: true }), 2);
  });

  it('follows batch offsets, as broadcasting one operand across the batch does', () => {
    // B shared by all three batch entries; A's entries in reverse storage order.
    const m = 20;
    const n = 11;
    const k = 30;
    const aOffsets = Int32Array.from([2, 1, 0], (x) => x * m * k);
    check('float32', params(m, n, k, { batch: 3, aOffsets, bOffsets: new Int32Array(3) }), 3);
    check('float64', params(m, n, k, { batch: 3, bOffsets: new Int32Array(3), transB: true }), 4);
    check('float32', params(3, 4, 5, { batch: 2, aOffsets: new Int32Array(2), transA: true }), 5);
  });

  it('writes zeros when the inner dimension is 0 and nothing when the output is empty', () => {
    const out = new Float32Array(6).fill(NaN);
    matmul(new Float32Array(0), new Float32Array(0), out, params(2, 3, 0, { batch: 1 }));
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const none = new Float64Array(0);
    matmul(new Float64Array(5), none, none, params(0, 0, 5));
    matmul(new Float64Array(0), new Float64Array(5), none, params(0, 5, 1, { batch: 3 }));
    expect(none.length).toBe(0);
  });

  it('keeps infinities in their own rows and columns, not in the zero padding', () => {
    // 17×17 is blocked with edge tiles; Inf in the last row of A and NaN in the last column of
    // B must reach exactly that row and that column, as in the triple loop.
    const rng = new Random(11);
    const p = params(17, 17, 17);
    const a = randomArray('float64', 17 * 17, rng);
    const b = randomArray('float64', 17 * 17, rng);
    a[16 * 17 + 3] = Infinity;
    b[5 * 17 + 16] = NaN;
    const out = new Float64Array(17 * 17);
    matmul(a, b, out, p);
    const want = reference(a, b, p);
    for (let i = 0; i < 17; i++) {
      for (let j = 0; j < 17; j++) {
        const got = out[i * 17 + j]!;
        const expected = want[i * 17 + j]!;
        expect(Number.isFinite(got), `finite at (${i}, ${j})`).toBe(i < 16 && j < 16);
        if (Number.isFinite(expected)) expect(got).toBeCloseTo(expected, 12);
        else expect(got).toBe(expected); // toBe compares with Object.is: NaN equals NaN
      }
    }
  });

  it('gives the same result for repeated calls that reuse its scratch panels', () => {
    const rng = new Random(9);
    const a = randomArray('float32', 300 * 40, rng);
    const b = randomArray('float32', 40 * 70, rng);
    const first = new Float32Array(300 * 70);
    const second = new Float32Array(300 * 70);
    matmul(a, b, first, params(300, 70, 40));
    matmul(
      randomArray('float64', 50 * 50, rng),
      randomArray('float64', 50 * 50, rng),
      new Float64Array(2500),
      params(50, 50, 50),
    );
    matmul(a, b, second, params(300, 70, 40));
    expect(second).toEqual(first);
  });
});
