import { getBackend } from '../backend/registry.js';
import { invalidArgument } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface SGDConfig extends OptimizerConfig {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/**
 * Gradient descent with optional momentum, as Keras 3's SGD: v ← momentum·v − lr·g, then
 * p ← p + v, or p ← p + momentum·v − lr·g with Nesterov momentum. Default learning rate 0.01.
 *
 * @example
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
 * opt.applyGradients([[grad, weight]]);
 */
export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    super(config, { name: 'SGD', learningRate: 0.01 });
    this.momentum = config.momentum ?? 0;
    this.nesterov = config.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw invalidArgument(`SGD: momentum must be in [0, 1]. Received: momentum=${this.momentum}`);
    }
  }

  protected slotSpecs(): SlotSpec[] {
    return this.momentum > 0 ? [{ name: 'momentum', initial: 0 }] : [];
  }

  protected updateStep(grad: FloatArray, variable: Variable, index: number, lr: number): void {
    const velocity = this.momentum > 0 ? this.slot('momentum', index) : null;
    getBackend().sgdUpdate(variable.values as FloatArray, grad, velocity, {
      lr,
      momentum: this.momentum,
      nesterov: this.nesterov,
    });
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
