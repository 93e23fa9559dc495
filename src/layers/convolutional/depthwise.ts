import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { conv2d, depthwiseConv2d, paddingOption } from '../../ops/conv.js';
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
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';
import { channelsOf, convOutputSizes, tupleOf } from './conv-utils.js';

export interface DepthwiseConv2DArgs extends LayerArgs {
  kernelSize: number | readonly number[];
  /** Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default 1. */
  dilationRate?: number | readonly number[];
  activation?: ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * Each input channel convolved with its own `depthMultiplier` filters. Kernel
 * (kh, kw, in, depthMultiplier) named `kernel` as in Keras 3, bias (in·depthMultiplier).
 */
export class DepthwiseConv2D extends Layer {
  static override readonly className: string = 'DepthwiseConv2D';
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly depthMultiplier: number;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args);
    const where = this.where;
    this.kernelSize = tupleOf(where, 'kernelSize', args.kernelSize, 2, 1);
    this.strides = tupleOf(where, 'strides', args.strides, 2, 1);
    this.padding = paddingOption(args.padding, ['valid', 'same'] as const, where);
    this.depthMultiplier = positiveInt(where, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.dilationRate = tupleOf(where, 'dilationRate', args.dilationRate, 2, 1);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializerOf(args.depthwiseInitializer, 'glorotUniform');
    this.biasInitializer = initializerOf(args.biasInitializer, 'zeros');
    this.depthwiseRegularizer = regularizerOf(args.depthwiseRegularizer);
    this.biasRegularizer = regularizerOf(args.biasRegularizer);
    this.depthwiseConstraint = constraintOf(args.depthwiseConstraint);
    this.biasConstraint = constraintOf(args.biasConstraint);
  }

  protected get where(): string {
    return `${this.className} ${this.name}`;
  }

  override build(inputShape: SymbolicShape): void {
    const channels = channelsOf(this.where, inputShape, 2);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [channels * this.depthMultiplier],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [{ ndim: 4, axes: { [-1]: channels } }];
  }

  protected depthwise(x: Tensor): Tensor {
    return depthwiseConv2d(x, this.kernel!, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding,
      dilationRate: [this.dilationRate[0]!, this.dilationRate[1]!],
    });
  }

  override call(x: Tensor): Tensor {
    let y = this.depthwise(x);
    if (this.bias !== null) y = add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = channelsOf(this.where, inputShape, 2);
    const spatial = convOutputSizes(
      this.where,
      inputShape,
      inputShape.slice(1, -1),
      this.kernelSize,
      this.strides,
      this.dilationRate,
      this.padding,
    );
    return [inputShape[0] ?? null, ...spatial, channels * this.depthMultiplier];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dilationRate: this.dilationRate,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: serialized(this.depthwiseInitializer),
      biasInitializer: serialized(this.biasInitializer),
      depthwiseRegularizer: serialized(this.depthwiseRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
      depthwiseConstraint: serialized(this.depthwiseConstraint),
      biasConstraint: serialized(this.biasConstraint),
    };
  }
}

export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  filters: number;
  /** Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

/**
 * A depthwise convolution followed by a 1×1 convolution mixing the channels. Weights, in
 * Keras' order: depthwise_kernel (kh, kw, in, mult), pointwise_kernel (1, 1, in·mult, filters),
 * bias (filters).
 */
export class SeparableConv2D extends DepthwiseConv2D {
  static override readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly pointwiseConstraint: Constraint | null;
  pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    this.filters = positiveInt(this.where, 'filters', args.filters);
    this.pointwiseInitializer = initializerOf(args.pointwiseInitializer, 'glorotUniform');
    this.pointwiseRegularizer = regularizerOf(args.pointwiseRegularizer);
    this.pointwiseConstraint = constraintOf(args.pointwiseConstraint);
  }

  override build(inputShape: SymbolicShape): void {
    const channels = channelsOf(this.where, inputShape, 2);
    this.kernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [1, 1, channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
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
    this.inputSpec = [{ ndim: 4, axes: { [-1]: channels } }];
  }

  override call(x: Tensor): Tensor {
    let y = conv2d(this.depthwise(x), this.pointwiseKernel!);
    if (this.bias !== null) y = add(y, this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const shape = super.computeOutputShape(inputShape);
    return [...shape.slice(0, -1), this.filters];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      pointwiseInitializer: serialized(this.pointwiseInitializer),
      pointwiseRegularizer: serialized(this.pointwiseRegularizer),
      pointwiseConstraint: serialized(this.pointwiseConstraint),
    };
  }
}

registerLayer(DepthwiseConv2D);
registerLayer(SeparableConv2D);
