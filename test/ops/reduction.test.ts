import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  argMax,
  argMin,
  logSumExp,
  max,
  mean,
  min,
  norm,
  prod,
  std,
  sum,
  tensor,
  variance,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';
import { expectTensileError } from './expect-error.js';

type ReduceFn = (x: Tensor, options?: { axis?: number | number[]; keepDims?: boolean }) => Tensor;

const REDUCTIONS: Record<string, ReduceFn> = {
  sum,
  mean,
  max,
  min,
  prod,
  variance,
  std,
  logSumExp,
};

/** x = 2·sin(1.3·i) for i = 0..23, shape [2,3,4]; x[0,0,0] = 0 exercises prod with a zero. */
const sample = (): Tensor =>
  tensor(
    Float64Array.from({ length: 24 }, (_, i) => 2 * Math.sin(1.3 * i)),
    { shape: [2, 3, 4] },
  );

// numpy 1.24 on the same x: np.sum / mean / max / min / prod / var / std and
// scipy.special.logsumexp, with axis None, 0, (0, 2), -1, (1, 2); flattened results.
const EXPECTED: Record<string, number[]> = {
  'sum/all': [0.24479919221501856],
  'mean/all': [0.01019996634229244],
  'max/all': [1.9970866907492102],
  'min/all': [-1.996990061327629],
  'prod/all': [-0.0],
  'variance/all': [2.000912167613011],
  'std/all': [1.414536025562096],
  'logSumExp/all': [4.009939356759547],
  'sum/a0': [
    0.2155073045988846, 0.0688683453656469, -0.17866290116964012, -0.16445257892874632,
    0.09068115671417454, 0.21296678532747157, 0.02325557450791149, -0.2005251074477583,
    -0.13053603721210183, 0.13068863335269287, 0.20045414988488552, -0.02344613277840235,
  ],
  'mean/a0': [
    0.1077536522994423, 0.03443417268282345, -0.08933145058482006, -0.08222628946437316,
    0.04534057835708727, 0.10648339266373578, 0.011627787253955746, -0.10026255372387916,
    -0.06526801860605091, 0.06534431667634644, 0.10022707494244276, -0.011723066389201175,
  ],
  'max/a0': [
    0.2155073045988846, 1.9271163708343861, 1.031002743642928, 1.2110797394392019,
    1.8575904681544806, 0.4302399761756311, 1.9970866907492102, 0.6381967246987044,
    1.5251169009592056, 1.6546558011907573, 0.8403340736532818, 1.9735439285492267,
  ],
  'min/a0': [
    0.0, -1.8582480254687392, -1.2096656448125682, -1.3755323183679482, -1.766909311440306,
    -0.21727319084815952, -1.9738311162412987, -0.8387218321464627, -1.6556529381713074,
    -1.5239671678380644, -0.6398799237683963, -1.996990061327629,
  ],
  'prod/a0': [
    0.0, -3.5810601909514808, -1.2471685986923495, -1.665879321719256, -3.282193895024909,
    -0.0934796124541155, -3.9419118520321548, -0.535269526209169, -2.5250642781278274,
    -2.5216411150875016, -0.5377129029892479, -3.94114761090629,
  ],
  'variance/a0': [
    0.011610849583869105, 3.5822459031998313, 1.255148706755938, 1.6726404843983347,
    3.284249663070664, 0.10481832536729482, 3.9420470574685784, 0.5453221058884027,
    2.529324192380588, 2.5259109948094, 0.547758369540766, 3.941285041191856,
  ],
  'std/a0': [
    0.1077536522994423, 1.8926821981515627, 1.1203341942277483, 1.293306028903575,
    1.8122498897973933, 0.3237565835118953, 1.9854589034952546, 0.7384592784225835,
    1.5903849195652566, 1.5893114845144107, 0.7401069987108391, 1.9852669949384278,
  ],
  'logSumExp/a0': [
    0.8066950579941697, 1.949563135843378, 1.1321028318211566, 1.2836558425088238,
    1.8839036509048253, 0.8511489665647684, 2.0157672367014934, 0.8438605704766983,
    1.565830396642969, 1.6954550363819336, 1.0453861402807751, 1.9922315791989886,
  ],
  'sum/a02': [-0.058739830133854865, 0.1263784091017992, 0.17716061324707422],
  'mean/a02': [-0.007342478766731858, 0.0157973011377249, 0.022145076655884277],
  'max/a02': [1.9271163708343861, 1.9970866907492102, 1.9735439285492267],
  'min/a02': [-1.8582480254687392, -1.9738311162412987, -1.996990061327629],
  'prod/a02': [-0.0, 0.6473819165946946, 13.493632380805115],
  'variance/a02': [1.6372420321337748, 1.974755299744147, 2.3902574177634928],
  'std/a02': [1.2795475888507526, 1.4052598691146585, 1.5460457359869704],
  'logSumExp/a02': [2.771218674536456, 2.931368948232622, 3.016130161121837],
  'sum/am1': [
    1.582586796109366, 1.2986140801832395, -0.3657421038068631, -1.641326626243221,
    -1.1722356710814403, 0.5429027170539373,
  ],
  'mean/am1': [
    0.3956466990273415, 0.3246535200458099, -0.09143552595171578, -0.4103316565608052,
    -0.2930589177703601, 0.13572567926348433,
  ],
  'max/am1': [
    1.9271163708343861, 1.9970866907492102, 1.9735439285492267, 1.2110797394392019,
    1.8575904681544806, 1.6546558011907573,
  ],
  'min/am1': [
    -1.3755323183679482, -1.766909311440306, -1.6556529381713074, -1.8582480254687392,
    -1.9738311162412987, -1.996990061327629,
  ],
  'prod/am1': [
    -0.0, -0.9688945403128089, 4.184501097723632, 0.5866833463493076, -0.6681655119923439,
    3.2246693370795505,
  ],
  'variance/am1': [
    1.5106720203017292, 1.8202814073563276, 2.407814437988905, 1.4390114891275343,
    1.9384448642155687, 2.3468992909606694,
  ],
  'std/am1': [
    1.2290939835105081, 1.34917804879724, 1.5517133878358158, 1.1995880497602227, 1.392280454583619,
    1.5319592980757255,
  ],
  'logSumExp/am1': [
    2.3911684346738933, 2.3950832888820632, 2.294763397520736, 1.6197527601477684,
    2.052092644640637, 2.3504280258803867,
  ],
  'sum/a12': [2.515458772485742, -2.2706595802707232],
  'mean/a12': [0.20962156437381183, -0.18922163168922693],
  'max/a12': [1.9970866907492102, 1.8575904681544806],
  'min/a12': [-1.766909311440306, -1.996990061327629],
  'prod/a12': [0.0, -1.2640754702462806],
  'variance/a12': [1.9590803129436072, 1.9632060747595252],
  'std/a12': [1.399671501797335, 1.4011445588373548],
  'logSumExp/a12': [3.4600149716356485, 3.1495717696623626],
};

