import { invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Logs } from '../training/contracts.js';
import { getOptimizerOf } from '../training/state.js';
import { Callback } from './callback.js';
import { numericRate } from './reduce-lr-on-plateau.js';

/** `(epoch, lr) => newLr`, with `epoch` counted from 0; may be async. */
export type LearningRateSchedulerFn = (epoch: number, lr: number) => number | Promise<number>;

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)`, as
 * Keras 3's LearningRateScheduler. Adds `learning_rate` to the epoch logs.
 *
 * @example
 * new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: LearningRateSchedulerFn;
  readonly verbose: 0 | 1;

  constructor(schedule: LearningRateSchedulerFn, verbose: 0 | 1 = 0) {
    super();
    if (typeof schedule !== 'function') {
      throw invalidArgument(
        `LearningRateScheduler needs a function (epoch, lr) => lr. Received: ${String(schedule)}.`,
      );
    }
    this.schedule = schedule;
    this.verbose = verbose;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const optimizer = getOptimizerOf(this.model, 'LearningRateScheduler');
    const lr = await this.schedule(epoch, numericRate(optimizer, 'LearningRateScheduler'));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw invalidArgument(
        `The output of the LearningRateScheduler schedule must be a finite number >= 0. ` +
          `Received: ${String(lr)} at epoch ${epoch}.`,
      );
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0)
      getLogger().info(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs['learning_rate'] = getOptimizerOf(
      this.model,
      'LearningRateScheduler',
    ).currentLearningRate();
  }
}
