import { expect, it } from 'vitest';
import type { ReduceOp } from '../../src/backend/backend.js';
import { FLOATS, Random, describeNative, expectNear, randomArray, tol, ts } from './harness.js';

/** (outer, r, inner) views: last axis, middle axis, first axis, odd and empty sizes. */
const VIEWS: readonly [number, number, number][] = [
  [1, 1, 1],
  [7, 33, 1],
  [3, 1000, 1],
  [17, 7, 33],
  [1, 17, 1000],
  [1000, 10, 1],
  [2, 0, 3],
  [0, 5, 4],
];

describeNative('reduce, argReduce, softmax', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    for (const op of ['sum', 'max', 'min', 'prod'] as ReduceOp[]) {
      it(`${op} ${dtype} over the middle axis of (outer, r, inner)`, () => {
        const rng = new Random(21);
        for (const [outer, r, inner] of VIEWS) {
          // prod of values near 1 stays finite over 1000 terms.
          const x =
            op === 'prod'
              ? randomArray(ctor, outer * r * inner, rng, 0.99, 1.01)
              : randomArray(ctor, outer * r * inner, rng);
          if (x.length > 40) x[40] = NaN;
          const want = new ctor(outer * inner);
          const got = new ctor(outer * inner);
          ts.reduce(op, x, outer, r, inner, want);
          nb.reduce(op, x, outer, r, inner, got);
          // Both sum in double; the native sum adds in a different order.
          expectNear(
            got,
            want,
            tol(ctor, { rtol: 1e-7, atol: 1e-7 }, { rtol: 1e-12, atol: 1e-12 }),
            `${op} ${outer},${r},${inner}`,
          );
        }
      });
    }

    it(`argMax / argMin ${dtype}: first index on ties, NaN wins`, () => {
      const rng = new Random(4);
      for (const [outer, r, inner] of VIEWS.filter(([, r]) => r > 0)) {
        const x = randomArray(ctor, outer * r * inner, rng);
        // Quantized values make ties common.
        x.forEach((v, i) => (x[i] = Math.round(v * 4)));
        if (x.length > 50) x[50] = NaN;
        for (const op of ['argMax', 'argMin'] as const) {
          const want = new Int32Array(outer * inner);
          const got = new Int32Array(outer * inner);
          ts.argReduce(op, x, outer, r, inner, want);
          nb.argReduce(op, x, outer, r, inner, got);
          expect(Array.from(got), `${op} ${outer},${r},${inner}`).toEqual(Array.from(want));
        }
      }
    });

    for (const log of [false, true]) {
      it(`${log ? 'logSoftmax' : 'softmax'} ${dtype} and its gradient`, () => {
        const rng = new Random(8);
        for (const [outer, r, inner] of VIEWS.filter(([, r]) => r > 0)) {
          const n = outer * r * inner;
          const x = randomArray(ctor, n, rng, -20, 20);
          if (n > 3) x[1] = -Infinity;
          const want = new ctor(n);
          const got = new ctor(n);
          ts.softmax(x, outer, r, inner, want, log);
          nb.softmax(x, outer, r, inner, got, log);
          const t = tol(ctor, { rtol: 2e-6, atol: 1e-6 }, { rtol: 1e-12, atol: 1e-13 });
          expectNear(got, want, t, `softmax ${outer},${r},${inner}`);

          const dy = randomArray(ctor, n, rng);
          const gWant = new ctor(n);
          const gGot = new ctor(n);
          ts.softmaxGrad(want, dy, outer, r, inner, gWant, log);
          nb.softmaxGrad(want, dy, outer, r, inner, gGot, log);
          expectNear(
            gGot,
            gWant,
            tol(ctor, { rtol: 1e-5, atol: 1e-5 }, { rtol: 1e-11, atol: 1e-12 }),
            'softmaxGrad',
          );
        }
      });
    }
  }

  it('gather and gatherGrad, repeated indices adding up', () => {
    const rng = new Random(2);
    for (const [outer, axisLen, inner] of [
      [1, 10, 1],
      [3, 17, 33],
      [2, 1000, 7],
      [5, 4, 1000],
    ] as const) {
      const x = randomArray(Float32Array, outer * axisLen * inner, rng);
      const indices = Int32Array.from({ length: 23 }, (_, i) => (i * 7) % axisLen);
      indices[1] = indices[0]!;
      const want = new Float32Array(outer * indices.length * inner);
      const got = new Float32Array(want.length);
      ts.gather(x, indices, outer, axisLen, inner, want);
      nb.gather(x, indices, outer, axisLen, inner, got);
      expect(got).toEqual(want);

      const gWant = new Float32Array(x.length).fill(5);
      const gGot = new Float32Array(x.length).fill(5);
      ts.gatherGrad(want, indices, outer, axisLen, inner, gWant);
      nb.gatherGrad(want, indices, outer, axisLen, inner, gGot);
      expectNear(gGot, gWant, { rtol: 1e-6, atol: 1e-7 }, 'gatherGrad');
    }
    const ints = Int32Array.from([4, 5, 6]);
    const picked = new Int32Array(2);
    nb.gather(ints, Int32Array.from([2, 0]), 1, 3, 1, picked);
    expect(Array.from(picked)).toEqual([6, 4]);
  });
});
