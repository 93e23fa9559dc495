import { expect, it } from 'vitest';
import type { AdamParams } from '../../src/backend/backend.js';
import { FLOATS, ODD_SIZES, Random, describeNative, randomArray, ts } from './harness.js';

describeNative('fused optimizer updates', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    for (const amsgrad of [false, true]) {
      for (const weightDecay of [0, 0.01]) {
        it(`adam ${dtype} amsgrad=${amsgrad} weightDecay=${weightDecay}: bit-identical steps`, () => {
          const rng = new Random(17);
          for (const n of ODD_SIZES) {
            const state = () => [
              randomArray(ctor, n, rng),
              randomArray(ctor, n, rng),
              randomArray(ctor, n, rng, -0.1, 0.1),
              randomArray(ctor, n, rng, 0, 0.01),
              randomArray(ctor, n, rng, 0, 0.01),
            ];
            const [p, g, m, v, vMax] = state() as [
              Float64Array,
              Float64Array,
              Float64Array,
              Float64Array,
              Float64Array,
            ];
            const copies = [p, m, v, vMax].map((a) => a.slice());
            const [p2, m2, v2, vMax2] = copies as [
              Float64Array,
              Float64Array,
              Float64Array,
              Float64Array,
            ];
            for (let step = 1; step <= 3; step++) {
              const h: AdamParams = {
                lr: 0.01,
                beta1: 0.9,
                beta2: 0.999,
                epsilon: 1e-7,
                step,
                weightDecay,
              };
              ts.adamUpdate(p, g, m, v, amsgrad ? vMax : null, h);
              nb.adamUpdate(p2, g, m2, v2, amsgrad ? vMax2 : null, h);
            }
            // Both compute every step in double from the same stored values.
            expect(p2).toEqual(p);
            expect(m2).toEqual(m);
            expect(v2).toEqual(v);
            expect(vMax2).toEqual(vMax);
          }
        });
      }
    }

    it(`sgd ${dtype} plain, momentum and nesterov: bit-identical steps`, () => {
      const rng = new Random(18);
      for (const n of ODD_SIZES) {
        for (const [momentum, nesterov] of [
          [0, false],
          [0.9, false],
          [0.9, true],
        ] as const) {
          const p = randomArray(ctor, n, rng);
          const g = randomArray(ctor, n, rng);
          const vel = randomArray(ctor, n, rng);
          const p2 = p.slice();
          const vel2 = vel.slice();
          const h = { lr: 0.1, momentum, nesterov };
          ts.sgdUpdate(p, g, momentum === 0 ? null : vel, h);
          nb.sgdUpdate(p2, g, momentum === 0 ? null : vel2, h);
          expect(p2).toEqual(p);
          expect(vel2).toEqual(vel);
        }
      }
    });
  }
});
