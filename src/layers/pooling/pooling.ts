import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type Padding, paddingOption } from '../../ops/conv.js';
import { convOutputSizes, tupleOf } from '../convolutional/conv-utils.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';
import { shapeMismatch } from '../../errors.js';

export interface PoolingArgs extends LayerArgs {
  /** Window size. Default 2. */
  poolSize?: number | readonly number[];
  /** Step between windows. Default: poolSize. */
  strides?: number | readonly number[] | null;
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
}

/** Window pooling over the spatial axes of a channels-last input (Keras' BasePooling). */
abstract class BasePooling extends Layer {
  readonly rank: number;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;

  constructor(rank: number, args: PoolingArgs) {
    super(args);
    const where = `${this.className} ${this.name}`;
    this.rank = rank;
    this.poolSize = tupleOf(where, 'poolSize', args.poolSize, rank, 2);
    this.strides =
      args.strides === undefined || args.strides === null
        ? this.poolSize.slice()
        : tupleOf(where, 'strides', args.strides, rank, 1);
    this.padding = paddingOption(args.padding, ['valid', 'same'] as const, where);
    this.supportsMasking = false;
  }

  protected abstract pool(x: Tensor): Tensor;

  override call(x: Tensor): Tensor {
    return this.pool(x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const where = `${this.className} ${this.name}`;
    if (inputShape.length !== this.rank + 2) {
      throw shapeMismatch(
        `${where}: expected an input of rank ${this.rank + 2}. Received: inputShape=` +
          `${formatShape(inputShape)}. Inputs are channels-last, (batch, ..., channels); add a ` +
          'channels axis of size 1 with a Reshape layer if needed.',
      );
    }
    const ones = new Array<number>(this.rank).fill(1);
    const spatial = convOutputSizes(
      where,
      inputShape,
      inputShape.slice(1, -1),
      this.poolSize,
      this.strides,
      ones,
      this.padding,
    );
    return [inputShape[0] ?? null, ...spatial, inputShape[inputShape.length - 1] ?? null];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
    };
  }
}

function pair(v: number[]): [number, number] {
  return [v[0]!, v[1]!];
}

/** The maximum of each window over (batch, height, width, channels). */
export class MaxPooling2D extends BasePooling {
  static override readonly className = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(2, args);
  }
  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, {
      poolSize: pair(this.poolSize),
      strides: pair(this.strides),
      padding: this.padding,
    });
  }
}

/** The mean of each window; with 'same' padding the padded cells are not counted. */
export class AveragePooling2D extends BasePooling {
  static override readonly className = 'AveragePooling2D';
  constructor(args: PoolingArgs = {}) {
    super(2, args);
  }
  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, {
      poolSize: pair(this.poolSize),
      strides: pair(this.strides),
      padding: this.padding,
    });
  }
}

/** The maximum of each window over (batch, steps, channels). */
export class MaxPooling1D extends BasePooling {
  static override readonly className = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(1, args);
  }
  protected pool(x: Tensor): Tensor {
    return maxPool1d(x, {
      poolSize: this.poolSize[0]!,
      strides: this.strides[0]!,
      padding: this.padding,
    });
  }
}

/** The mean of each window over (batch, steps, channels). */
export class AveragePooling1D extends BasePooling {
  static override readonly className = 'AveragePooling1D';
  constructor(args: PoolingArgs = {}) {
    super(1, args);
  }
  protected pool(x: Tensor): Tensor {
    return avgPool1d(x, {
      poolSize: this.poolSize[0]!,
      strides: this.strides[0]!,
      padding: this.padding,
    });
  }
}

for (const cls of [MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D])
  registerLayer(cls);
