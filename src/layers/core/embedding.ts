import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { cast, greater, mul, notEqual } from '../../ops/elementwise.js';
import { gather } from '../../ops/indexing.js';
import { sum } from '../../ops/reduction.js';
import { expandDims } from '../../ops/shape.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import type { DType } from '../../tensor/dtype.js';
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
import type { SymbolicShape } from '../base/symbolic.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices run over 0..inputDim−1. */
  inputDim: number;
  /** Length of each vector. */
  outputDim: number;
  /** Default 'uniform' (RandomUniform in [−0.05, 0.05]), as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Treat index 0 as padding: attach a mask that is false there. Default false. */
  maskZero?: boolean;
}

/**
 * Looks up a trainable vector per integer index: (batch, …) → (batch, …, outputDim). Weight
 * `embeddings` of shape (inputDim, outputDim).
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  embeddings: Variable | null = null;

  constructor(args: EmbeddingArgs) {
    super(args);
    this.inputDim = positiveInt(`Embedding ${this.name}`, 'inputDim', args.inputDim);
    this.outputDim = positiveInt(`Embedding ${this.name}`, 'outputDim', args.outputDim);
    this.maskZero = args.maskZero ?? false;
    this.embeddingsInitializer = initializerOf(args.embeddingsInitializer, 'uniform');
    this.embeddingsRegularizer = regularizerOf(args.embeddingsRegularizer);
    this.embeddingsConstraint = constraintOf(args.embeddingsConstraint);
    this.autocast = false;
  }

  override build(): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  override call(x: Tensor): Tensor {
    const indices = x.dtype === 'int32' ? x : cast(x, 'int32');
    return gather(this.embeddings!, indices, { axis: 0 });
  }

  override computeMask(x: Tensor): Tensor | null {
    return this.maskZero ? notEqual(x, 0) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override computeOutputDtype(): DType {
    return this.dtype;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      maskZero: this.maskZero,
      embeddingsInitializer: serialized(this.embeddingsInitializer),
      embeddingsRegularizer: serialized(this.embeddingsRegularizer),
      embeddingsConstraint: serialized(this.embeddingsConstraint),
    };
  }
}

export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked. Default 0. */
  maskValue?: number;
}

/**
 * Masks timesteps whose features all equal `maskValue`: those are zeroed in the output, and
 * the attached mask (batch, timesteps) tells downstream layers (RNNs) to skip them.
 */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    this.maskValue = args.maskValue ?? 0;
    this.supportsMasking = true;
  }

  private keep(x: Tensor): Tensor {
    return greater(sum(cast(notEqual(x, this.maskValue), 'int32'), { axis: -1 }), 0);
  }

  override call(x: Tensor): Tensor {
    return mul(x, expandDims(cast(this.keep(x), x.dtype), -1));
  }

  override computeMask(x: Tensor): Tensor | null {
    return this.keep(x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer(Embedding);
registerLayer(Masking);
