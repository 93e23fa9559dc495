import { invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Logs } from '../training/contracts.js';
import { Callback } from './callback.js';
import { formatPath } from './format-path.js';
import { type MonitorMode, compiledDirection, risesWhenBetter } from './monitor.js';
import { saveWeightsFile } from './weights-file.js';

export interface ModelCheckpointConfig {
  /**
   * Where to save; may use `{epoch}` (1-based) and log values:
   * `ckpt-{epoch:02d}-{val_loss:.2f}.weights.bin`.
   */
  filepath: string;
  /** Default 'val_loss'. */
  monitor?: string;
  verbose?: 0 | 1;
  /** Only save when the monitored value improves on the best so far. Default false. */
  saveBestOnly?: boolean;
  /**
   * Save only the weights. Default false (but see the class note: weights are all that is saved for
   * now).
   */
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch' (default), or a number of batches between saves. */
  saveFreq?: 'epoch' | number;
  /** With saveBestOnly, the value the first save must beat. Default none. */
  initialValueThreshold?: number;
}

/**
 * Saves the model during training, as Keras 3's ModelCheckpoint. Until the `.keras` format
 * exists, every save writes the weights and the optimizer state in Tensile's own weights file
 * (see saveWeightsFile), written atomically; load it back with loadWeightsFile. With
 * saveWeightsOnly false a note says so once.
 *
 * @example
 * new ModelCheckpoint({
 *   filepath: 'ckpt/best-{epoch:02d}-{val_loss:.3f}.weights.bin',
 *   saveBestOnly: true,
 * })
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value so far (Infinity or -Infinity before the first). */
  best: number;
  private rises: boolean | null = null;
  private batchesSinceSave = 0;
  private currentEpoch = 0;
  private noted = false;

  constructor(config: ModelCheckpointConfig) {
    super();
    if (typeof config?.filepath !== 'string' || config.filepath === '') {
      throw invalidArgument(
        `ModelCheckpoint needs a filepath. Received: filepath=${String(config?.filepath)}.`,
      );
    }
    this.filepath = config.filepath;
    this.monitor = config.monitor ?? 'val_loss';
    this.verbose = config.verbose ?? 0;
    this.saveBestOnly = config.saveBestOnly ?? false;
    this.saveWeightsOnly = config.saveWeightsOnly ?? false;
    this.mode = config.mode ?? 'auto';
    this.saveFreq = config.saveFreq ?? 'epoch';
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw invalidArgument(
        `ModelCheckpoint: saveFreq must be 'epoch' or a positive integer. ` +
          `Received: saveFreq=${String(this.saveFreq)}.`,
      );
    }
    this.best = config.initialValueThreshold ?? NaN;
  }

  override onTrainBegin(): void {
    this.rises = this.saveBestOnly
      ? risesWhenBetter(
          this.monitor,
          this.mode,
          'ModelCheckpoint',
          'min',
          compiledDirection(this.model, this.monitor),
        )
      : null;
    if (Number.isNaN(this.best)) this.best = this.rises ? -Infinity : Infinity;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      this.save(this.currentEpoch, batch, logs);
    }
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.saveFreq === 'epoch') this.save(epoch, null, logs);
  }

  private save(epoch: number, batch: number | null, logs: Logs): void {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== null) values['batch'] = batch + 1;
    const path = formatPath(this.filepath, values);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        getLogger().warn(
          `ModelCheckpoint: can save the best model only with ${this.monitor} available; skipping.`,
        );
        return;
      }
      const improved = this.rises ? current > this.best : current < this.best;
      if (!improved) {
        if (this.verbose > 0) {
          getLogger().info(
            `Epoch ${epoch + 1}: ${this.monitor} did not improve from ${fixed5(this.best)}`,
          );
        }
        return;
      }
      if (this.verbose > 0) {
        getLogger().info(
          `Epoch ${epoch + 1}: ${this.monitor} improved from ${fixed5(this.best)} to ` +
            `${fixed5(current)}, saving model to ${path}`,
        );
      }
      this.best = current;
    } else if (this.verbose > 0) {
      getLogger().info(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    if (!this.saveWeightsOnly && !this.noted) {
      this.noted = true;
      getLogger().info(
        'ModelCheckpoint: whole-model files (.keras) ' +
          'are not supported yet; saving the weights and ' +
          "optimizer state in Tensile's weights file instead (load with loadWeightsFile).",
      );
    }
    saveWeightsFile(this.model, path, {
      includeOptimizer: !this.saveWeightsOnly,
      meta: { epoch: epoch + 1 },
    });
  }
}

/** Python's `f'{v:.5f}'`, which Keras' messages use: `inf`, `-inf` and `nan` for the non-finite. */
function fixed5(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(5);
}
