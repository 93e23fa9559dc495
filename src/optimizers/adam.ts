import { getBackend } from '../backend/registry.js';
import { invalidArgument } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface AdamConfig extends OptimizerConfig {
  /** Decay of the first-moment estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  beta2?: number;
  /** Added to √v after the bias correction is folded into the step size. Default 1e-7. */
  epsilon?: number;
  /** Use the running maximum of v (Reddi et al., 2018). Default false. */
  amsgrad?: boolean;
}

/**
 * Adam (Kingma & Ba, arXiv:1412.6980) as Keras 3 computes it: m ← β1·m + (1−β1)·g,
 * v ← β2·v + (1−β2)·g², p ← p − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε). ε is the paper's "epsilon
 * hat": it is added to √v itself, not to the bias-corrected √v̂. One fused backend pass per
 * variable, which also applies the decoupled weight decay when set.
 *
 * @example
 * model.compile({ optimizer: new Adam({ learningRate: 1e-3, amsgrad: true }), loss: 'mse' });
 */
export class Adam extends Optimizer {
  static override className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(config: AdamConfig = {}, defaults = { name: 'adam', learningRate: 0.001 }) {
    super(config, defaults);
    const what = (this.constructor as typeof Optimizer).className;
    this.beta1 = unitInterval(config.beta1 ?? 0.9, 'beta1', what);
    this.beta2 = unitInterval(config.beta2 ?? 0.999, 'beta2', what);
    this.epsilon = config.epsilon ?? 1e-7;
    this.amsgrad = config.amsgrad ?? false;
    this.fusesWeightDecay = true;
  }

  protected slotSpecs(): SlotSpec[] {
    const specs = [
      { name: 'momentum', initial: 0 },
      { name: 'velocity', initial: 0, interleaved: true },
    ];
    if (this.amsgrad) specs.push({ name: 'velocity_hat', initial: 0 });
    return specs;
  }

  protected updateStep(grad: FloatArray, variable: Variable, index: number, lr: number): void {
    getBackend().adamUpdate(
      variable.values as FloatArray,
      grad,
      this.slot('momentum', index),
      this.slot('velocity', index),
      this.amsgrad ? this.slot('velocity_hat', index) : null,
      {
        lr,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        step: this.iterations + 1,
        weightDecay: this.decayFor(variable),
      },
    );
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter, arXiv:1711.05101): Keras 3's AdamW,
 * which is Adam with weightDecay defaulting to 0.004: p ← p − p·lr·weightDecay before the step.
 *
 * @example
 * const opt = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * opt.excludeFromWeightDecay({ varNames: ['bias'] });
 */
export class AdamW extends Adam {
  static override className = 'AdamW';

  constructor(config: AdamConfig = {}) {
    super(
      { ...config, weightDecay: config.weightDecay ?? 0.004 },
      { name: 'adamw', learningRate: 0.001 },
    );
  }
}

export function unitInterval(value: number, name: string, what: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidArgument(`${what}: ${name} must be in [0, 1]. Received: ${name}=${String(value)}`);
  }
  return value;
}
