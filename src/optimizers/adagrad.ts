import { invalidArgument } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import type { Variable } from '../tensor/variable.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import type { SlotSpec } from './slots.js';
import type { ConfigValue } from './schedules/learning-rate-schedule.js';

export interface AdagradConfig extends OptimizerConfig {
  /** The accumulators' starting value. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added to the accumulator inside the square root. Default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad (Duchi et al., JMLR 2011) as Keras 3: a ← a + g²; p ← p − lr·g / √(a + ε), with the
 * accumulator starting at initialAccumulatorValue.
 */
export class Adagrad extends Optimizer {
  static override className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(config: AdagradConfig = {}) {
    super(config, { name: 'adagrad', learningRate: 0.001 });
    this.initialAccumulatorValue = config.initialAccumulatorValue ?? 0.1;
    if (!(this.initialAccumulatorValue >= 0)) {
      throw invalidArgument(
        `Adagrad: initialAccumulatorValue must be >= 0. ` +
          `Received: initialAccumulatorValue=${this.initialAccumulatorValue}`,
      );
    }
    this.epsilon = config.epsilon ?? 1e-7;
  }

  protected slotSpecs(): SlotSpec[] {
    return [{ name: 'accumulator', initial: this.initialAccumulatorValue }];
  }

  protected updateStep(g: FloatArray, variable: Variable, index: number, lr: number): void {
    const p = variable.values as FloatArray;
    const a = this.slot('accumulator', index);
    const epsilon = this.epsilon;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const ai = a[i]! + gi * gi;
      a[i] = ai;
      p[i] = p[i]! - (lr * gi) / Math.sqrt(ai + epsilon);
    }
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
