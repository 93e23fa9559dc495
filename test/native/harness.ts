import { describe, expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { tsBackend } from '../../src/backend/js/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { createNativeBackend } from '../../src/backend/native/backend.js';
import type { FloatArray } from '../../src/tensor/dtype.js';
import { Random } from '../../src/tensor/random.js';

/*
 * Parity harness: the native backend against the TypeScript backend, kernel by kernel, on
 * random inputs. Both backends are created directly, whatever TENSILE_BACKEND says, and the
 * native tests are skipped cleanly when the addon is not built.
 */

const load = loadAddon();
export const addonBuilt = load.ok;
export const addon = load.ok ? load.addon : null;
export const native: Backend | null = load.ok ? createNativeBackend(load.addon, tsBackend) : null;
export const ts: Backend = tsBackend;

/** describe() that is skipped, with the reason in its name, when the addon is not built. */
export function describeNative(name: string, body: (nb: Backend) => void): void {
  describe.skipIf(native === null)(`${name} (native vs ts)`, () => body(native ?? tsBackend));
}

/** Sizes around the vector widths (4, 8, 16 lanes) and the thread pool's grain. */
export const ODD_SIZES = [1, 7, 17, 33, 1000, 40_000] as const;

export type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
export const FLOATS: readonly [string, Ctor][] = [
  ['float32', Float32Array],
  ['float64', Float64Array],
];

export function randomArray(ctor: Ctor, n: number, rng: Random, lo = -1, hi = 1): FloatArray {
  const out = new ctor(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.uniform();
  return out;
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Tolerances by float type: float32 kernels may round differently from the float64-based TS. */
export function tol(
  ctor: Ctor,
  f32: Tolerance,
  f64: Tolerance = { rtol: 1e-12, atol: 1e-12 },
): Tolerance {
  return ctor === Float32Array ? f32 : f64;
}

/** |got − want| ≤ atol + rtol·|want| everywhere, NaN matching NaN; names the first mismatch. */
export function expectNear(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  t: Tolerance,
  what = '',
): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) expect(g, `${what} element ${i}`).toBe(w);
      continue;
    }
    if (g === w) continue;
    if (!(Math.abs(g - w) <= t.atol + t.rtol * Math.abs(w))) {
      expect(g, `${what} element ${i} (want ${w})`).toBeCloseTo(w, 12);
    }
  }
}

export { Random };
