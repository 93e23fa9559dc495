import { expect, it } from 'vitest';
import type { BinaryOp, UnaryOp } from '../../src/backend/backend.js';
import {
  FLOATS,
  ODD_SIZES,
  Random,
  describeNative,
  expectNear,
  randomArray,
  tol,
  ts,
} from './harness.js';

const UNARY: readonly UnaryOp[] = [
  'neg',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'abs',
  'sign',
  'square',
  'floor',
  'ceil',
  'round',
  'sin',
  'cos',
  'clip',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'silu',
];

/** Inputs that exercise both branches of every op, plus the IEEE special values. */
function unaryInput(
  ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  n: number,
  rng: Random,
) {
  const x = randomArray(ctor, n, rng, -8, 8);
  const specials = [0, -0, 0.5, -0.5, 2.5, 6, -3, 3, NaN, Infinity, -Infinity];
  for (let i = 0; i < Math.min(n, specials.length); i++) x[i] = specials[i]!;
  return x;
}

const BINARY: readonly BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
];
const COMPARE = new Set<BinaryOp>(BINARY.slice(7));

/** Output shape, and a- and b-shapes broadcast against it (size-1 dimensions repeat). */
const BROADCASTS: readonly [number[], number[], number[]][] = [
  [[1000], [1000], [1000]],
  [[33], [33], [1]],
  [[7], [1], [7]],
  [[128, 10], [128, 10], [10]],
  [
    [17, 5],
    [17, 1],
    [1, 5],
  ],
  [
    [3, 4, 33],
    [3, 1, 33],
    [4, 1],
  ],
  [
    [2, 3, 4, 5],
    [2, 1, 4, 1],
    [3, 1, 5],
  ],
  [[], [], []],
  [[0, 3], [0, 3], [3]],
];

function broadcastStrides(shape: number[], out: number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1, d = out.length - 1; i >= 0; i--, d--) {
    strides[d] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

describeNative('unary and unaryGrad', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    for (const op of UNARY) {
      it(`${op} ${dtype} on sizes 1..40000 matches the TS backend`, () => {
        const rng = new Random(11);
        // Transcendentals in float32 are computed in float (≤ 2 ulp) where TS rounds a double.
        const t = tol(ctor, { rtol: 3e-6, atol: 1e-6 }, { rtol: 1e-13, atol: 1e-15 });
        const [a, b] = op === 'clip' ? [-0.5, 0.75] : op === 'leakyRelu' ? [0.2, 0] : [1.3, 0];
        for (const n of ODD_SIZES) {
          const x = unaryInput(ctor, n, rng);
          const want = new ctor(n);
          const got = new ctor(n);
          ts.unary(op, x, want, a, b);
          nb.unary(op, x, got, a, b);
          expectNear(got, want, t, `${op}(x) n=${n}`);

          const dy = randomArray(ctor, n, rng);
          const gWant = new ctor(n);
          const gGot = new ctor(n);
          ts.unaryGrad(op, x, want, dy, gWant, a, b);
          nb.unaryGrad(op, x, want, dy, gGot, a, b);
          expectNear(gGot, gWant, t, `${op}'(x) n=${n}`);
        }
      });
    }
  }

  it('delegates dtypes it does not implement (int32 neg, logicalNot to bool) to TS', () => {
    const x = Int32Array.from([1, -2, 0, 7]);
    const got = new Int32Array(4);
    nb.unary('neg', x, got, 0, 0);
    expect(Array.from(got)).toEqual([-1, 2, 0, -7]);
    const flags = new Uint8Array(4);
    nb.unary('logicalNot', Float32Array.from([0, 1, NaN, -0]), flags, 0, 0);
    expect(Array.from(flags)).toEqual([1, 0, 0, 1]);
  });
});

