import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  type TensorLike,
  TensileError,
  abs,
  add,
  cast,
  ceil,
  clip,
  cos,
  div,
  equal,
  exp,
  expm1,
  floor,
  greater,
  greaterEqual,
  isNaN,
  less,
  lessEqual,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  round,
  rsqrt,
  sign,
  sin,
  sqrt,
  square,
  sub,
  sum,
  tensor,
  where,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

const f64 = (values: number[], shape?: number[]): Tensor =>
  tensor(Float64Array.from(values), shape === undefined ? {} : { shape });

/** Gradients of sum(f(...inputs)·w) with respect to each input (w = 1 when omitted). */
function grads(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], w?: Tensor): Tensor[] {
  const leaves = inputs.map((x) =>
    tensor(Float64Array.from(x.values), { shape: x.shape, requiresGrad: true }),
  );
  const y = f(...leaves);
  sum(w === undefined ? y : mul(y, w)).backward();
  return leaves.map((l) => l.grad!);
}

const X = [-2.5, -1.5, -0.3, 0, 0.5, 1, 2.5, 7];
const POSITIVE = [0.01, 0.3, 1, 2.5, 100];
const ABOVE_MINUS_ONE = [-0.9, -0.3, 0, 1e-10, 2.5];

// References: PyTorch 1.13 in float64, values of torch.<op> and derivatives by torch.autograd of
// the sum, printed with repr (clip is torch.clamp(x, -1.5, 1), round is torch.round).
const UNARY: { name: string; f: (x: Tensor) => Tensor; x: number[]; y: number[]; dy: number[] }[] =
  [
    { name: 'neg', f: neg, x: X, y: X.map((v) => -v), dy: X.map(() => -1) },
    {
      name: 'exp',
      f: exp,
      x: X,
      y: [
        0.0820849986238988, 0.22313016014842982, 0.7408182206817179, 1, 1.6487212707001282,
        2.718281828459045, 12.182493960703473, 1096.6331584284585,
      ],
      dy: [
        0.0820849986238988, 0.22313016014842982, 0.7408182206817179, 1, 1.6487212707001282,
        2.718281828459045, 12.182493960703473, 1096.6331584284585,
      ],
    },
    {
      name: 'log',
      f: log,
      x: POSITIVE,
      y: [-4.605170185988091, -1.2039728043259361, 0, 0.9162907318741551, 4.605170185988092],
      dy: [100, 3.3333333333333335, 1, 0.4, 0.01],
    },
    {
      name: 'log1p',
      f: log1p,
      x: ABOVE_MINUS_ONE,
      y: [-2.302585092994046, -0.35667494393873234, 0, 9.999999999500001e-11, 1.252762968495368],
      dy: [10.000000000000002, 1.4285714285714286, 1, 0.9999999999, 0.2857142857142857],
    },
    {
      name: 'expm1',
      f: expm1,
      x: X,
      y: [
        -0.9179150013761012, -0.7768698398515702, -0.2591817793182821, 0, 0.6487212707001282,
        1.7182818284590453, 11.182493960703473, 1095.6331584284585,
      ],
      dy: [
        0.08208499862389884, 0.2231301601484298, 0.7408182206817179, 1, 1.6487212707001282,
        2.7182818284590455, 12.182493960703473, 1096.6331584284585,
      ],
    },
    {
      name: 'sqrt',
      f: sqrt,
      x: POSITIVE,
      y: [0.1, 0.5477225575051661, 1, 1.5811388300841898, 10],
      dy: [5, 0.9128709291752769, 0.5, 0.31622776601683794, 0.05],
    },
    {
      name: 'rsqrt',
      f: rsqrt,
      x: POSITIVE,
      y: [10, 1.8257418583505538, 1, 0.6324555320336759, 0.1],
      dy: [-500, -3.0429030972509232, -0.5, -0.1264911064067352, -0.0005000000000000001],
    },
    {
      name: 'reciprocal',
      f: reciprocal,
      x: POSITIVE,
      y: [100, 3.3333333333333335, 1, 0.4, 0.01],
      dy: [-10000, -11.111111111111112, -1, -0.16000000000000003, -0.0001],
    },
    {
      name: 'abs (gradient 0 at 0)',
      f: abs,
      x: X,
      y: [2.5, 1.5, 0.3, 0, 0.5, 1, 2.5, 7],
      dy: [-1, -1, -1, 0, 1, 1, 1, 1],
    },
    { name: 'sign', f: sign, x: X, y: [-1, -1, -1, 0, 1, 1, 1, 1], dy: X.map(() => 0) },
    {
      name: 'square',
      f: square,
      x: X,
      y: [6.25, 2.25, 0.09, 0, 0.25, 1, 6.25, 49],
      dy: [-5, -3, -0.6, 0, 1, 2, 5, 14],
    },
    { name: 'floor', f: floor, x: X, y: [-3, -2, -1, 0, 0, 1, 2, 7], dy: X.map(() => 0) },
    { name: 'ceil', f: ceil, x: X, y: [-2, -1, -0, 0, 1, 1, 3, 7], dy: X.map(() => 0) },
    {
      name: 'round (half to even)',
      f: round,
      x: X,
      y: [-2, -2, -0, 0, 0, 1, 2, 7],
      dy: X.map(() => 0),
    },
    {
      name: 'sin',
      f: sin,
      x: X,
      y: [
        -0.5984721441039564, -0.9974949866040544, -0.29552020666133955, 0, 0.479425538604203,
        0.8414709848078965, 0.5984721441039564, 0.6569865987187891,
      ],
      dy: [
        -0.8011436155469337, 0.0707372016677029, 0.955336489125606, 1, 0.8775825618903728,
        0.5403023058681398, -0.8011436155469337, 0.7539022543433046,
      ],
    },
    {
      name: 'cos',
      f: cos,
      x: X,
      y: [
        -0.8011436155469337, 0.0707372016677029, 0.955336489125606, 1, 0.8775825618903728,
        0.5403023058681398, -0.8011436155469337, 0.7539022543433046,
      ],
      dy: [
        0.5984721441039564, 0.9974949866040544, 0.29552020666133955, -0, -0.479425538604203,
        -0.8414709848078965, -0.5984721441039564, -0.6569865987187891,
      ],
    },
    {
      // The gradient passes at the bounds themselves (−1.5 and 1 are inputs), as in TF and torch.
      name: 'clip to [-1.5, 1] (bounds inclusive)',
      f: (x) => clip(x, -1.5, 1),
      x: X,
      y: [-1.5, -1.5, -0.3, 0, 0.5, 1, 1, 1],
      dy: [0, 1, 1, 1, 1, 1, 0, 0],
    },
  ];

