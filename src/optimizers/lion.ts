import { invalidArgument } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { unitInterval } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface LionConfig extends OptimizerConfig {
  /** Blend of momentum and gradient inside the sign. Default 0.9. */
  beta1?: number;
  /** Decay of the momentum. Default 0.99. */
  beta2?: number;
}

/**
 * Lion (Chen et al., arXiv:2302.06675) as Keras 3: p ← p − lr·sign(β1·m + (1−β1)·g), then
 * m ← β2·m + (1−β2)·g. No epsilon. Use a 3-10x smaller rate than for AdamW.
 */
export class Lion extends Optimizer {
  static override className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(config: LionConfig = {}) {
    super(config, { name: 'lion', learningRate: 0.001 });
    this.beta1 = unitInterval(config.beta1 ?? 0.9, 'beta1', 'Lion');
    this.beta2 = unitInterval(config.beta2 ?? 0.99, 'beta2', 'Lion');
    if (this.beta1 === 0) {
      throw invalidArgument(
        `Lion: beta1 must be in (0, 1]; 0 turns Lion into SignSGD. Received: beta1=${this.beta1}`,
      );
    }
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'momentum', initial: 0 }];
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const m = this.slot('momentum', index);
    const { beta1, beta2 } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const c = m[i]! * beta1 + gi * (1 - beta1);
      p[i] = p[i]! - lr * Math.sign(c);
      m[i] = m[i]! * beta2 + gi * (1 - beta2);
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { beta1: this.beta1, beta2: this.beta2 };
  }
}
