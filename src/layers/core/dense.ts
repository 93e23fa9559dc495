import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { add } from '../../ops/elementwise.js';
import { matmul } from '../../ops/linalg.js';
import { reshape } from '../../ops/shape.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import {
  type ActivationFn,
  type ActivationIdentifier,
  getActivation,
  serializeActivation,
} from '../activations.js';
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
import { shapeMismatch } from '../../errors.js';

export interface DenseArgs extends LayerArgs {
  /** Size of the output's last axis. */
  units: number;
  /** Applied to the output; none (linear) by default. A Keras name or a function. */
  activation?: ActivationIdentifier | null;
  /** Add a bias vector. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * `activation(x·kernel + bias)` on the last axis: kernel (inputDim, units), bias (units), so an
 * input (batch, …, inputDim) gives (batch, …, units). Parameters: inputDim·units + units.
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    this.units = positiveInt(`Dense ${this.name}`, 'units', args.units);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerOf(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = initializerOf(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerOf(args.kernelRegularizer);
    this.biasRegularizer = regularizerOf(args.biasRegularizer);
    this.kernelConstraint = constraintOf(args.kernelConstraint);
    this.biasConstraint = constraintOf(args.biasConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null || inputDim === undefined) {
      throw shapeMismatch(
        `Dense needs an input of rank >= 2 with a known last axis. Received: ` +
          `inputShape=${formatShape(inputShape)}. Flatten or reshape the input first.`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inputDim } }];
  }

  override call(x: Tensor): Tensor {
    const kernel = this.kernel!;
    let y: Tensor;
    if (x.rank === 2) {
      y = matmul(x, kernel);
    } else {
      // Apply on the last axis: fold the leading axes into one, multiply, unfold.
      const lead = x.shape.slice(0, -1);
      y = reshape(matmul(reshape(x, [-1, kernel.shape[0]!]), kernel), [...lead, this.units]);
    }
    if (this.bias !== null) y = add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: serialized(this.kernelInitializer),
      biasInitializer: serialized(this.biasInitializer),
      kernelRegularizer: serialized(this.kernelRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
      kernelConstraint: serialized(this.kernelConstraint),
      biasConstraint: serialized(this.biasConstraint),
    };
  }
}

registerLayer(Dense);
