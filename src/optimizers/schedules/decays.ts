import { invalidArgument } from '../../errors.js';
import {
  type ConfigValue,
  LearningRateSchedule,
  finite,
  positive,
  registerSchedule,
} from './learning-rate-schedule.js';

export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (floor(step / decaySteps)). Default false. */
  staircase?: boolean;
  name?: string;
}

/** lr = initialLearningRate · decayRate^(step / decaySteps), as Keras' ExponentialDecay. */
export class ExponentialDecay extends LearningRateSchedule {
  static override className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(config: ExponentialDecayConfig) {
    super();
    const what = 'ExponentialDecay';
    this.initialLearningRate = finite(config.initialLearningRate, 'initialLearningRate', what);
    this.decaySteps = positive(config.decaySteps, 'decaySteps', what);
    this.decayRate = finite(config.decayRate, 'decayRate', what);
    this.staircase = config.staircase ?? false;
    this.name = config.name ?? what;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }

  getConfig(): { [key: string]: ConfigValue } {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface PiecewiseConstantDecayConfig {
  /** Strictly increasing step counts. */
  boundaries: number[];
  /** One more value than boundaries: values[i] applies while step ≤ boundaries[i]. */
  values: number[];
  name?: string;
}

/**
 * values[0] while step ≤ boundaries[0], values[i] while boundaries[i−1] < step ≤ boundaries[i],
 * and the last value after the last boundary, as Keras' PiecewiseConstantDecay.
 *
 * @example
 * const lr = new PiecewiseConstantDecay({ boundaries: [1000, 2000], values: [1e-2, 1e-3, 1e-4] });
 * lr.call(1500); // 1e-3
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(config: PiecewiseConstantDecayConfig) {
    super();
    const { boundaries, values } = config;
    if (
      !Array.isArray(boundaries) ||
      !Array.isArray(values) ||
      boundaries.length !== values.length - 1
    ) {
      throw invalidArgument(
        `PiecewiseConstantDecay: values must have exactly one more element than boundaries. ` +
          `Received: boundaries=[${String(boundaries)}], values=[${String(values)}]`,
      );
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i]! > boundaries[i - 1]!)) {
        throw invalidArgument(
          `PiecewiseConstantDecay: boundaries must be strictly increasing. ` +
            `Received: boundaries=[${boundaries.join(',')}]`,
        );
      }
    }
    this.boundaries = boundaries.slice();
    this.values = values.slice();
    this.name = config.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) {
      if (step <= this.boundaries[i]!) return this.values[i]!;
    }
    return this.values[this.values.length - 1]!;
  }

  getConfig(): { [key: string]: ConfigValue } {
    return { boundaries: this.boundaries.slice(), values: this.values.slice(), name: this.name };
  }
}

export interface PolynomialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  /** The rate reached after decaySteps. Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart from the next multiple of decaySteps instead of staying at the end. Default false. */
  cycle?: boolean;
  name?: string;
}

/**
 * (initial − end)·(1 − step/decaySteps)^power + end, with step capped at decaySteps, or, when
 * `cycle`, decaySteps stretched to the first multiple ≥ step; as Keras' PolynomialDecay.
 */
export class PolynomialDecay extends LearningRateSchedule {
  static override className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(config: PolynomialDecayConfig) {
    super();
    const what = 'PolynomialDecay';
    this.initialLearningRate = finite(config.initialLearningRate, 'initialLearningRate', what);
    this.decaySteps = positive(config.decaySteps, 'decaySteps', what);
    this.endLearningRate = finite(config.endLearningRate ?? 0.0001, 'endLearningRate', what);
    this.power = finite(config.power ?? 1, 'power', what);
    this.cycle = config.cycle ?? false;
    this.name = config.name ?? what;
  }

  call(step: number): number {
    let decaySteps = this.decaySteps;
    let s = step;
    if (this.cycle) {
      decaySteps *= s === 0 ? 1 : Math.ceil(s / this.decaySteps);
    } else {
      s = Math.min(s, decaySteps);
    }
    const p = s / decaySteps;
    const span = this.initialLearningRate - this.endLearningRate;
    return span * Math.pow(1 - p, this.power) + this.endLearningRate;
  }

  getConfig(): { [key: string]: ConfigValue } {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

export interface InverseTimeDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Use floor(step / decaySteps). Default false. */
  staircase?: boolean;
  name?: string;
}

/** lr = initialLearningRate / (1 + decayRate · step / decaySteps), as Keras' InverseTimeDecay. */
export class InverseTimeDecay extends LearningRateSchedule {
  static override className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(config: InverseTimeDecayConfig) {
    super();
    const what = 'InverseTimeDecay';
    this.initialLearningRate = finite(config.initialLearningRate, 'initialLearningRate', what);
    this.decaySteps = positive(config.decaySteps, 'decaySteps', what);
    this.decayRate = finite(config.decayRate, 'decayRate', what);
    this.staircase = config.staircase ?? false;
    this.name = config.name ?? what;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): { [key: string]: ConfigValue } {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

registerSchedule(ExponentialDecay);
registerSchedule(PiecewiseConstantDecay);
registerSchedule(PolynomialDecay);
registerSchedule(InverseTimeDecay);
