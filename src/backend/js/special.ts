/**
 * Special functions in double precision, accurate to about 1e-15 relative, which the exact GELU
 * needs (its reference values are checked to 1e-6 relative far into the negative tail).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erf(x) for |x| < 3 by the all-positive series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)). */
function erfSeries(x: number): number {
  const x2 = x * x;
  if (x2 === 0) return TWO_OVER_SQRT_PI * x; // the loop below would not see a relative change
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 3 by its continued fraction, evaluated with the modified Lentz method. */
function erfcContinuedFraction(x: number): number {
  if (x === Infinity) return 0; // the recurrence below would give ∞/∞
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + an / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) return x < 0 ? -erfSeries(ax) : erfSeries(ax);
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 3) return erfcContinuedFraction(x);
  if (x <= -3) return 2 - erfcContinuedFraction(-x);
  return 1 - erf(x);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** Exact GELU: x·Φ(x), written with erfc so that the negative tail keeps its precision. */
export function gelu(x: number): number {
  return 0.5 * x * erfc(-x * SQRT1_2);
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
export function geluDerivative(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

const GELU_C = 0.7978845608028654; // √(2/π)
const GELU_K = 0.044715;

export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
}

export function geluTanhDerivative(x: number): number {
  const u = GELU_C * (x + GELU_K * x * x * x);
  const t = Math.tanh(u);
  const du = GELU_C * (1 + 3 * GELU_K * x * x);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
}

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) without overflow: max(x, 0) + log1p(e^(−|x|)). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
