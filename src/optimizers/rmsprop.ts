import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { unitInterval } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface RMSpropConfig extends OptimizerConfig {
  /** Decay of the mean square. Default 0.9. */
  rho?: number;
  /** Default 0 (no momentum slot). */
  momentum?: number;
  /** Added to the mean square inside the square root. Default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance instead of the mean square. Default false. */
  centered?: boolean;
}

/**
 * RMSprop (Hinton, 2012, lecture 6e) as Keras 3: v ← ρ·v + (1−ρ)·g²; step = lr·g / √(v + ε),
 * or lr·g / √(v − ḡ² + ε) when centered with ḡ ← ρ·ḡ + (1−ρ)·g; with momentum,
 * m ← momentum·m + step and p ← p − m, else p ← p − step. ε sits inside the square root.
 */
export class RMSprop extends Optimizer {
  static override className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: RMSpropConfig = {}) {
    super(config, { name: 'rmsprop', learningRate: 0.001 });
    this.rho = unitInterval(config.rho ?? 0.9, 'rho', 'RMSprop');
    this.momentum = unitInterval(config.momentum ?? 0, 'momentum', 'RMSprop');
    this.epsilon = config.epsilon ?? 1e-7;
    this.centered = config.centered ?? false;
  }

  protected slotSpecs(): SlotSpec[] {
    const specs = [{ name: 'velocity', initial: 0 }];
    if (this.momentum > 0) specs.push({ name: 'momentum', initial: 0 });
    if (this.centered) specs.push({ name: 'average_gradient', initial: 0 });
    return specs;
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const v = this.slot('velocity', index);
    const m = this.momentum > 0 ? this.slot('momentum', index) : null;
    const avg = this.centered ? this.slot('average_gradient', index) : null;
    const { rho, epsilon, momentum } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const vi = rho * v[i]! + (1 - rho) * gi * gi;
      v[i] = vi;
      let denominator = vi + epsilon;
      if (avg !== null) {
        const ai = rho * avg[i]! + (1 - rho) * gi;
        avg[i] = ai;
        denominator = vi - ai * ai + epsilon;
      }
      const step = (lr * gi) / Math.sqrt(denominator);
      if (m !== null) {
        const mi = momentum * m[i]! + step;
        m[i] = mi;
        p[i] = p[i]! - mi;
      } else {
        p[i] = p[i]! - step;
      }
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return {
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
