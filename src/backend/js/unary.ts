import type { DataArray, FloatArray } from '../../tensor/dtype.js';
import type { UnaryOp } from '../backend.js';
import * as sf from './special.js';

type UnaryLoop = (x: DataArray, out: DataArray, a: number, b: number) => void;
type GradLoop = (
  x: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  a: number,
  b: number,
) => void;

/** Builds the loop for an element function. Each op gets its own loop so V8 can inline `f`. */
function map(f: (v: number, a: number, b: number) => number): UnaryLoop {
  return (x, out, a, b) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = f(x[i]!, a, b);
  };
}

/** dx = dy · g(x, y): the derivative written in terms of the input and output. */
function mapGrad(g: (x: number, y: number, a: number, b: number) => number): GradLoop {
  return (x, y, dy, out, a, b) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * g(x[i]!, y[i]!, a, b);
  };
}

const UNARY: Record<UnaryOp, UnaryLoop> = {
  neg: map((v) => -v),
  exp: map(Math.exp),
  log: map(Math.log),
  log1p: map(Math.log1p),
  expm1: map(Math.expm1),
  sqrt: map(Math.sqrt),
  rsqrt: map((v) => 1 / Math.sqrt(v)),
  reciprocal: map((v) => 1 / v),
  abs: map(Math.abs),
  sign: map((v) => (v > 0 ? 1 : v < 0 ? -1 : v)),
  square: map((v) => v * v),
  floor: map(Math.floor),
  ceil: map(Math.ceil),
  // Rounds half to even, as NumPy and TensorFlow do.
  round: map((v) => {
    const r = Math.round(v);
    return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }),
  sin: map(Math.sin),
  cos: map(Math.cos),
  clip: map((v, lo, hi) => (v < lo ? lo : v > hi ? hi : v)),
  relu: map((v) => (v > 0 ? v : v === v ? 0 : v)),
  relu6: map((v) => (v > 6 ? 6 : v > 0 ? v : v === v ? 0 : v)),
  leakyRelu: map((v, s) => (v > 0 ? v : v * s)),
  elu: map((v, al) => (v > 0 ? v : al * Math.expm1(v))),
  selu: map((v) => (v > 0 ? sf.SELU_SCALE * v : sf.SELU_SCALE * sf.SELU_ALPHA * Math.expm1(v))),
  gelu: map(sf.gelu),
  geluTanh: map(sf.geluTanh),
  sigmoid: map(sf.sigmoid),
  hardSigmoid: map((v) => {
    const r = v / 6 + 0.5;
    return r < 0 ? 0 : r > 1 ? 1 : r;
  }),
  tanh: map(Math.tanh),
  softplus: map(sf.softplus),
  softsign: map((v) => v / (1 + Math.abs(v))),
  silu: map((v) => v * sf.sigmoid(v)),
  logicalNot: map((v) => (v === 0 ? 1 : 0)),
  isNaN: map((v) => (v !== v ? 1 : 0)),
};

const zero = (): number => 0;

const UNARY_GRAD: Record<UnaryOp, GradLoop> = {
  neg: mapGrad(() => -1),
  exp: mapGrad((_x, y) => y),
  log: mapGrad((x) => 1 / x),
  log1p: mapGrad((x) => 1 / (1 + x)),
  expm1: mapGrad((_x, y) => y + 1),
  sqrt: mapGrad((_x, y) => 0.5 / y),
  rsqrt: mapGrad((x, y) => (-0.5 * y) / x),
  reciprocal: mapGrad((_x, y) => -y * y),
  // sign(x), so 0 at the kink (TensorFlow, PyTorch) and NaN for NaN.
  abs: mapGrad((x) => (x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : NaN)),
  sign: mapGrad(zero),
  square: mapGrad((x) => 2 * x),
  floor: mapGrad(zero),
  ceil: mapGrad(zero),
  round: mapGrad(zero),
  sin: mapGrad((x) => Math.cos(x)),
  cos: mapGrad((x) => -Math.sin(x)),
  // The gradient passes where the bounds are not active, boundaries included (as TF and torch).
  clip: mapGrad((x, _y, lo, hi) => (x >= lo && x <= hi ? 1 : 0)),
  relu: mapGrad((x) => (x > 0 ? 1 : 0)),
  relu6: mapGrad((x) => (x > 0 && x < 6 ? 1 : 0)),
  leakyRelu: mapGrad((x, _y, s) => (x > 0 ? 1 : s)),
  elu: mapGrad((x, y, al) => (x > 0 ? 1 : y + al)),
  selu: mapGrad((x, y) => (x > 0 ? sf.SELU_SCALE : y + sf.SELU_SCALE * sf.SELU_ALPHA)),
  gelu: mapGrad(sf.geluDerivative),
  geluTanh: mapGrad(sf.geluTanhDerivative),
  sigmoid: mapGrad((_x, y) => y * (1 - y)),
  hardSigmoid: mapGrad((x) => (x > -3 && x < 3 ? 1 / 6 : 0)),
  tanh: mapGrad((_x, y) => 1 - y * y),
  softplus: mapGrad((x) => sf.sigmoid(x)),
  softsign: mapGrad((x) => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  }),
  silu: mapGrad((x) => {
    const s = sf.sigmoid(x);
    return s * (1 + x * (1 - s));
  }),
  logicalNot: mapGrad(zero),
  isNaN: mapGrad(zero),
};

export function unary(op: UnaryOp, x: DataArray, out: DataArray, a: number, b: number): void {
  UNARY[op](x, out, a, b);
}

export function unaryGrad(
  op: UnaryOp,
  x: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  a: number,
  b: number,
): void {
  UNARY_GRAD[op](x, y, dy, out, a, b);
}