describe('unary ops', () => {
  for (const c of UNARY) {
    it(`${c.name}: values and derivatives match torch in float64`, () => {
      const x = f64(c.x);
      expectClose(c.f(x), c.y, 1e-12, 1e-300);
      expectClose(grads(c.f, [x])[0]!, c.dy, 1e-12, 1e-300);
    });
  }

  it('pass gradcheck on [2,3], [1], scalar and empty [0,2] inputs', () => {
    const smooth: [(x: Tensor) => Tensor, number, number][] = [
      [neg, -2, 2],
      [exp, -2, 2],
      [log, 0.2, 3],
      [log1p, -0.5, 2],
      [expm1, -2, 2],
      [sqrt, 0.2, 3],
      [rsqrt, 0.2, 3],
      [reciprocal, 0.2, 3],
      [abs, 0.1, 2],
      [abs, -2, -0.1],
      [square, -2, 2],
      [sin, -3, 3],
      [cos, -3, 3],
      [(x) => clip(x, -0.5, 0.5), -1, 1],
      [(x) => pow(x, 3), -2, 2],
      [(x) => pow(2, x), -2, 2],
      [(x) => div(1, x), 0.5, 2],
      [(x) => sub(1, x), -2, 2],
    ];
    for (const shape of [[2, 3], [1], [], [0, 2]]) {
      for (const [f, lo, hi] of smooth) gradcheck(f, [rand64(shape, 4, lo, hi)]);
    }
  });

  it('keep integer dtypes where the result is an integer, and use float32 otherwise', () => {
    const i = tensor([-3, 0, 4], { dtype: 'int32' });
    for (const f of [neg, abs, sign, square, floor, ceil, round]) expect(f(i).dtype).toBe('int32');
    expect(Array.from(neg(i).values)).toEqual([3, 0, -4]);
    expect(clip(i, -1, 2).dtype).toBe('int32');
    expect(clip(i, -Infinity, 2).dtype).toBe('int32');
    expectClose(clip(i, -1.5, 2.5), [-1.5, 0, 2.5]);
    expect(() => clip(i, NaN, 1)).toThrow(/clip: min and max must be numbers. Received: min=NaN/);
    expect(sqrt(i).dtype).toBe('float32');
    expectClose(exp(i), [0.049787068367863944, 1, 54.598150033144236], 1e-6);
    const b = tensor([true, false]);
    expect(neg(b).dtype).toBe('int32');
    expect(Array.from(neg(b).values)).toEqual([-1, 0]);
  });
});

