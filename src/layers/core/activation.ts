import { invalidArgument } from '../../errors.js';
import { add, mul } from '../../ops/elementwise.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  type ActivationFn,
  type ActivationIdentifier,
  getActivation,
  serializeActivation,
} from '../activations.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';

export interface ActivationArgs extends LayerArgs {
  /** A Keras name ('relu', 'softmax', 'gelu', …) or a function. */
  activation: ActivationIdentifier;
}

/** Applies an activation function elementwise (softmax: along the last axis). No weights. */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args);
    this.activation = getActivation(args.activation);
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    return this.activation(x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}

/** Returns its input unchanged: a placeholder, e.g. for an optional branch. No weights. */
export class Identity extends Layer {
  static override readonly className = 'Identity';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    return x;
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.passThroughDtype(inputDtypes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

export interface RescalingArgs extends LayerArgs {
  /** Multiplier, e.g. 1/255 for pixels. */
  scale: number;
  /** Added after scaling. Default 0. */
  offset?: number;
}

/** `x·scale + offset`, e.g. pixels from [0, 255] to [0, 1]. No weights. */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args);
    this.scale = finiteNumber('scale', args.scale);
    this.offset = finiteNumber('offset', args.offset ?? 0);
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    const scaled = mul(x, this.scale);
    return this.offset === 0 ? scaled : add(scaled, this.offset);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(
      `Rescaling: ${name} must be a finite number. Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

for (const cls of [Activation, Identity, Rescaling]) registerLayer(cls);
