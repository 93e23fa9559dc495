import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import { invalidArgument } from '../../errors.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { add } from '../../ops/elementwise.js';
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
import type { Config } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';
import { paddingOption } from '../../ops/conv.js';
import { channelsOf, convOutputSizes, tupleOf } from './conv-utils.js';

/** Options shared by Conv1D, Conv2D and Conv2DTranspose (Keras' BaseConv). */
export interface ConvArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Window size: one number for every spatial axis, or one per axis. */
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'; Conv1D also takes 'causal'. */
  padding?: 'valid' | 'same' | 'causal';
  /** Default 1. */
  dilationRate?: number | readonly number[];
  /** Input and output channels split into this many independent convolutions. Default 1. */
  groups?: number;
  activation?: ActivationIdentifier | null;
  /** Default true. */
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
 * What every convolution layer shares: option parsing, the kernel and bias weights, the bias
 * and activation after the convolution, and the config. Subclasses give the rank, the kernel
 * shape and the convolution itself.
 */
export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dilationRate: number[];
  readonly groups: number;
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

  constructor(rank: number, args: ConvArgs, paddings: readonly ('valid' | 'same' | 'causal')[]) {
    super(args);
    const where = `${this.className} ${this.name}`;
    this.rank = rank;
    this.filters = positiveInt(where, 'filters', args.filters);
    this.kernelSize = tupleOf(where, 'kernelSize', args.kernelSize, rank, 1);
    this.strides = tupleOf(where, 'strides', args.strides, rank, 1);
    this.padding = paddingOption(args.padding, paddings, where);
    this.dilationRate = tupleOf(where, 'dilationRate', args.dilationRate, rank, 1);
    this.groups = positiveInt(where, 'groups', args.groups ?? 1);
    if (this.filters % this.groups !== 0) {
      throw invalidArgument(
        `${where}: filters must be divisible by groups. Received: filters=${this.filters}, ` +
          `groups=${this.groups}`,
      );
    }
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerOf(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = initializerOf(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerOf(args.kernelRegularizer);
    this.biasRegularizer = regularizerOf(args.biasRegularizer);
    this.kernelConstraint = constraintOf(args.kernelConstraint);
    this.biasConstraint = constraintOf(args.biasConstraint);
  }

  /** The kernel's shape for an input with `channels` channels. */
  protected abstract kernelShape(channels: number): number[];
  /** The convolution alone, before bias and activation. */
  protected abstract convolve(x: Tensor, kernel: Tensor): Tensor;

  protected get where(): string {
    return `${this.className} ${this.name}`;
  }

  override build(inputShape: SymbolicShape): void {
    const channels = channelsOf(this.where, inputShape, this.rank);
    if (channels % this.groups !== 0) {
      throw invalidArgument(
        `${this.where}: the input's ${channels} channels ` +
          `are not divisible by groups=${this.groups}.`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: this.kernelShape(channels),
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [{ ndim: this.rank + 2, axes: { [-1]: channels } }];
  }

  override call(x: Tensor): Tensor {
    let y = this.convolve(x, this.kernel!);
    if (this.bias !== null) y = add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    channelsOf(this.where, inputShape, this.rank);
    const spatial = convOutputSizes(
      this.where,
      inputShape,
      inputShape.slice(1, -1),
      this.kernelSize,
      this.strides,
      this.dilationRate,
      this.padding,
    );
    return [inputShape[0] ?? null, ...spatial, this.filters];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      groups: this.groups,
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