// a = [[0.5,-1.25,2],[3,0.75,-0.4]] meets b = [1.5,0.25,-2] along the last axis; the gradients
// are of sum(f(a,b)·w) with w = [[1,-2,0.5],[0.25,3,-1]], by torch.autograd. pow uses |a|.
const A = f64([0.5, -1.25, 2, 3, 0.75, -0.4], [2, 3]);
const A_POS = f64([0.5, 1.25, 2, 3, 0.75, 0.4], [2, 3]);
const B = f64([1.5, 0.25, -2]);
const W = f64([1, -2, 0.5, 0.25, 3, -1], [2, 3]);

const BINARY: {
  name: string;
  f: (a: Tensor, b: Tensor) => Tensor;
  a: Tensor;
  y: number[];
  da: number[];
  db: number[];
}[] = [
  {
    name: 'add',
    f: add,
    a: A,
    y: [2, -1, 0, 4.5, 1, -2.4],
    da: [1, -2, 0.5, 0.25, 3, -1],
    db: [1.25, 1, -0.5],
  },
  {
    name: 'sub',
    f: sub,
    a: A,
    y: [-1, -1.5, 4, 1.5, 0.5, 1.6],
    da: [1, -2, 0.5, 0.25, 3, -1],
    db: [-1.25, -1, 0.5],
  },
  {
    name: 'mul',
    f: mul,
    a: A,
    y: [0.75, -0.3125, -4, 4.5, 0.1875, 0.8],
    da: [1.5, -0.5, -1, 0.375, 0.75, 2],
    db: [1.25, 4.75, 1.4],
  },
  {
    name: 'div',
    f: div,
    a: A,
    y: [0.3333333333333333, -5, -1, 2, 3, 0.2],
    da: [0.6666666666666666, -8, -0.25, 0.16666666666666666, 12, 0.5],
    db: [-0.5555555555555556, -76, -0.35],
  },
  {
    name: 'pow',
    f: pow,
    a: A_POS,
    y: [
      0.3535533905932738, 1.057371263440564, 0.25, 5.196152422706632, 0.9306048591020996,
      6.249999999999999,
    ],
    da: [
      1.0606601717798214, -0.42294850537622564, -0.125, 0.649519052838329, 0.9306048591020997,
      31.249999999999996,
    ],
    db: [1.1820746904773822, -1.2750461610640094, 5.813460471783461],
  },
  {
    name: 'maximum',
    f: maximum,
    a: A,
    y: [1.5, 0.25, 2, 3, 0.75, -0.4],
    da: [0, 0, 0.5, 0.25, 3, -1],
    db: [1, -2, 0],
  },
  {
    name: 'minimum',
    f: minimum,
    a: A,
    y: [0.5, -1.25, -2, 1.5, 0.25, -2],
    da: [1, -2, 0, 0, 0, 0],
    db: [0.25, 3, -0.5],
  },
];

