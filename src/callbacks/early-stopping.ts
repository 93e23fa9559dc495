import { invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from '../training/contracts.js';
import { Callback } from './callback.js';
import { type MonitorMode, compiledDirection, monitorValue, risesWhenBetter } from './monitor.js';
import { snapshotWeights } from './weights-file.js';

export interface EarlyStoppingConfig {
  /** The value to watch. Default 'val_loss'. */
  monitor?: string;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 1 logs when training stops and when weights are restored. Default 0. */
  verbose?: 0 | 1;
  /** Default 'auto': inferred from the name. */
  mode?: MonitorMode;
  /** Training stops unless the value beats this within `patience` epochs. Default none. */
  baseline?: number | null;
  /** At the end of training, go back to the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (a warm-up). Default 0. */
  startFromEpoch?: number;
}

/**
 * Stops training when the monitored value has stopped improving for `patience` epochs, as
 * Keras 3's EarlyStopping: an epoch improves when it beats the best so far by more than
 * `minDelta`. With `restoreBestWeights` the best epoch's weights are put back when training
 * ends, whether it stopped early or ran out of epochs.
 *
 * @example
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;

  /** Epochs since the last improvement. */
  wait = 0;
  /** The 0-based epoch at which training was stopped, or 0 when it was not. */
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;
  private rises: boolean | null = null;

  constructor(config: EarlyStoppingConfig = {}) {
    super();
    this.monitor = config.monitor ?? 'val_loss';
    this.minDelta = Math.abs(config.minDelta ?? 0);
    this.patience = config.patience ?? 0;
    this.verbose = config.verbose ?? 0;
    this.mode = config.mode ?? 'auto';
    this.baseline = config.baseline ?? null;
    this.restoreBestWeights = config.restoreBestWeights ?? false;
    this.startFromEpoch = config.startFromEpoch ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw invalidArgument(
        `EarlyStopping: patience must be an integer >= 0. Received: patience=${this.patience}.`,
      );
    }
    if (!['auto', 'min', 'max'].includes(this.mode)) {
      throw invalidArgument(
        `EarlyStopping: mode must be 'auto', 'min' or 'max'. Received: mode=${String(this.mode)}.`,
      );
    }
  }

  // Reset here, not in the constructor, so one instance can serve several fit() calls.
  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.rises ??= risesWhenBetter(
      this.monitor,
      this.mode,
      'EarlyStopping',
      'throw',
      compiledDirection(this.model, this.monitor),
    );
    const current = monitorValue(logs, this.monitor, 'EarlyStopping');
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the weights we have are the best seen.
      this.bestWeights = snapshotWeights(this.model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = snapshotWeights(this.model);
      // The count restarts only when the value beats both the baseline and the best so far.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      getLogger().info(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) {
        getLogger().info(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`,
        );
      }
      this.model.setWeights(this.bestWeights);
    }
  }

  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.rises ? value - this.minDelta > reference : value + this.minDelta < reference;
  }
}
