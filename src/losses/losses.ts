import { invalidArgument } from '../errors.js';
import { notEqual } from '../ops/elementwise.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  cosineSimilarity,
  hinge,
  huber,
  kullbackLeiblerDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from '../ops/losses.js';
import { squeeze } from '../ops/shape.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, type LossConfig } from './loss.js';

/** mean((yTrue − yPred)²) over the last axis. Keras name 'mean_squared_error' ('mse'). */
export class MeanSquaredError extends Loss {
  static override className = 'MeanSquaredError';
  constructor(config: LossConfig = {}) {
    super(config, 'mean_squared_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

/** mean(|yTrue − yPred|) over the last axis. Keras name 'mean_absolute_error' ('mae'). */
export class MeanAbsoluteError extends Loss {
  static override className = 'MeanAbsoluteError';
  constructor(config: LossConfig = {}) {
    super(config, 'mean_absolute_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

/** 100·mean(|yTrue − yPred| / max(|yTrue|, ε)) over the last axis ('mape'). */
export class MeanAbsolutePercentageError extends Loss {
  static override className = 'MeanAbsolutePercentageError';
  constructor(config: LossConfig = {}) {
    super(config, 'mean_absolute_percentage_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsolutePercentageError(yTrue, yPred);
  }
}

/** mean((log(1 + yTrue) − log(1 + yPred))²) over the last axis ('msle'). */
export class MeanSquaredLogarithmicError extends Loss {
  static override className = 'MeanSquaredLogarithmicError';
  constructor(config: LossConfig = {}) {
    super(config, 'mean_squared_logarithmic_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredLogarithmicError(yTrue, yPred);
  }
}

export interface HuberConfig extends LossConfig {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Huber loss: ½x² for |x| ≤ delta, delta·(|x| − ½delta) beyond, averaged over the last axis. */
export class Huber extends Loss {
  static override className = 'Huber';
  readonly delta: number;
  constructor(config: HuberConfig = {}) {
    super(config, 'huber_loss');
    this.delta = config.delta ?? 1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return huber(yTrue, yPred, { delta: this.delta });
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { delta: this.delta };
  }
}

/** log(cosh(yPred − yTrue)) averaged over the last axis ('log_cosh'). */
export class LogCosh extends Loss {
  static override className = 'LogCosh';
  constructor(config: LossConfig = {}) {
    super(config, 'log_cosh');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return logCosh(yTrue, yPred);
  }
}

export interface BinaryCrossentropyConfig extends LossConfig {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Squeezes labels towards 0.5: y·(1 − s) + s/2. Default 0. */
  labelSmoothing?: number;
  /** The axis the mean is taken over. Default −1. */
  axis?: number;
}

/** Binary cross-entropy per sample, averaged over the last axis. */
export class BinaryCrossentropy extends Loss {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(config: BinaryCrossentropyConfig = {}) {
    super(config, 'binary_crossentropy');
    this.fromLogits = config.fromLogits ?? false;
    this.labelSmoothing = config.labelSmoothing ?? 0;
    this.axis = config.axis ?? -1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, {
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    });
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

export interface CategoricalCrossentropyConfig extends LossConfig {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Mixes the one-hot labels with the uniform distribution: y·(1 − s) + s/classes. Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default −1. */
  axis?: number;
}

/** Cross-entropy for one-hot (or soft) labels, summed over the class axis. */
export class CategoricalCrossentropy extends Loss {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(config: CategoricalCrossentropyConfig = {}) {
    super(config, 'categorical_crossentropy');
    this.fromLogits = config.fromLogits ?? false;
    this.labelSmoothing = config.labelSmoothing ?? 0;
    this.axis = config.axis ?? -1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, {
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: this.axis,
    });
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

export interface SparseCategoricalCrossentropyConfig extends LossConfig {
  /** yPred holds logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** A label that does not count: its samples get no loss and leave the mean. Default null. */
  ignoreClass?: number | null;
  /** The class axis of yPred. Default −1. */
  axis?: number;
}

/** Cross-entropy for integer class labels. */
export class SparseCategoricalCrossentropy extends Loss {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(config: SparseCategoricalCrossentropyConfig = {}) {
    super(config, 'sparse_categorical_crossentropy');
    this.fromLogits = config.fromLogits ?? false;
    this.ignoreClass = config.ignoreClass ?? null;
    this.axis = config.axis ?? -1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, {
      fromLogits: this.fromLogits,
      axis: this.axis,
      ...(this.ignoreClass === null ? {} : { ignoreClass: this.ignoreClass }),
    });
  }
  protected override mask(yTrue: Tensor, yPred: Tensor): Tensor | null {
    if (this.ignoreClass === null) return null;
    const labels =
      yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? squeeze(yTrue, -1) : yTrue;
    return notEqual(labels, this.ignoreClass);
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass, axis: this.axis };
  }
}

/** Σ yTrue·log(yTrue/yPred) over the last axis, both clipped to [ε, 1]. */
export class KLDivergence extends Loss {
  static override className = 'KLDivergence';
  constructor(config: LossConfig = {}) {
    super(config, 'kl_divergence');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return kullbackLeiblerDivergence(yTrue, yPred);
  }
}

/** mean(yPred − yTrue·log(yPred + ε)) over the last axis. */
export class Poisson extends Loss {
  static override className = 'Poisson';
  constructor(config: LossConfig = {}) {
    super(config, 'poisson');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return poisson(yTrue, yPred);
  }
}

/** mean(max(1 − yTrue·yPred, 0)) over the last axis; labels in {−1, 1} or {0, 1}. */
export class Hinge extends Loss {
  static override className = 'Hinge';
  constructor(config: LossConfig = {}) {
    super(config, 'hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return hinge(yTrue, yPred);
  }
}

/** mean(max(1 − yTrue·yPred, 0)²) over the last axis. */
export class SquaredHinge extends Loss {
  static override className = 'SquaredHinge';
  constructor(config: LossConfig = {}) {
    super(config, 'squared_hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return squaredHinge(yTrue, yPred);
  }
}

/** max(max((1 − y)·p) − Σ y·p + 1, 0) for one-hot labels. */
export class CategoricalHinge extends Loss {
  static override className = 'CategoricalHinge';
  constructor(config: LossConfig = {}) {
    super(config, 'categorical_hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalHinge(yTrue, yPred);
  }
}

export interface CosineSimilarityConfig extends LossConfig {
  /** The axis along which similarity is computed. Default −1. */
  axis?: number;
}

/** The negative cosine similarity along `axis`: −1 for parallel vectors. */
export class CosineSimilarity extends Loss {
  static override className = 'CosineSimilarity';
  readonly axis: number;
  constructor(config: CosineSimilarityConfig = {}) {
    super(config, 'cosine_similarity');
    this.axis = config.axis ?? -1;
    if (!Number.isInteger(this.axis)) {
      throw invalidArgument(
        `CosineSimilarity: axis must be an integer. Received: axis=${this.axis}`,
      );
    }
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return cosineSimilarity(yTrue, yPred, { axis: this.axis });
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { axis: this.axis };
  }
}