const broadcastPairs: [number[], number[]][] = [
  [[2, 3], [3]],
  [
    [2, 1],
    [1, 4],
  ],
  [[], [3]],
  [[3], []],
  [[1], [1]],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [[0, 3], [3]],
  [
    [2, 0],
    [2, 1],
  ],
];

describe('binary ops', () => {
  for (const c of BINARY) {
    it(`${c.name}: values and both gradients match torch with [2,3] meeting [3]`, () => {
      expectClose(c.f(c.a, B), c.y, 1e-12);
      const [da, db] = grads(c.f, [c.a, B], W);
      expectClose(da!, c.da, 1e-12);
      expectClose(db!, c.db, 1e-12);
    });
  }

  const differentiable: [string, (a: Tensor, b: Tensor) => Tensor, number][] = [
    ['add', add, -2],
    ['sub', sub, -2],
    ['mul', mul, -2],
    ['div', div, 0.5],
    ['pow', pow, 0.5],
    ['maximum', maximum, -2],
    ['minimum', minimum, -2],
    ['where', (a, b) => where(greater(a, 0), a, b), -2],
  ];
  for (const [name, f, lo] of differentiable) {
    it(`${name}: gradcheck with broadcasting, size-1, scalar and size-0 dimensions`, () => {
      for (const [sa, sb] of broadcastPairs) {
        gradcheck(f, [rand64(sa, 1, lo, 2), rand64(sb, 2, lo, 2)]);
      }
    });
  }

  it('send ties of maximum and minimum to the first argument, as TensorFlow does', () => {
    const a = f64([1, 2, 3]);
    const b = f64([1, 0, 3]);
    for (const f of [maximum, minimum]) {
      const [da, db] = grads(f, [a, b]);
      expect(Array.from(da!.values)).toEqual(f === maximum ? [1, 1, 1] : [1, 0, 1]);
      expect(Array.from(db!.values)).toEqual(f === maximum ? [0, 0, 0] : [0, 1, 0]);
    }
  });

  it('take plain numbers on either side', () => {
    const x = f64([1, 2, 4]);
    expectClose(sub(10, x), [9, 8, 6]);
    expectClose(div(x, 2), [0.5, 1, 2]);
    expectClose(pow(2, x), [2, 4, 16]);
    expectClose(maximum(x, 1.5), [1.5, 2, 4]);
    const [g] = grads((v) => div(1, v), [x]);
    expectClose(g!, [-1, -0.25, -0.0625]);
  });

  it('give pow a zero gradient in the exponent where the base is not positive', () => {
    const [, db] = grads(pow, [f64([0, -2]), f64([2, 2])]);
    expect(Array.from(db!.values)).toEqual([0, 0]);
  });
});

describe('where', () => {
  it('picks with broadcasting over condition and both branches, and routes the gradient', () => {
    const cond = tensor([[true], [false]]);
    const a = f64([1, 2, 3]);
    const b = f64([10, 20], [2, 1]);
    const y = where(cond, a, b);
    expect(y.shape).toEqual([2, 3]);
    expectClose(y, [1, 2, 3, 20, 20, 20]);
    const [da, db] = grads((x, z) => where(cond, x, z), [a, b]);
    expectClose(da!, [1, 1, 1]);
    expectClose(db!, [0, 3]);
  });

  it('accepts numbers and a numeric condition (nonzero is true)', () => {
    expectClose(where(tensor([0, 2, -1]), 1, 0), [0, 1, 1]);
    expect(where(tensor([true]), tensor([1], { dtype: 'int32' }), 0.5).dtype).toBe('float32');
  });
});

