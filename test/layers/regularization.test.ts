import { beforeEach, describe, expect, it } from 'vitest';
import {
  ActivityRegularization,
  GaussianNoise,
  SpatialDropout2D,
  TensileError,
  clearSession,
  ones,
  tensor,
} from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('regularization layers', () => {
  it('SpatialDropout2D drops whole channels and rescales the rest', () => {
    checkLayer({
      make: (dtype) => new SpatialDropout2D({ rate: 0.5, dtype }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
    });
    const layer = new SpatialDropout2D({ rate: 0.5, seed: 3 });
    const y = layer.apply(ones([2, 3, 3, 8]), { training: true });
    const v = y.values;
    // Each (sample, channel) map is all 0 or all 2.
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 8; c++) {
        const first = v[n * 72 + c]!;
        expect([0, 2]).toContain(first);
        for (let p = 0; p < 9; p++) expect(v[n * 72 + p * 8 + c]).toBe(first);
      }
    }
    expect(layer.apply(ones([1, 2, 2, 2])).toArray()).toEqual(ones([1, 2, 2, 2]).toArray());
  });

  it('GaussianNoise adds noise only while training', () => {
    const layer = new GaussianNoise({ stddev: 0.1, seed: 1 });
    const x = ones([1000]);
    expect(layer.apply(x).toArray()).toEqual(x.toArray());
    const y = layer.apply(x, { training: true }).values;
    let s = 0;
    let s2 = 0;
    for (const v of y) {
      s += v - 1;
      s2 += (v - 1) ** 2;
    }
    expect(Math.abs(s / 1000)).toBeLessThan(0.02);
    expect(Math.sqrt(s2 / 1000)).toBeGreaterThan(0.08);
    expect(Math.sqrt(s2 / 1000)).toBeLessThan(0.12);
    expect(() => new GaussianNoise({ stddev: -1 })).toThrow(TensileError);
  });

  it('ActivityRegularization adds l1·Σ|x| + l2·Σx² as a loss', () => {
    const layer = new ActivityRegularization({ l1: 0.1, l2: 0.01 });
    const y = layer.apply(
      tensor([
        [1, -2],
        [3, 0],
      ]),
    );
    expect(y.toArray()).toEqual([
      [1, -2],
      [3, 0],
    ]);
    expect(layer.losses).toHaveLength(1);
    expect(layer.losses[0]!.item()).toBeCloseTo(0.1 * 6 + 0.01 * 14, 6);
    expect(layer.getConfig()).toMatchObject({ l1: 0.1, l2: 0.01 });
  });
});