describeNative('binary with broadcasting', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    for (const op of BINARY) {
      it(`${op} ${dtype} over ${BROADCASTS.length} broadcast layouts`, () => {
        const rng = new Random(5);
        for (const [out, as, bs] of BROADCASTS) {
          const a = randomArray(ctor, size(as), rng, -3, 3);
          const b = randomArray(ctor, size(bs), rng, -3, 3);
          // Ties, zeros and NaN for the comparisons and the NaN rules of maximum / minimum.
          if (a.length > 3 && b.length > 3) {
            b[0] = a[0]!;
            a[1] = 0;
            a[2] = NaN;
            b[3] = NaN;
          }
          if (op === 'pow') a.forEach((v, i) => (a[i] = Math.abs(v)));
          const ashape = broadcastStrides(as, out);
          const bshape = broadcastStrides(bs, out);
          const Out = COMPARE.has(op) ? Uint8Array : ctor;
          const want = new Out(size(out));
          const got = new Out(size(out));
          ts.binary(op, a, ashape, b, bshape, want, out);
          nb.binary(op, a, ashape, b, bshape, got, out);
          // pow rounds through double on both sides; the rest are exact IEEE operations.
          const t = op === 'pow' ? tol(ctor, { rtol: 1e-7, atol: 0 }) : { rtol: 0, atol: 0 };
          expectNear(got, want, t, `${op} out=[${out.join(',')}]`);
        }
      });
    }
  }

  it('where, through broadcast strides, for every dtype', () => {
    const rng = new Random(3);
    for (const ctor of [Float32Array, Float64Array, Int32Array, Uint8Array]) {
      const out = [4, 5, 33];
      const cond = Uint8Array.from({ length: 5 * 33 }, () => (rng.uniform() < 0.5 ? 1 : 0));
      const a = new ctor(4 * 33).map(() => Math.floor(rng.uniform() * 100));
      const b = new ctor(1).fill(7);
      const want = new ctor(size(out));
      const got = new ctor(size(out));
      const args = [cond, [0, 33, 1], a, [33, 0, 1], b, [0, 0, 0]] as const;
      ts.where(args[0], args[1], args[2], args[3], args[4], args[5], want, out);
      nb.where(args[0], args[1], args[2], args[3], args[4], args[5], got, out);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('cast between all dtypes, truncating floats and wrapping int32 as JS does', () => {
    const values = [
      0,
      -0,
      1.5,
      -1.5,
      2.9,
      -2.9,
      NaN,
      Infinity,
      -Infinity,
      3e9,
      -3e9,
      1e20,
      255,
      256,
    ];
    const ctors = [Float32Array, Float64Array, Int32Array, Uint8Array] as const;
    for (const From of ctors) {
      const x = From.from(values);
      for (const To of ctors) {
        const want = new To(x.length);
        const got = new To(x.length);
        ts.cast(x, want);
        nb.cast(x, got);
        expect(Array.from(got), `${From.name} → ${To.name}`).toEqual(Array.from(want));
      }
    }
  });
});

describeNative('copyStrided', (nb) => {
  it('transposes, slices with offsets, reverses and broadcasts like the TS kernel', () => {
    const rng = new Random(9);
    const src = randomArray(Float32Array, 4 * 17 * 33, rng);
    const cases: [number, number[], number[], number, number[]][] = [
      // transpose (4, 17, 33) → (33, 17, 4)
      [0, [1, 33, 17 * 33], [33, 17, 4], 0, [17 * 4, 4, 1]],
      // slice [1:3, 2:9, 5:30] into a contiguous block
      [17 * 33 + 2 * 33 + 5, [17 * 33, 33, 1], [2, 7, 25], 0, [7 * 25, 25, 1]],
      // negative stride: reverse the last axis
      [32, [17 * 33, 33, -1], [4, 17, 33], 0, [17 * 33, 33, 1]],
      // broadcast one row of 33 into (4, 17, 33)
      [0, [0, 0, 1], [4, 17, 33], 0, [17 * 33, 33, 1]],
      // a 0-d copy into an offset
      [5, [], [], 9, []],
    ];
    for (const [so, ss, shape, dof, ds] of cases) {
      const want = new Float32Array(src.length + 16);
      const got = new Float32Array(src.length + 16);
      ts.copyStrided(src, so, ss, shape, want, dof, ds);
      nb.copyStrided(src, so, ss, shape, got, dof, ds);
      expect(got).toEqual(want);
    }
  });

  it('copies between different dtypes through the TS backend', () => {
    const got = new Float64Array(3);
    nb.copyStrided(Int32Array.from([1, 2, 3]), 0, [1], [3], got, 0, [1]);
    expect(Array.from(got)).toEqual([1, 2, 3]);
  });
});