describe('comparisons and logic', () => {
  const a = f64([1, 2, 3, NaN], [2, 2]);
  const b = f64([2, 2]);
  const table: [string, (x: TensorLike, y: TensorLike) => Tensor, boolean[]][] = [
    ['equal', equal, [false, true, false, false]],
    ['notEqual', notEqual, [true, false, true, true]],
    ['less', less, [true, false, false, false]],
    ['lessEqual', lessEqual, [true, true, false, false]],
    ['greater', greater, [false, false, true, false]],
    ['greaterEqual', greaterEqual, [false, true, true, false]],
  ];
  for (const [name, f, expected] of table) {
    it(`${name} broadcasts, gives bool and treats NaN as IEEE says`, () => {
      const y = f(a, b);
      expect(y.dtype).toBe('bool');
      expect(y.toArray()).toEqual([expected.slice(0, 2), expected.slice(2)]);
      expect(y.requiresGrad).toBe(false);
    });
  }

  it('logicalAnd, logicalOr, logicalNot and isNaN', () => {
    const p = tensor([true, true, false, false]);
    const q = tensor([true, false, true, false]);
    expect(logicalAnd(p, q).toArray()).toEqual([true, false, false, false]);
    expect(logicalOr(p, q).toArray()).toEqual([true, true, true, false]);
    expect(logicalNot(p).toArray()).toEqual([false, false, true, true]);
    expect(isNaN(f64([NaN, Infinity, 0])).toArray()).toEqual([true, false, false]);
  });

  it('compare an int32 tensor with a fraction without rounding the fraction', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(greater(i, 1.5).toArray()).toEqual([false, true]);
    expect(equal(i, 2).toArray()).toEqual([false, true]);
  });
});

describe('IEEE special values', () => {
  it('flow through arithmetic without a crash', () => {
    const inf = f64([Infinity, -Infinity, NaN, 0, 1, -1]);
    expectClose(add(inf, f64([-Infinity, -Infinity, 1, 0, Infinity, 0])), [
      NaN,
      -Infinity,
      NaN,
      0,
      Infinity,
      -1,
    ]);
    expectClose(mul(inf, 0), [NaN, NaN, NaN, 0, 0, -0]);
    expectClose(div(f64([1, -1, 0]), 0), [Infinity, -Infinity, NaN]);
    expectClose(log(f64([0, -1, Infinity])), [-Infinity, NaN, Infinity]);
    expectClose(sqrt(f64([-1, Infinity])), [NaN, Infinity]);
    expectClose(exp(f64([Infinity, -Infinity, NaN])), [Infinity, 0, NaN]);
    expectClose(pow(f64([0, 0, NaN]), f64([-1, 0, 0])), [Infinity, 1, 1]);
    expectClose(sign(f64([NaN, -0])), [NaN, -0]);
    expectClose(clip(f64([NaN, Infinity, -Infinity]), -1, 1), [NaN, 1, -1]);
    expectClose(round(f64([NaN, Infinity])), [NaN, Infinity]);
  });

  it('propagate NaN through maximum and minimum from either side, as NumPy does', () => {
    expectClose(maximum(f64([NaN, 1]), f64([1, NaN])), [NaN, NaN]);
    expectClose(minimum(f64([NaN, 1]), f64([1, NaN])), [NaN, NaN]);
  });

  it('give IEEE gradients at the edges: sqrt′(0) = ∞, log′(0) = ∞', () => {
    expectClose(grads(sqrt, [f64([0])])[0]!, [Infinity]);
    expectClose(grads(log, [f64([0])])[0]!, [Infinity]);
    expectClose(grads((x) => mul(x, x), [f64([NaN])])[0]!, [NaN]);
    expectClose(grads(abs, [f64([NaN, -0])])[0]!, [NaN, 0]);
  });
});

