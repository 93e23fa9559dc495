import { describe, expect, it } from 'vitest';
import { TensileError, matmul, transpose } from '../../src/index.js';
import * as initializers from '../../src/initializers/index.js';
import * as regularizers from '../../src/regularizers/index.js';
import * as constraints from '../../src/constraints/index.js';
import { tensor } from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';

function stats(values: ArrayLike<number>): {
  mean: number;
  variance: number;
  min: number;
  max: number;
} {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    s += values[i]!;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const mean = s / values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i]! - mean) ** 2;
  return { mean, variance: v / values.length, min, max };
}

describe('initializers', () => {
  it('compute fans as Keras, with the receptive field for conv kernels', () => {
    expect(initializers.computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(initializers.computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(initializers.computeFans([5])).toEqual({ fanIn: 5, fanOut: 5 });
  });

  // Variance targets: scale / n with n = fan_in (400), fan_avg ((400 + 300) / 2 = 350).
  const cases: [string, initializers.Initializer, number, number | null][] = [
    ['glorotUniform', initializers.glorotUniform({ seed: 1 }), 1 / 350, Math.sqrt(3 / 350)],
    ['glorotNormal', initializers.glorotNormal({ seed: 1 }), 1 / 350, null],
    ['heUniform', initializers.heUniform({ seed: 1 }), 2 / 400, Math.sqrt(6 / 400)],
    ['heNormal', initializers.heNormal({ seed: 1 }), 2 / 400, null],
    ['lecunUniform', initializers.lecunUniform({ seed: 1 }), 1 / 400, Math.sqrt(3 / 400)],
    ['lecunNormal', initializers.lecunNormal({ seed: 1 }), 1 / 400, null],
  ];
  for (const [name, init, variance, limit] of cases) {
    it(`${name} draws with variance scale/n`, () => {
      const w = init.call([400, 300]);
      const s = stats(w.values);
      // 120,000 draws: the sample variance is within 3% of the target.
      expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.03);
      expect(Math.abs(s.mean)).toBeLessThan(0.01 * Math.sqrt(variance) * 10);
      if (limit !== null) expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(limit);
      else {
        // Truncated at two standard deviations of the untruncated normal.
        const sd = Math.sqrt(variance) / 0.8796256610342398;
        expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(2 * sd + 1e-6);
      }
    });
  }

  it('seeded initializers repeat their values; unseeded ones do not', () => {
    const a = initializers.heNormal({ seed: 7 });
    expect(Array.from(a.call([4, 4]).values)).toEqual(Array.from(a.call([4, 4]).values));
    const b = initializers.heNormal();
    expect(Array.from(b.call([4, 4]).values)).not.toEqual(Array.from(b.call([4, 4]).values));
  });

  it('orthogonal gives orthonormal columns (tall) or rows (wide), times gain', () => {
    const q = initializers.orthogonal({ seed: 3, gain: 2 }).call([6, 4], 'float64');
    expectClose(
      matmul(transpose(q), q),
      [4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4],
      1e-9,
      1e-9,
    );
    const w = initializers.orthogonal({ seed: 3 }).call([3, 5], 'float64');
    expectClose(matmul(w, transpose(w)), [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-9, 1e-9);
  });

  it('constant, zeros, ones, identity, random', () => {
    expect(initializers.constant(2.5).call([2]).toArray()).toEqual([2.5, 2.5]);
    expect(initializers.identity({ gain: 3 }).call([2, 3]).toArray()).toEqual([
      [3, 0, 0],
      [0, 3, 0],
    ]);
    const u = stats(initializers.randomUniform({ seed: 1 }).call([1000]).values);
    expect(u.min).toBeGreaterThanOrEqual(-0.05);
    expect(u.max).toBeLessThan(0.05);
    const t = stats(initializers.truncatedNormal({ seed: 1, stddev: 1 }).call([5000]).values);
    expect(Math.max(-t.min, t.max)).toBeLessThanOrEqual(2);
  });

  it('resolve by Keras name and round-trip their config', () => {
    for (const name of [
      'glorot_uniform',
      'glorotUniform',
      'GlorotUniform',
      'he_normal',
      'orthogonal',
      'uniform',
    ]) {
      const init = initializers.getInitializer(name);
      const again = initializers.getInitializer(initializers.serializeInitializer(init));
      expect(again.className).toBe(init.className);
    }
    const vs = new initializers.VarianceScaling({
      scale: 2,
      mode: 'fan_out',
      distribution: 'uniform',
      seed: 4,
    });
    expect(initializers.serializeInitializer(vs)).toEqual({
      className: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 4 },
    });
    expect(() => initializers.getInitializer('glorot')).toThrow(TensileError);
    expect(() => new initializers.VarianceScaling({ mode: 'fan_x' as never })).toThrow(
      /Received: mode=fan_x/,
    );
  });
});

describe('regularizers', () => {
  const w = tensor([1, -2, 3], { dtype: 'float64' });
  it('penalize as l1·Σ|w| + l2·Σw² with Keras defaults', () => {
    expect(regularizers.l1().call(w).item()).toBeCloseTo(0.06, 12);
    expect(regularizers.l2().call(w).item()).toBeCloseTo(0.14, 12);
    expect(regularizers.l1l2({ l1: 0.1, l2: 0.5 }).call(w).item()).toBeCloseTo(0.6 + 7, 12);
    expect(regularizers.getRegularizer('l2').getConfig()).toEqual({ l2: 0.01 });
    expect(regularizers.getRegularizer('l1_l2').getConfig()).toEqual({ l1: 0, l2: 0 });
    expect(
      regularizers
        .getRegularizer({ className: 'L1', config: { l1: 0.5 } })
        .call(w)
        .item(),
    ).toBeCloseTo(3, 12);
    expect(() => regularizers.l2(-1)).toThrow(/Received: l2=-1/);
  });
});

describe('constraints', () => {
  it('project weights as Keras does', () => {
    // Columns of w have norms 5 and 1 (axis 0 = per output unit).
    const w = tensor(
      [
        [3, 0],
        [4, 1],
      ],
      { dtype: 'float64' },
    );
    expectClose(constraints.maxNorm({ maxValue: 2 }).call(w), [1.2, 0, 1.6, 1], 1e-6);
    expectClose(constraints.unitNorm().call(w), [0.6, 0, 0.8, 1], 1e-6);
    expectClose(constraints.nonNeg().call(tensor([-1, 2])), [0, 2]);
    // rate 0.5 from norm 5 towards max 2: desired 0.5·2 + 0.5·5 = 3.5.
    expectClose(
      constraints.minMaxNorm({ minValue: 0, maxValue: 2, rate: 0.5 }).call(w),
      [2.1, 0, 2.8, 1],
      1e-6,
    );
    expect(constraints.getConstraint('max_norm').getConfig()).toEqual({ maxValue: 2, axis: 0 });
    expect(() => constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(
      /minValue <= maxValue/,
    );
  });
});
