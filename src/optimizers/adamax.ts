import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { unitInterval } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface AdamaxConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm. Default 0.999. */
  beta2?: number;
  /** Added to the infinity norm. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adamax (Kingma & Ba, arXiv:1412.6980, section 7.1) as Keras 3: m ← β1·m + (1−β1)·g;
 * u ← max(β2·u, |g|); p ← p − lr·m / ((1 − β1ᵗ)·(u + ε)).
 */
export class Adamax extends Optimizer {
  static override className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamaxConfig = {}) {
    super(config, { name: 'adamax', learningRate: 0.001 });
    this.beta1 = unitInterval(config.beta1 ?? 0.9, 'beta1', 'Adamax');
    this.beta2 = unitInterval(config.beta2 ?? 0.999, 'beta2', 'Adamax');
    this.epsilon = config.epsilon ?? 1e-7;
  }

  protected slotSpecs(): SlotSpec[] {
    return [
      { name: 'momentum', initial: 0 },
      { name: 'norm', initial: 0, interleaved: true },
    ];
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const m = this.slot('momentum', index);
    const u = this.slot('norm', index);
    const { beta1, beta2, epsilon } = this;
    const correction = 1 - Math.pow(beta1, this.iterations + 1);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const mi = m[i]! + (gi - m[i]!) * (1 - beta1);
      m[i] = mi;
      const ui = Math.max(beta2 * u[i]!, Math.abs(gi));
      u[i] = ui;
      p[i] = p[i]! - (lr * mi) / (correction * (ui + epsilon));
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