describe('dtype promotion', () => {
  const i32 = tensor([1, 2, 7], { dtype: 'int32' });
  const f32 = tensor([0.5, 0.5, 0.5]);
  const bools = tensor([true, false, true]);
  const cases: [string, () => Tensor, string, number[]][] = [
    ['int32 + float32 → float32', () => add(i32, f32), 'float32', [1.5, 2.5, 7.5]],
    ['float32 + float64 → float64', () => add(f32, f64([1, 1, 1])), 'float64', [1.5, 1.5, 1.5]],
    ['bool + bool → int32', () => add(bools, bools), 'int32', [2, 0, 2]],
    ['bool · 3 → int32', () => mul(bools, 3), 'int32', [3, 0, 3]],
    ['bool + 0.5 → float32', () => add(bools, 0.5), 'float32', [1.5, 0.5, 1.5]],
    ['bool + int32 → int32', () => add(bools, i32), 'int32', [2, 2, 8]],
    ['int32 + 2 → int32', () => add(i32, 2), 'int32', [3, 4, 9]],
    ['2 − int32 → int32', () => sub(2, i32), 'int32', [1, 0, -5]],
    ['int32 + 2.5 → float32', () => add(i32, 2.5), 'float32', [3.5, 4.5, 9.5]],
    [
      'int32 / int32 → float32 (true division)',
      () => div(i32, tensor([2, 2, 2], { dtype: 'int32' })),
      'float32',
      [0.5, 1, 3.5],
    ],
    ['int32 ** 2 → int32', () => pow(i32, 2), 'int32', [1, 4, 49]],
    ['maximum(int32, bool) → int32', () => maximum(i32, bools), 'int32', [1, 2, 7]],
    ['float32 + 0.1 → float32', () => add(f32, 0.1), 'float32', [0.6, 0.6, 0.6]],
    ['number + number → float32 scalar', () => add(1, 2), 'float32', [3]],
  ];
  for (const [name, f, dtype, values] of cases) {
    it(name, () => {
      const y = f();
      expect(y.dtype).toBe(dtype);
      expectClose(y, values, 1e-6);
    });
  }

  it('cast truncates floats toward zero, maps nonzero to true, and keeps float gradients', () => {
    const x = f64([-1.7, -0.2, 0, 1.7]);
    expect(Array.from(cast(x, 'int32').values)).toEqual([-1, 0, 0, 1]);
    expect(cast(x, 'bool').toArray()).toEqual([true, true, false, true]);
    expect(cast(x, 'float64')).toBe(x);
    const [g] = grads((v) => mul(cast(v, 'float32'), 3), [x]);
    expect(g!.dtype).toBe('float64');
    expectClose(g!, [3, 3, 3, 3]);
    expect(cast(tensor([1.5], { requiresGrad: true }), 'int32').requiresGrad).toBe(false);
  });
});

describe('argument errors', () => {
  it('name the op and both shapes when broadcasting fails', () => {
    const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f64([1, 2, 3, 4]);
    const ops: [string, () => Tensor][] = [
      ['add', () => add(a, b)],
      ['mul', () => mul(b, a)],
      ['maximum', () => maximum(a, b)],
      ['greater', () => greater(a, b)],
      ['where', () => where(tensor([true, false]), a, a)],
    ];
    for (const [name, run] of ops) {
      try {
        run();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TensileError);
        expect((e as TensileError).code).toBe('shape_mismatch');
        expect((e as Error).message).toMatch(
          new RegExp(`^${name}: shapes \\[[\\d,]+\\] and \\[[\\d,]+\\]`),
        );
      }
    }
    expect(() => add(a, b)).toThrow(
      'add: shapes [2,3] and [4] cannot be broadcast together (dimension -1 is 3 against 4)',
    );
  });

  it('name the op and argument when given something other than a tensor', () => {
    expect(() => add([1, 2] as unknown as Tensor, 1)).toThrow(
      /add: a must be a Tensor. Received: a=an array of length 2/,
    );
    expect(() => exp(3 as unknown as Tensor)).toThrow(/exp: x must be a Tensor/);
  });
});
