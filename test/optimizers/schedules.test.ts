import { describe, expect, it } from 'vitest';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  type LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  TensileError,
  deserializeSchedule,
  serializeSchedule,
} from '../../src/index.js';

// Expected values by hand from Keras 3's documented formulas (learning_rate_schedule.py).
function expectAt(schedule: LearningRateSchedule, table: [step: number, lr: number][]): void {
  for (const [step, lr] of table) {
    const got = schedule.call(step);
    if (!(Math.abs(got - lr) <= 1e-15 + 1e-12 * Math.abs(lr))) {
      throw new Error(`step ${step}: got ${got}, expected ${lr}`);
    }
  }
}

describe('learning rate schedules', () => {
  it('ExponentialDecay: 0.1·0.5^(step/10), floored with staircase', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    expectAt(new ExponentialDecay(config), [
      [0, 0.1],
      [5, 0.1 / Math.SQRT2],
      [10, 0.05],
      [25, 0.1 * Math.pow(0.5, 2.5)],
    ]);
    expectAt(new ExponentialDecay({ ...config, staircase: true }), [
      [5, 0.1],
      [10, 0.05],
      [25, 0.025],
    ]);
  });

  it('PiecewiseConstantDecay: values[i] while step ≤ boundaries[i]', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
    expectAt(s, [
      [0, 1],
      [100, 1],
      [101, 0.5],
      [110, 0.5],
      [111, 0.1],
      [1e6, 0.1],
    ]);
  });

  it('PolynomialDecay: (0.1 − 0.01)·(1 − step/10)² + 0.01, capped or cycling', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2 };
    expectAt(new PolynomialDecay(config), [
      [0, 0.1],
      [5, 0.0325],
      [10, 0.01],
      [25, 0.01],
    ]);
    // With cycle, step 25 decays over 30 steps: 0.09·(1 − 25/30)² + 0.01 = 0.0125.
    expectAt(new PolynomialDecay({ ...config, cycle: true }), [
      [0, 0.1],
      [5, 0.0325],
      [10, 0.01],
      [25, 0.0125],
    ]);
    expect(new PolynomialDecay({ initialLearningRate: 1, decaySteps: 4 }).call(4)).toBe(0.0001);
  });

  it('InverseTimeDecay: 0.1 / (1 + 0.5·step/10)', () => {
    const config = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    expectAt(new InverseTimeDecay(config), [
      [0, 0.1],
      [5, 0.08],
      [10, 0.1 / 1.5],
      [25, 0.1 / 2.25],
    ]);
    expectAt(new InverseTimeDecay({ ...config, staircase: true }), [
      [5, 0.1],
      [25, 0.05],
    ]);
  });

  it('CosineDecay: 0.1·((1 − α)·½(1 + cos(π·step/10)) + α), held after decaySteps', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1 });
    expectAt(s, [
      [0, 0.1],
      [5, 0.1 * (0.9 * 0.5 + 0.1)],
      [10, 0.01],
      [25, 0.01],
    ]);
  });

  it('CosineDecay with warmup: linear from 0 to 0.1 over 4 steps, then cosine over 10', () => {
    const s = new CosineDecay({
      initialLearningRate: 0,
      decaySteps: 10,
      warmupTarget: 0.1,
      warmupSteps: 4,
    });
    expectAt(s, [
      [0, 0],
      [2, 0.05],
      [4, 0.1],
      [9, 0.05],
      [14, 0],
      [20, 0],
    ]);
  });

  it('CosineDecayRestarts: periods of 10, 20, 40 steps starting at 1, 0.5, 0.25', () => {
    const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5 });
    expectAt(s, [
      [0, 1],
      [5, 0.5],
      [10, 0.5],
      [20, 0.25],
      [30, 0.25],
      [50, 0.125],
    ]);
    const flat = new CosineDecayRestarts({
      initialLearningRate: 1,
      firstDecaySteps: 10,
      tMul: 1,
      mMul: 0.5,
      alpha: 0.2,
    });
    // Step 15: second period (m = 0.5), halfway: 0.8·0.5·½(1 + 0) + 0.2 = 0.4.
    expectAt(flat, [
      [0, 1],
      [15, 0.4],
    ]);
  });

  it.each([
    new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    }),
    new PiecewiseConstantDecay({ boundaries: [3], values: [0.1, 0.2] }),
    new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 7, cycle: true }),
    new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 2 }),
    new CosineDecay({ initialLearningRate: 0, decaySteps: 7, warmupTarget: 1, warmupSteps: 3 }),
    new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 7 }),
  ])('%# round-trips through serializeSchedule / deserializeSchedule', (schedule) => {
    const copy = deserializeSchedule(JSON.parse(JSON.stringify(serializeSchedule(schedule))));
    expect(copy.constructor).toBe(schedule.constructor);
    expect(copy.getConfig()).toEqual(schedule.getConfig());
    for (const step of [0, 2, 5, 9, 20]) expect(copy.call(step)).toBe(schedule.call(step));
  });

  it('rejects bad arguments with the offending value', () => {
    expect(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
    ).toThrow(/decaySteps must be a number > 0. Received: decaySteps=0/);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      TensileError,
    );
    expect(() => deserializeSchedule({ className: 'Nope', config: {} })).toThrow(
      /Unknown learning rate schedule.*Received: className=Nope/,
    );
  });
});
