import { noGrad } from '../../autograd/engine.js';
import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import { invalidArgument, shapeMismatch } from '../../errors.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.js';
import { mean, variance } from '../../ops/reduction.js';
import { reshape } from '../../ops/shape.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import { constraintOf, initializerOf, regularizerOf, serialized } from '../base/config-utils.js';
import { type CallOptions, Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis, normalized per feature. Default -1 (channels last). */
  axis?: number;
  /** Weight of the old value in the moving averages. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Add the learned offset beta. Default true. */
  center?: boolean;
  /** Multiply by the learned scale gamma. Default true. */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/**
 * Normalizes each feature by the batch's mean and variance while training, and by moving
 * averages of them at inference: y = γ·(x − μ)/√(σ² + ε) + β. During training the moving
 * statistics update as m ← m·momentum + batch·(1 − momentum). Weights, in Keras' order: gamma,
 * beta (trainable), moving_mean, moving_variance (not trainable): 4·C parameters, 2·C of them
 * non-trainable. As in Keras 3, a frozen layer (trainable = false) runs in inference mode.
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly initializers: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) {
      throw invalidArgument(
        `BatchNormalization ${this.name}: epsilon must be > 0. Received: epsilon=${this.epsilon}`,
      );
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.initializers = {
      beta: initializerOf(args.betaInitializer, 'zeros'),
      gamma: initializerOf(args.gammaInitializer, 'ones'),
      movingMean: initializerOf(args.movingMeanInitializer, 'zeros'),
      movingVariance: initializerOf(args.movingVarianceInitializer, 'ones'),
    };
    this.betaRegularizer = regularizerOf(args.betaRegularizer);
    this.gammaRegularizer = regularizerOf(args.gammaRegularizer);
    this.betaConstraint = constraintOf(args.betaConstraint);
    this.gammaConstraint = constraintOf(args.gammaConstraint);
    this.supportsMasking = true;
  }

  private featureAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) {
      throw shapeMismatch(
        `BatchNormalization ${this.name}: axis=${this.axis} ` +
          `is out of range for inputs of rank ${rank}.`,
      );
    }
    return a;
  }

  override build(inputShape: SymbolicShape): void {
    const axis = this.featureAxis(inputShape.length);
    const c = inputShape[axis];
    if (c === null || c === undefined) {
      throw shapeMismatch(
        `BatchNormalization ${this.name}: the features axis must have a known size. Received: ` +
          `inputShape=${formatShape(inputShape)}`,
      );
    }
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: [c],
        initializer: this.initializers.gamma,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: [c],
        initializer: this.initializers.beta,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: [c],
      initializer: this.initializers.movingMean,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: [c],
      initializer: this.initializers.movingVariance,
      trainable: false,
    });
    this.inputSpec = [{ ndim: inputShape.length, axes: { [axis]: c } }];
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    const axis = this.featureAxis(x.rank);
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== axis);
    // Per-feature vectors broadcast against x once reshaped to (1, …, C, …, 1).
    const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
    const asBroadcast = (v: Tensor): Tensor => reshape(v, bshape);

    let m: Tensor;
    let v: Tensor;
    if (training && this.trainable) {
      m = mean(x, { axis: reduceAxes, keepDims: true });
      v = variance(x, { axis: reduceAxes, keepDims: true });
      const momentum = this.momentum;
      noGrad(() => {
        const mm = this.movingMean!;
        const mv = this.movingVariance!;
        mm.assign(add(mul(mm, momentum), mul(reshape(m, mm.shape), 1 - momentum)));
        mv.assign(add(mul(mv, momentum), mul(reshape(v, mv.shape), 1 - momentum)));
      });
    } else {
      m = asBroadcast(this.movingMean!);
      v = asBroadcast(this.movingVariance!);
    }
    let y = mul(sub(x, m), rsqrt(add(v, this.epsilon)));
    if (this.gamma !== null) y = mul(y, asBroadcast(this.gamma));
    if (this.beta !== null) y = add(y, asBroadcast(this.beta));
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialized(this.initializers.beta),
      gammaInitializer: serialized(this.initializers.gamma),
      movingMeanInitializer: serialized(this.initializers.movingMean),
      movingVarianceInitializer: serialized(this.initializers.movingVariance),
      betaRegularizer: serialized(this.betaRegularizer),
      gammaRegularizer: serialized(this.gammaRegularizer),
      betaConstraint: serialized(this.betaConstraint),
      gammaConstraint: serialized(this.gammaConstraint),
    };
  }
}

registerLayer(BatchNormalization);
