import { noGrad } from '../autograd/engine.js';
import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { cast, div, mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduction.js';
import { expandDims, reshape, squeeze } from '../ops/shape.js';
import { expectTensor } from '../ops/util.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * How `compute` turns per-sample losses into the value to minimize, as Keras 3:
 * 'sum_over_batch_size' (default) and 'mean' divide the weighted sum by the number of elements
 * of the per-sample loss; 'sum' returns the weighted sum; 'mean_with_sample_weight' divides by
 * the sum of the sample weights instead; 'none' returns the weighted per-sample losses.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

const REDUCTIONS: readonly Reduction[] = [
  'sum_over_batch_size',
  'sum',
  'mean',
  'mean_with_sample_weight',
  'none',
];

export interface LossConfig {
  /** Defaults to the Keras name of the loss, such as 'mean_squared_error'. */
  name?: string;
  /** Default 'sum_over_batch_size'. */
  reduction?: Reduction;
}

/**
 * The base of the loss classes. `call` gives one loss per sample (the loss function reduced
 * over the last axis); `compute` weights and reduces it into the scalar that training
 * differentiates. Subclasses implement `call` with the functions of src/ops/losses.ts.
 *
 * @example
 * const loss = new MeanSquaredError();
 * loss.compute(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [1, 0]])).item(); // 0.5
 */
export abstract class Loss {
  static className = 'Loss';
  readonly name: string;
  readonly reduction: Reduction;

  constructor(config: LossConfig, defaultName: string) {
    this.name = config.name ?? defaultName;
    const reduction = config.reduction ?? 'sum_over_batch_size';
    if (!REDUCTIONS.includes(reduction)) {
      throw invalidArgument(
        `${(this.constructor as typeof Loss).className}: unknown reduction. Expected one of ` +
          `${REDUCTIONS.join(', ')}. Received: reduction=${String(reduction)}`,
      );
    }
    this.reduction = reduction;
  }

  /** The unreduced loss: one value per sample (per timestep for sequences). */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /**
   * A 0/1 mask over `call`'s output for samples that do not count (SparseCategoricalCrossentropy's
   * ignoreClass), or null. Masked samples also leave the 'sum_over_batch_size' divisor.
   */
  protected mask(_yTrue: Tensor, _yPred: Tensor): Tensor | null {
    return null;
  }

  /**
   * The loss to minimize: `call`, weighted by `sampleWeight` (one weight per sample, or any
   * shape that lines up with the per-sample losses from the left), then reduced as `reduction`
   * says. Differentiable with respect to yPred.
   */
  compute(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const what = `${(this.constructor as typeof Loss).className}.compute`;
    expectTensor(yTrue, what, 'yTrue');
    expectTensor(yPred, what, 'yPred');
    let values = this.call(yTrue, yPred);
    let weight =
      sampleWeight === undefined ? null : expectTensor(sampleWeight, what, 'sampleWeight');
    const mask = this.mask(yTrue, yPred);
    if (mask !== null) weight = this.mergeMask(mask, weight, values, what);
    if (weight !== null) {
      [values, weight] = alignWeights(values, cast(weight, values.dtype), what);
      values = mul(values, weight);
    }
    return reduce(values, weight, this.reduction);
  }

  /** Keras' apply_mask: under a mean, valid samples weigh total/valid, so the rest drop out. */
  private mergeMask(mask: Tensor, weight: Tensor | null, values: Tensor, what: string): Tensor {
    let m = cast(mask, values.dtype);
    if (this.reduction === 'mean' || this.reduction === 'sum_over_batch_size') {
      const valid = noGrad(() => sum(m).item());
      m = mul(m, valid === 0 ? 0 : m.size / valid);
    }
    if (weight === null) return m;
    const [mm, w] = alignWeights(m, cast(weight, values.dtype), what);
    return mul(mm, w);
  }

  /** The constructor arguments, JSON-safe. */
  getConfig(): { [key: string]: ConfigValue } {
    return { name: this.name, reduction: this.reduction, ...this.ownConfig() };
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return {};
  }

  /** Rebuilds a loss of this class from `getConfig()`'s output. */
  static fromConfig<T extends Loss>(
    this: new (config: never) => T,
    config: { [key: string]: ConfigValue },
  ): T {
    return new this(config as never);
  }
}

/**
 * Keras' squeeze_or_expand_to_same_rank for losses and weights, then trailing axes of size 1 on
 * the weights, so that a weight per sample multiplies all of that sample's losses.
 */
export function alignWeights(values: Tensor, weight: Tensor, what: string): [Tensor, Tensor] {
  let v = values;
  let w = weight;
  const last = (t: Tensor): number | undefined => t.shape[t.rank - 1];
  if (v.rank === w.rank + 1 && last(v) === 1) {
    if (w.rank === 1) w = expandDims(w, -1);
    else v = squeeze(v, -1);
  } else if (w.rank === v.rank + 1 && last(w) === 1) {
    if (v.rank === 1) v = expandDims(v, -1);
    else w = squeeze(w, -1);
  }
  if (w.rank < v.rank && w.rank > 0)
    w = reshape(w, [...w.shape, ...Array<number>(v.rank - w.rank).fill(1)]);
  const fits = w.rank <= v.rank && w.shape.every((d, i) => d === 1 || d === v.shape[i]);
  if (!fits) {
    throw shapeMismatch(
      `${what}: sampleWeight of shape ${fmtShape(weight.shape)} does not line up with the ` +
        `per-sample losses of shape ${fmtShape(values.shape)}. Pass one weight per sample.`,
    );
  }
  return [v, w];
}

function reduce(values: Tensor, weight: Tensor | null, reduction: Reduction): Tensor {
  if (reduction === 'none' || values.rank === 0) return values;
  const total = sum(values);
  if (reduction === 'sum' || values.size === 0) return total;
  if (reduction === 'mean_with_sample_weight' && weight !== null) {
    // Keras' divide_no_nan: all-zero weights give 0 rather than NaN.
    const divisor = noGrad(() => sum(weight).item());
    return divisor === 0 ? mul(total, 0) : div(total, divisor);
  }
  return div(total, values.size);
}
