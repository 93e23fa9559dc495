import {
  type ConfigValue,
  LearningRateSchedule,
  finite,
  positive,
  registerSchedule,
} from './learning-rate-schedule.js';

export interface CosineDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  /** The final rate as a fraction of the rate the decay starts from. Default 0. */
  alpha?: number;
  name?: string;
  /** When set, the rate first rises linearly from initialLearningRate to this over warmupSteps. */
  warmupTarget?: number | null;
  /** Default 0. */
  warmupSteps?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter, SGDR, arXiv:1608.03983) with an optional linear warmup
 * (Goyal et al., arXiv:1706.02677), as Keras 3's CosineDecay: during warmup
 * lr = initial + (target − initial)·step/warmupSteps; then, with s = min(step − warmupSteps,
 * decaySteps), lr = from·((1 − alpha)·½(1 + cos(π·s/decaySteps)) + alpha), where `from` is the
 * warmup target, or the initial rate without warmup.
 *
 * @example
 * // 0 → 1e-3 over 500 steps, then down to 1e-5 over 10,000.
 * new CosineDecay({
 *   initialLearningRate: 0,
 *   warmupTarget: 1e-3,
 *   warmupSteps: 500,
 *   decaySteps: 10_000,
 *   alpha: 0.01,
 * });
 */
export class CosineDecay extends LearningRateSchedule {
  static override className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(config: CosineDecayConfig) {
    super();
    const what = 'CosineDecay';
    this.initialLearningRate = finite(config.initialLearningRate, 'initialLearningRate', what);
    this.decaySteps = positive(config.decaySteps, 'decaySteps', what);
    this.alpha = finite(config.alpha ?? 0, 'alpha', what);
    this.name = config.name ?? what;
    const target = config.warmupTarget ?? null;
    this.warmupTarget = target === null ? null : finite(target, 'warmupTarget', what);
    this.warmupSteps = finite(config.warmupSteps ?? 0, 'warmupSteps', what);
  }

  call(step: number): number {
    if (this.warmupTarget === null) {
      return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    }
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      const fraction = s / this.warmupSteps;
      return (this.warmupTarget - this.initialLearningRate) * fraction + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): { [key: string]: ConfigValue } {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}

export interface CosineDecayRestartsConfig {
  initialLearningRate: number;
  firstDecaySteps: number;
  /** Each period lasts tMul times the previous one. Default 2. */
  tMul?: number;
  /** Each period starts at mMul times the previous starting rate. Default 1. */
  mMul?: number;
  /** The minimum rate as a fraction of initialLearningRate. Default 0. */
  alpha?: number;
  name?: string;
}

/**
 * Cosine decay with warm restarts (SGDR, arXiv:1608.03983), as Keras 3's CosineDecayRestarts:
 * period i lasts firstDecaySteps·tMulⁱ steps and starts at initialLearningRate·mMulⁱ.
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  static override className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(config: CosineDecayRestartsConfig) {
    super();
    const what = 'CosineDecayRestarts';
    this.initialLearningRate = finite(config.initialLearningRate, 'initialLearningRate', what);
    this.firstDecaySteps = positive(config.firstDecaySteps, 'firstDecaySteps', what);
    this.tMul = positive(config.tMul ?? 2, 'tMul', what);
    this.mMul = finite(config.mMul ?? 1, 'mMul', what);
    this.alpha = finite(config.alpha ?? 0, 'alpha', what);
    this.name = config.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // The periods' lengths form a geometric series; invert its partial sum to find the period.
      const t = this.tMul;
      restart = Math.floor(Math.log(1 - fraction * (1 - t)) / Math.log(t));
      const elapsed = (1 - Math.pow(t, restart)) / (1 - t);
      fraction = (fraction - elapsed) / Math.pow(t, restart);
    }
    const cosine = 0.5 * Math.pow(this.mMul, restart) * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): { [key: string]: ConfigValue } {
    return {
      initialLearningRate: this.initialLearningRate,
      firstDecaySteps: this.firstDecaySteps,
      tMul: this.tMul,
      mMul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}

registerSchedule(CosineDecay);
registerSchedule(CosineDecayRestarts);
