import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { unitInterval } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface NadamConfig extends OptimizerConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Added to √v̂ (after the bias correction, unlike Adam). Default 1e-7. */
  epsilon?: number;
}

/**
 * Nadam, Adam with Nesterov momentum (Dozat, 2016), as Keras 3 computes it, with the momentum
 * schedule μₜ = β1·(1 − ½·0.96ᵗ) and its running product Πₜ = μ₁⋯μₜ (the `u_product` state):
 * m̂ = μₜ₊₁·m/(1 − Πₜ·μₜ₊₁) + (1 − μₜ)·g/(1 − Πₜ); v̂ = v/(1 − β2ᵗ); p ← p − lr·m̂/(√v̂ + ε).
 */
export class Nadam extends Optimizer {
  static override className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: NadamConfig = {}) {
    super(config, { name: 'nadam', learningRate: 0.001 });
    this.beta1 = unitInterval(config.beta1 ?? 0.9, 'beta1', 'Nadam');
    this.beta2 = unitInterval(config.beta2 ?? 0.999, 'beta2', 'Nadam');
    this.epsilon = config.epsilon ?? 1e-7;
    this.scalars.set('u_product', 1);
  }

  protected slotSpecs(): SlotSpec[] {
    return [
      { name: 'momentum', initial: 0 },
      { name: 'velocity', initial: 0 },
    ];
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t));
  }

  protected override beforeUpdates(): void {
    this.scalars.set('u_product', this.scalars.get('u_product')! * this.mu(this.iterations + 1));
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const m = this.slot('momentum', index);
    const v = this.slot('velocity', index);
    const { beta1, beta2, epsilon } = this;
    const t = this.iterations + 1;
    const muT = this.mu(t);
    const muNext = this.mu(t + 1);
    const product = this.scalars.get('u_product')!;
    const productNext = product * muNext;
    // Per-step coefficients, hoisted out of the element loop.
    const momentumScale = muNext / (1 - productNext);
    const gradientScale = (1 - muT) / (1 - product);
    const velocityScale = 1 / (1 - Math.pow(beta2, t));
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const mi = m[i]! + (gi - m[i]!) * (1 - beta1);
      const vi = v[i]! + (gi * gi - v[i]!) * (1 - beta2);
      m[i] = mi;
      v[i] = vi;
      const mHat = momentumScale * mi + gradientScale * gi;
      p[i] = p[i]! - (mHat * lr) / (Math.sqrt(vi * velocityScale) + epsilon);
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
