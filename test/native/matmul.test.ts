import { it } from 'vitest';
import type { MatmulParams } from '../../src/backend/backend.js';
import { FLOATS, Random, describeNative, expectNear, randomArray, tol, ts } from './harness.js';

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

/**
 * Shapes that cross every edge of the blocked GEMM: single rows and columns, sizes off the
 * register tiles (14×32, 6×16, 4×8), k past the KC block (256 / 384) and m past MC.
 */
const SHAPES: readonly [number, number, number][] = [
  [1, 1, 1],
  [1, 33, 17],
  [17, 1, 33],
  [7, 7, 7],
  [14, 32, 5],
  [15, 33, 385],
  [33, 17, 0],
  [128, 10, 784],
  [100, 129, 257],
  [2111, 9, 3],
];

describeNative('matmul', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${dtype} transA=${transA} transB=${transB} on shapes crossing the GEMM blocks`, () => {
          const rng = new Random(31);
          for (const [m, n, k] of SHAPES) {
            const a = randomArray(ctor, m * k, rng);
            const b = randomArray(ctor, k * n, rng);
            const p = params(m, n, k, { transA, transB });
            const want = new ctor(m * n);
            const got = new ctor(m * n).fill(NaN);
            ts.matmul(a, b, want, p);
            nb.matmul(a, b, got, p);
            // float32 accumulates in float32 natively and in float64 in TS: error grows ~√k.
            const t = tol(
              ctor,
              { rtol: 1e-5, atol: 2e-6 * Math.sqrt(k + 1) },
              { rtol: 1e-12, atol: 1e-12 },
            );
            expectNear(got, want, t, `${m}x${n}x${k}`);
          }
        });
      }
    }
  }

  it('batched, with broadcast offsets and large products split over threads', () => {
    const rng = new Random(1);
    for (const [batch, m, n, k] of [
      [5, 7, 9, 11],
      [3, 70, 90, 110],
      [2, 300, 200, 100],
    ] as const) {
      // A is shared by every batch entry (offset 0); B entries are laid out in reverse.
      const a = randomArray(Float32Array, m * k, rng);
      const b = randomArray(Float32Array, batch * k * n, rng);
      const p = params(m, n, k, {
        batch,
        aOffsets: new Int32Array(batch),
        bOffsets: Int32Array.from({ length: batch }, (_, i) => (batch - 1 - i) * k * n),
      });
      const want = new Float32Array(batch * m * n);
      const got = new Float32Array(batch * m * n);
      ts.matmul(a, b, want, p);
      nb.matmul(a, b, got, p);
      expectNear(got, want, { rtol: 1e-5, atol: 2e-6 * Math.sqrt(k) }, `batch ${batch}`);

      const a2 = randomArray(Float64Array, batch * m * k, rng);
      const b2 = randomArray(Float64Array, batch * k * n, rng);
      const p2 = params(m, n, k, { batch, transA: true });
      const want2 = new Float64Array(batch * m * n);
      const got2 = new Float64Array(batch * m * n);
      ts.matmul(a2, b2, want2, p2);
      nb.matmul(a2, b2, got2, p2);
      expectNear(got2, want2, { rtol: 1e-12, atol: 1e-12 }, `f64 batch ${batch}`);
    }
  });
});
