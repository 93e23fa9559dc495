import { TensileError, invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Logs, OptimizerLike } from '../training/contracts.js';
import { getOptimizerOf } from '../training/state.js';
import { Callback } from './callback.js';
import { type MonitorMode, compiledDirection, monitorValue, risesWhenBetter } from './monitor.js';

export interface ReduceLROnPlateauConfig {
  /** Default 'val_loss'. */
  monitor?: string;
  /** The rate is multiplied by this on a plateau; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** The smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate never goes below this. Default 0. */
  minLr?: number;
}

/** The optimizer's learning rate as a number, or an error when it follows a schedule. */
export function numericRate(optimizer: OptimizerLike, who: string): number {
  const lr = optimizer.learningRate;
  if (typeof lr !== 'number') {
    throw new TensileError(
      'invalid_argument',
      `${who} sets the learning rate, but the optimizer's learningRate is a schedule. ` +
        `Use a number as the learning rate, or drop the callback and let the schedule decide.`,
    );
  }
  return lr;
}

/**
 * Multiplies the learning rate by `factor` when the monitored value has not improved for
 * `patience` epochs, as Keras 3's ReduceLROnPlateau. Adds `learning_rate` to the epoch logs.
 *
 * @example
 * new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 3, minLr: 1e-5 })
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  best = Infinity;
  wait = 0;
  cooldownCounter = 0;
  private rises = false;

  constructor(config: ReduceLROnPlateauConfig = {}) {
    super();
    this.monitor = config.monitor ?? 'val_loss';
    this.factor = config.factor ?? 0.1;
    this.patience = config.patience ?? 10;
    this.verbose = config.verbose ?? 0;
    this.mode = config.mode ?? 'auto';
    this.minDelta = config.minDelta ?? 1e-4;
    this.cooldown = config.cooldown ?? 0;
    this.minLr = config.minLr ?? 0;
    if (!(this.factor < 1)) {
      throw invalidArgument(
        `ReduceLROnPlateau does not support a factor >= 1. Received: factor=${this.factor}.`,
      );
    }
  }

  override onTrainBegin(): void {
    this.rises = risesWhenBetter(
      this.monitor,
      this.mode,
      'ReduceLROnPlateau',
      'min',
      compiledDirection(this.model, this.monitor),
    );
    this.best = this.rises ? -Infinity : Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = getOptimizerOf(this.model, 'ReduceLROnPlateau');
    logs['learning_rate'] = optimizer.currentLearningRate();
    const current = monitorValue(logs, this.monitor, 'ReduceLROnPlateau');
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const better = this.rises
      ? current > this.best + this.minDelta
      : current < this.best - this.minDelta;
    if (better) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const old = numericRate(optimizer, 'ReduceLROnPlateau');
    if (old > Math.fround(this.minLr)) {
      const next = Math.max(old * this.factor, this.minLr);
      optimizer.learningRate = next;
      if (this.verbose > 0) {
        getLogger().info(
          `Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`,
        );
      }
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}
