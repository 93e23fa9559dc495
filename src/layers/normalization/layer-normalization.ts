import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import { invalidArgument, shapeMismatch } from '../../errors.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.js';
import { mean, variance } from '../../ops/reduction.js';
import { reshape } from '../../ops/shape.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import {
  constraintOf,
  initializerOf,
  positiveInt,
  regularizerOf,
  serialized,
} from '../base/config-utils.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

interface AffineArgs extends LayerArgs {
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Add the learned offset beta. Default true. */
  center?: boolean;
  /** Multiply by the learned scale gamma. Default true. */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** The learned scale and offset that Layer- and GroupNormalization apply after normalizing. */
abstract class AffineNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(args: AffineArgs) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) {
      throw invalidArgument(
        `${this.className} ${this.name}: epsilon must be > 0. Received: epsilon=${this.epsilon}`,
      );
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializerOf(args.betaInitializer, 'zeros');
    this.gammaInitializer = initializerOf(args.gammaInitializer, 'ones');
    this.betaRegularizer = regularizerOf(args.betaRegularizer);
    this.gammaRegularizer = regularizerOf(args.gammaRegularizer);
    this.betaConstraint = constraintOf(args.betaConstraint);
    this.gammaConstraint = constraintOf(args.gammaConstraint);
    this.supportsMasking = true;
  }

  protected addAffineWeights(shape: number[]): void {
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
  }

  /** γ·y + β with γ and β reshaped to `shape` so they broadcast against y. */
  protected affine(y: Tensor, shape: number[]): Tensor {
    if (this.gamma !== null) y = mul(y, reshape(this.gamma, shape));
    if (this.beta !== null) y = add(y, reshape(this.beta, shape));
    return y;
  }

  protected normalize(x: Tensor, axes: number[]): Tensor {
    const m = mean(x, { axis: axes, keepDims: true });
    const v = variance(x, { axis: axes, keepDims: true });
    return mul(sub(x, m), rsqrt(add(v, this.epsilon)));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialized(this.betaInitializer),
      gammaInitializer: serialized(this.gammaInitializer),
      betaRegularizer: serialized(this.betaRegularizer),
      gammaRegularizer: serialized(this.gammaRegularizer),
      betaConstraint: serialized(this.betaConstraint),
      gammaConstraint: serialized(this.gammaConstraint),
    };
  }
}

function knownAxes(where: string, shape: SymbolicShape, axes: readonly number[]): number[] {
  return axes.map((a) => {
    const axis = a < 0 ? a + shape.length : a;
    const size = shape[axis];
    if (axis <= 0 || axis >= shape.length || size === null || size === undefined) {
      throw shapeMismatch(
        `${where}: axis ${a} must be a non-batch axis of known size. ` +
          `Received: inputShape=${formatShape(shape)}`,
      );
    }
    return axis;
  });
}

export interface LayerNormalizationArgs extends AffineArgs {
  /** Axis or axes normalized together, per sample. Default -1. */
  axis?: number | readonly number[];
}

/**
 * Normalizes each sample over `axis` (the features by default), then scales and shifts by
 * gamma and beta of the normalized axes' shape: 2·C parameters for one axis of size C.
 */
export class LayerNormalization extends AffineNormalization {
  static override readonly className = 'LayerNormalization';
  readonly axis: number[];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const a = args.axis ?? -1;
    this.axis = typeof a === 'number' ? [a] : a.slice();
  }

  override build(inputShape: SymbolicShape): void {
    const axes = knownAxes(`LayerNormalization ${this.name}`, inputShape, this.axis);
    this.addAffineWeights(axes.map((a) => inputShape[a] as number));
    // gamma and beta fix the normalized sizes; a reuse on other sizes fails at construction.
    // Negative axes count from the end, so the rank stays free unless an axis is positive.
    this.inputSpec = [
      {
        ...(this.axis.some((a) => a >= 0) ? { ndim: inputShape.length } : {}),
        axes: Object.fromEntries(this.axis.map((a, i) => [a, inputShape[axes[i]!] as number])),
      },
    ];
  }

  override call(x: Tensor): Tensor {
    const axes = this.axis.map((a) => (a < 0 ? a + x.rank : a)).sort((p, q) => p - q);
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    return this.affine(this.normalize(x, axes), bshape);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface GroupNormalizationArgs extends AffineArgs {
  /** Number of channel groups; must divide the channels. Default 32. */
  groups?: number;
  /** The channels axis. Default -1. */
  axis?: number;
}

/**
 * Splits the channels into groups and normalizes each sample over every other non-batch axis
 * and the channels of its group (Wu and He, "Group Normalization", 2018). gamma and beta have
 * one entry per channel.
 */
export class GroupNormalization extends AffineNormalization {
  static override readonly className = 'GroupNormalization';
  readonly groups: number;
  readonly axis: number;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = positiveInt(`GroupNormalization ${this.name}`, 'groups', args.groups ?? 32);
    this.axis = args.axis ?? -1;
  }

  override build(inputShape: SymbolicShape): void {
    const where = `GroupNormalization ${this.name}`;
    const [axis] = knownAxes(where, inputShape, [this.axis]);
    const channels = inputShape[axis!] as number;
    if (channels % this.groups !== 0) {
      throw shapeMismatch(
        `${where}: groups=${this.groups} ` +
          `must divide the ${channels} channels of input ${formatShape(inputShape)}.`,
      );
    }
    this.addAffineWeights([channels]);
  }

  override call(x: Tensor): Tensor {
    const axis = this.axis < 0 ? this.axis + x.rank : this.axis;
    const channels = x.shape[axis]!;
    // (…, C, …) → (…, G, C/G, …): normalize over everything but the batch and group axes.
    const grouped = [
      ...x.shape.slice(0, axis),
      this.groups,
      channels / this.groups,
      ...x.shape.slice(axis + 1),
    ];
    const axes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const y = reshape(this.normalize(reshape(x, grouped), axes), x.shape);
    return this.affine(
      y,
      x.shape.map((d, i) => (i === axis ? d : 1)),
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis };
  }
}

registerLayer(LayerNormalization);
registerLayer(GroupNormalization);
