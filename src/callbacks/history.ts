import type { Logs } from '../training/contracts.js';
import { Callback } from './callback.js';

/**
 * Records the logs of every epoch; fit() adds one and returns it. `history.loss[i]` is the loss
 * of the i-th epoch run, whose number (0-based) is `epoch[i]`.
 */
export class History extends Callback {
  /** The epochs run, 0-based. */
  epoch: number[] = [];
  /** Each logged value by name, one entry per epoch: `loss`, `val_loss`, `accuracy`… */
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const key of Object.keys(logs)) (this.history[key] ??= []).push(logs[key]!);
  }
}