const AXES: Record<string, number | number[] | undefined> = {
  all: undefined,
  a0: 0,
  a02: [0, 2],
  am1: -1,
  a12: [1, 2],
};

describe('reductions against NumPy', () => {
  for (const [name, fn] of Object.entries(REDUCTIONS)) {
    it(`${name} over every axis pattern, with and without keepDims`, () => {
      const x = sample();
      for (const [key, axis] of Object.entries(AXES)) {
        const options = axis === undefined ? {} : { axis };
        const y = fn(x, options);
        expectClose(y, EXPECTED[`${name}/${key}`]!, 1e-12, 1e-14);
        const axes = axis === undefined ? [0, 1, 2] : [axis].flat().map((a) => (a + 3) % 3);
        expect(y.shape).toEqual(x.shape.filter((_, i) => !axes.includes(i)));
        const kept = fn(x, { ...options, keepDims: true });
        expect(kept.shape).toEqual(x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
        expectClose(kept, EXPECTED[`${name}/${key}`]!, 1e-12, 1e-14);
      }
    });
  }

  it('keeps float32 inputs float32 and sums bool and int32 in int32', () => {
    expect(sum(tensor([1, 2])).dtype).toBe('float32');
    expect(sum(tensor([true, true, false])).dtype).toBe('int32');
    expect(sum(tensor([true, true, false])).item()).toBe(2);
    expect(sum(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('int32');
    expect(mean(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(mean(tensor([1, 2], { dtype: 'int32' })).item()).toBe(1.5);
    expect(max(tensor([3, 9, 2], { dtype: 'int32' })).item()).toBe(9);
  });

  it('reduces a scalar over no axes and an empty axis list to itself', () => {
    expect(sum(tensor(3)).item()).toBe(3);
    expect(sum(rand64([2, 3]), { axis: [] }).shape).toEqual([2, 3]);
    expectTensileError(() => sum(tensor(3), { axis: 0 }), 'invalid_argument', /axis=0/);
  });

  it('rejects repeated and out-of-range axes', () => {
    expectTensileError(
      () => sum(rand64([2, 3]), { axis: [0, -2] }),
      'invalid_argument',
      /sum: repeated axis. Received: axis=\[0,-2\]/,
    );
    expectTensileError(
      () => mean(rand64([2, 3]), { axis: 2 }),
      'invalid_argument',
      /axis out of range for a tensor of rank 2. Received: axis=2/,
    );
  });
});

describe('reductions over empty axes and NaN', () => {
  const empty = () => rand64([0, 3]);

  it('follows NumPy for size-0 reductions', () => {
    expectClose(sum(empty(), { axis: 0 }), [0, 0, 0]);
    expect(sum(empty()).item()).toBe(0);
    expectClose(prod(empty(), { axis: 0 }), [1, 1, 1]);
    expectClose(mean(empty(), { axis: 0 }), [NaN, NaN, NaN]);
    expect(mean(empty()).item()).toBeNaN();
    expectClose(variance(empty(), { axis: 0 }), [NaN, NaN, NaN]);
    expectClose(logSumExp(empty(), { axis: 0 }), [-Infinity, -Infinity, -Infinity]);
    // Reducing the non-empty axis gives an empty result, not an error.
    expect(max(empty(), { axis: 1 }).shape).toEqual([0]);
    expect(argMax(empty(), { axis: 1 }).shape).toEqual([0]);
  });

  it('refuses max, min, argMax and argMin of nothing', () => {
    expectTensileError(
      () => max(empty(), { axis: 0 }),
      'invalid_argument',
      /max: cannot reduce over an empty axis of shape \[0,3\]/,
    );
    expectTensileError(() => min(empty()), 'invalid_argument', /min: cannot reduce/);
    expectTensileError(() => argMax(empty(), { axis: 0 }), 'invalid_argument', /argMax.*\[0,3\]/);
    expectTensileError(() => argMin(tensor([])), 'invalid_argument', /argMin/);
  });

  it('propagates NaN', () => {
    const x = tensor(Float64Array.from([1, NaN, 3, 4, 5, 6]), { shape: [2, 3] });
    for (const fn of [sum, mean, max, min, prod, variance, std, logSumExp]) {
      expectClose(fn(x, { axis: 1 }), [NaN, fn(tensor([4, 5, 6], { dtype: 'float64' })).item()]);
    }
    expect(max(tensor([NaN, 1, 2])).item()).toBeNaN();
    expect(min(tensor([1, NaN, 2])).item()).toBeNaN();
    // NumPy's argmax/argmin return the first NaN.
    expect(argMax(tensor([1, NaN, 5, NaN])).item()).toBe(1);
    expect(argMin(tensor([1, 0, NaN])).item()).toBe(2);
  });

  it('handles infinities in logSumExp without NaN', () => {
    expectClose(logSumExp(tensor([-Infinity, -Infinity], { dtype: 'float64' })), [-Infinity]);
    expectClose(logSumExp(tensor([Infinity, 1], { dtype: 'float64' })), [Infinity]);
    expectClose(logSumExp(tensor([1000, 1000], { dtype: 'float64' })), [1000 + Math.log(2)]);
    expectClose(logSumExp(tensor([-1000, -Infinity], { dtype: 'float64' })), [-1000]);
  });
});

describe('argMax and argMin', () => {
  it('give the first index on ties, along an axis or over the flattened tensor', () => {
    const x = sample();
    // np.argmax(x) = 6; np.argmin(x, axis=1); np.argmax(x, axis=-1)
    expect(argMax(x).item()).toBe(6);
    expect(Array.from(argMin(x, { axis: 1 }).values)).toEqual([1, 2, 2, 0, 0, 0, 1, 2]);
    expect(Array.from(argMax(x, { axis: -1 }).values)).toEqual([1, 2, 3, 3, 0, 1]);
    expect(argMax(tensor([3, 7, 7, 1])).item()).toBe(1);
    expect(argMin(tensor([[2, 1, 1]]), { axis: 1 }).toArray()).toEqual([1]);
    expect(argMax(x).dtype).toBe('int32');
  });

  it('keeps dims like NumPy', () => {
    const x = sample();
    expect(argMax(x, { axis: 1, keepDims: true }).shape).toEqual([2, 1, 4]);
    expect(argMax(x, { keepDims: true }).shape).toEqual([1, 1, 1]);
    expect(argMax(tensor([true, false, true]), {}).item()).toBe(0);
  });
});

describe('reduction gradients', () => {
  const shapes: [number[], (number | number[] | undefined)[]][] = [
    [
      [2, 3, 4],
      [undefined, 0, [0, 2], -1, [1, 2]],
    ],
    [
      [1, 3, 1],
      [undefined, 0, [0, 2], 1],
    ],
    [[5], [0]],
    [[], [undefined]],
    [
      [0, 3],
      [0, 1, undefined],
    ],
  ];
  for (const name of ['sum', 'mean', 'variance', 'std', 'logSumExp', 'prod', 'max', 'min']) {
    it(`gradchecks ${name} over several shapes and axes`, () => {
      const fn = REDUCTIONS[name]!;
      for (const [shape, axes] of shapes) {
        for (const axis of axes) {
          const x = rand64(shape, 3, 0.5, 2);
          // Empty reductions: max/min refuse; std's derivative at 0 variance is infinite.
          const count =
            axis === undefined ? x.size : [axis].flat().reduce((n, a) => n * shape.at(a)!, 1);
          if (count === 0 && (name === 'max' || name === 'min')) continue;
          if (count <= 1 && name === 'std') continue;
          for (const keepDims of [false, true]) {
            const options = axis === undefined ? { keepDims } : { axis, keepDims };
            gradcheck((t) => fn(t, options), [x]);
          }
        }
      }
    });
  }

  it('splits the max and min gradient evenly among ties', () => {
    const x = tensor(
      [
        [1, 3, 3],
        [2, 2, 2],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    sum(max(x, { axis: 1 })).backward();
    expectClose(x.grad!, [0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3]);
    const y = tensor(
      [
        [0, 0],
        [5, 0],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    min(y).backward();
    expectClose(y.grad!, [1 / 3, 1 / 3, 0, 1 / 3]);
  });

  it('gives the exact prod gradient with zeros present', () => {
    const x = tensor(
      [
        [2, 0, 3],
        [0, 0, 5],
        [2, 3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    sum(prod(x, { axis: 1 })).backward();
    // One zero: only it gets the product of the others; two zeros: all zero; none: y / x.
    expectClose(x.grad!, [0, 6, 0, 0, 0, 0, 12, 8, 6]);
    gradcheck(
      (t) => prod(t, { axis: 0 }),
      [
        tensor(
          [
            [0, 2],
            [3, 0],
            [4, 5],
          ],
          { dtype: 'float64' },
        ),
      ],
    );
    gradcheck((t) => prod(t), [tensor([0, 2, 0], { dtype: 'float64' })]);
  });
});

describe('norm', () => {
  const x = sample();
  const m = () => tensor(Float64Array.from(x.values.slice(0, 12)), { shape: [3, 4] });
  const v = () => tensor(Float64Array.from(x.values.slice(0, 4)), { shape: [4] });

  it('matches numpy.linalg.norm for vectors', () => {
    // np.linalg.norm(x[0, 0], ord=...)
    const cases: [number | undefined, number][] = [
      [undefined, 2.5824084345842433],
      [1, 4.333651432845262],
      [2, 2.5824084345842433],
      [3, 2.214194225664017],
      [0.5, 12.790780889906939],
      [Infinity, 1.9271163708343861],
      [-Infinity, 0],
      [0, 3],
    ];
    for (const [ord, want] of cases) {
      const options = ord === undefined ? {} : { ord };
      expectClose(norm(v(), options), [want], 1e-12);
    }
    // np.linalg.norm(x, axis=1)
    expectClose(
      norm(x, { axis: 1 }),
      [
        2.4213952933236116, 2.4942653973636957, 2.3994756225287217, 2.4888270040732787,
        2.4131032525164087, 2.4976347178949196, 2.401821509713831, 2.481559540297305,
      ],
      1e-12,
    );
  });

  it('matches numpy.linalg.norm for matrices', () => {
    // np.linalg.norm(x[0], ord=...)
    const cases: [number | 'fro' | undefined, number][] = [
      [undefined, 4.902678671739519],
      ['fro', 4.902678671739519],
      [1, 3.9872729716158792],
      [-1, 3.4225622496116133],
      [Infinity, 5.993498108211881],
      [-Infinity, 4.333651432845262],
    ];
    for (const [ord, want] of cases) {
      const options = ord === undefined ? {} : { ord };
      expectClose(norm(m(), options), [want], 1e-12);
    }
    // np.linalg.norm(x[0], ord=1, axis=(1, 0)) swaps rows and columns.
    expectClose(norm(m(), { ord: 1, axis: [1, 0] }), [5.993498108211881], 1e-12);
    expect(norm(x, { ord: 1, axis: [0, 2], keepDims: true }).shape).toEqual([1, 3, 1]);
    expect(norm(x, { ord: 'fro', axis: [0, 2] }).shape).toEqual([3]);
  });

  it('explains unsupported orders', () => {
    expectTensileError(() => norm(m(), { ord: 2 }), 'not_supported', /spectral norm/);
    expectTensileError(() => norm(v(), { ord: 'fro' }), 'invalid_argument', /ord=fro/);
    expectTensileError(() => norm(x, { ord: 1 }), 'invalid_argument', /1-D or 2-D/);
  });

  it('gradchecks the differentiable orders', () => {
    // x[0, 0, 0] = 0, where |x|^p is not differentiable for p < 1: check at x[0, 0, 1:4] too.
    const w = tensor(Float64Array.from(x.values.slice(1, 4)), { shape: [3] });
    for (const ord of [1, 2, 3, Infinity, -Infinity]) gradcheck((t) => norm(t, { ord }), [v()]);
    for (const ord of [0.5, -2, 1.5]) gradcheck((t) => norm(t, { ord }), [w]);
    for (const ord of [1, -1, Infinity, 'fro'] as const) gradcheck((t) => norm(t, { ord }), [m()]);
    gradcheck((t) => norm(t, { axis: [0, 2], keepDims: true }), [rand64([2, 3, 2])]);
  });
});
