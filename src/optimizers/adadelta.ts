import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { unitInterval } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface AdadeltaConfig extends OptimizerConfig {
  /** Decay of both running averages. Default 0.95. */
  rho?: number;
  /** Added inside both square roots. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adadelta (Zeiler, arXiv:1212.5701) as Keras 3: G ← ρ·G + (1−ρ)·g²;
 * Δ = −√(D + ε)/√(G + ε) · g; D ← ρ·D + (1−ρ)·Δ²; p ← p + lr·Δ. Use learningRate 1 for the
 * paper's form; Keras' default is 0.001.
 */
export class Adadelta extends Optimizer {
  static override className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(config: AdadeltaConfig = {}) {
    super(config, { name: 'adadelta', learningRate: 0.001 });
    this.rho = unitInterval(config.rho ?? 0.95, 'rho', 'Adadelta');
    this.epsilon = config.epsilon ?? 1e-7;
  }

  protected slotSpecs(): SlotSpec[] {
    return [
      { name: 'accumulated_grad', initial: 0 },
      { name: 'accumulated_delta_var', initial: 0 },
    ];
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const acc = this.slot('accumulated_grad', index);
    const accDelta = this.slot('accumulated_delta_var', index);
    const { rho, epsilon } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const ai = rho * acc[i]! + (1 - rho) * gi * gi;
      acc[i] = ai;
      const delta = -(Math.sqrt(accDelta[i]! + epsilon) * gi) / Math.sqrt(ai + epsilon);
      accDelta[i] = rho * accDelta[i]! + (1 - rho) * delta * delta;
      p[i] = p[i]! + lr * delta;
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
