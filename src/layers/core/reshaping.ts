import { invalidArgument, shapeMismatch } from '../../errors.js';
import { broadcastTo, expandDims, reshape, transpose } from '../../ops/shape.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../base/config-utils.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

function product(dims: readonly (number | null)[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Flattens each sample to one axis: (batch, d1, d2, …) → (batch, d1·d2·…). No weights. */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, x.rank === 1 ? 1 : -1]);
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.passThroughDtype(inputDtypes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, inputShape.length === 1 ? 1 : product(inputShape.slice(1))];
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** The new shape of one sample (no batch dimension); one entry may be -1. */
  targetShape: readonly number[];
}

/** Gives each sample a new shape with the same number of elements. No weights. */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args.targetShape;
    if (
      !Array.isArray(t) ||
      t.some((d) => !Number.isInteger(d) || d < -1 || d === 0) ||
      t.filter((d) => d === -1).length > 1
    ) {
      throw invalidArgument(
        `Reshape: targetShape must hold positive integers and at most one -1. Received: ` +
          `targetShape=${JSON.stringify(t)}`,
      );
    }
    this.targetShape = t.slice();
  }

  override call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0]!, ...this.targetShape]);
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.passThroughDtype(inputDtypes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const size = product(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    if (size !== null) {
      if (unknown < 0 ? size !== known : size % known !== 0) {
        throw shapeMismatch(
          `Reshape cannot turn samples of shape ${formatShape(inputShape.slice(1))} (${size} ` +
            `elements) into targetShape=[${this.targetShape.join(',')}].`,
        );
      }
    }
    const out: (number | null)[] = this.targetShape.slice();
    if (unknown >= 0) out[unknown] = size === null ? null : size / known;
    return [inputShape[0] ?? null, ...out];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank−1 (the batch axis stays first), as Keras: `[2, 1]` swaps. */
  dims: readonly number[];
}

/** Reorders the non-batch axes. No weights. */
export class Permute extends Layer {
  static override readonly className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const d = args.dims;
    const sorted = Array.isArray(d) ? d.slice().sort((a, b) => a - b) : [];
    if (!Array.isArray(d) || sorted.some((v, i) => v !== i + 1)) {
      throw invalidArgument(
        `Permute: dims must be a permutation of 1..${Array.isArray(d) ? d.length : 'n'}. ` +
          `Received: dims=${JSON.stringify(d)}`,
      );
    }
    this.dims = d.slice();
  }

  override build(inputShape: SymbolicShape): void {
    if (inputShape.length !== this.dims.length + 1) {
      throw shapeMismatch(
        `Permute with dims=[${this.dims.join(',')}] ` +
          `needs inputs of rank ${this.dims.length + 1}. ` +
          `Received: inputShape=${formatShape(inputShape)}`,
      );
    }
  }

  override call(x: Tensor): Tensor {
    return transpose(x, [0, ...this.dims]);
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.passThroughDtype(inputDtypes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), dims: this.dims };
  }
}

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat. */
  n: number;
}

/** (batch, features) → (batch, n, features). No weights. */
export class RepeatVector extends Layer {
  static override readonly className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    this.n = positiveInt(`RepeatVector ${this.name}`, 'n', args.n);
    this.inputSpec = [{ ndim: 2 }];
  }

  override call(x: Tensor): Tensor {
    return broadcastTo(expandDims(x, 1), [x.shape[0]!, this.n, x.shape[1]!]);
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.passThroughDtype(inputDtypes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), n: this.n };
  }
}

for (const cls of [Flatten, Reshape, Permute, RepeatVector]) registerLayer(cls);
