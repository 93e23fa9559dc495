import { expect } from 'vitest';
import { Random, Tensor, grad, mul, noGrad, sum, tensor } from '../../src/index.js';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Allowed |analytic − numeric| ≤ atol + rtol·|numeric|. */
  rtol?: number;
  atol?: number;
  /** Seed of the random projection of non-scalar outputs. */
  seed?: number;
}

/**
 * Compares the gradients autograd gives for f at `inputs` against central finite differences,
 * in float64. Non-scalar outputs are projected on a fixed random tensor r, so the check covers
 * the whole vector-Jacobian product: L = Σ f(x)·r.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const eps = options.eps ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-7;
  for (const x of inputs) expect(x.dtype, 'gradcheck runs in float64').toBe('float64');

  const probe = noGrad(() => f(...inputs));
  const rng = new Random(options.seed ?? 7);
  const r = tensor(
    Float64Array.from({ length: probe.size }, () => rng.uniform() * 2 - 1),
    { shape: probe.shape },
  );
  const loss = (...xs: Tensor[]): Tensor => sum(mul(f(...xs), r));
  const analytic = grad(loss)(...inputs);

  inputs.forEach((x, which) => {
    const values = x.values as Float64Array;
    const numeric = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const saved = values[i]!;
      values[i] = saved + eps;
      const plus = noGrad(() => loss(...inputs)).item();
      values[i] = saved - eps;
      const minus = noGrad(() => loss(...inputs)).item();
      values[i] = saved;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    const got = analytic[which]!.values;
    for (let i = 0; i < x.size; i++) {
      const diff = Math.abs(got[i]! - numeric[i]!);
      const tol = atol + rtol * Math.abs(numeric[i]!);
      if (!(diff <= tol)) {
        throw new Error(
          `gradient mismatch for input ${which} at flat index ${i}: analytic ${got[i]}, ` +
            `numeric ${numeric[i]} (|diff| ${diff} > tol ${tol})`,
        );
      }
    }
  });
}

/** A float64 tensor of uniform values in [lo, hi), from a fixed seed. */
export function rand64(shape: number[], seed = 1, lo = -1, hi = 1): Tensor {
  const rng = new Random(seed);
  let n = 1;
  for (const d of shape) n *= d;
  return tensor(
    Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform()),
    { shape },
  );
}

/** Checks every element of `actual` against `expected` to a relative tolerance. */
export function expectClose(
  actual: Tensor,
  expected: number[] | Float64Array,
  rtol = 1e-6,
  atol = 1e-9,
): void {
  const got = actual.values;
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < got.length; i++) {
    const e = expected[i]!;
    const g = got[i]!;
    if (Number.isNaN(e)) {
      expect(g, `element ${i}`).toBeNaN();
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(g, `element ${i}`).toBe(e);
      continue;
    }
    const ok = Math.abs(g - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`element ${i}: got ${g}, expected ${e} (rtol ${rtol})`);
  }
}
