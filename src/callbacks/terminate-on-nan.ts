import { TensileError } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Logs } from '../training/contracts.js';
import { Callback } from './callback.js';

/**
 * Stops training as soon as the loss becomes NaN or infinite, as Keras 3's TerminateOnNaN;
 * with `raiseError`, throws instead.
 *
 * @example
 * await model.fit(x, y, { callbacks: [new TerminateOnNaN()] });
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;

  constructor(options: { raiseError?: boolean } = {}) {
    super();
    this.raiseError = options.raiseError ?? false;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const loss = logs['loss'];
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new TensileError(
        'invalid_argument',
        `NaN or Inf loss encountered at batch ${batch}. Training will stop.`,
      );
    }
    getLogger().warn(`Batch ${batch}: invalid loss, terminating training`);
    this.model.stopTraining = true;
  }
}
