import { shapeMismatch } from '../../errors.js';
import {
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
} from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the pooled axes as size 1 (Keras' keepdims). Default false. */
  keepDims?: boolean;
}

/** Pools over every spatial axis of a channels-last input, leaving (batch, channels). */
abstract class BaseGlobalPooling extends Layer {
  readonly rank: number;
  readonly keepDims: boolean;

  constructor(rank: number, args: GlobalPoolingArgs) {
    super(args);
    this.rank = rank;
    this.keepDims = args.keepDims ?? false;
  }

  protected abstract pool(x: Tensor): Tensor;

  override call(x: Tensor): Tensor {
    return this.pool(x);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== this.rank + 2) {
      throw shapeMismatch(
        `${this.className} ${this.name}: expected an input of rank ${this.rank + 2}. ` +
          `Received: inputShape=${formatShape(inputShape)}. Inputs are channels-last, ` +
          '(batch, ..., channels); add a channels axis of size 1 with a Reshape layer if needed.',
      );
    }
    const batch = inputShape[0] ?? null;
    const channels = inputShape[inputShape.length - 1] ?? null;
    if (!this.keepDims) return [batch, channels];
    return [batch, ...new Array<number>(this.rank).fill(1), channels];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), keepDims: this.keepDims };
  }
}

export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  protected pool(x: Tensor): Tensor {
    return globalMaxPool2d(x, { keepDims: this.keepDims });
  }
}

export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  protected pool(x: Tensor): Tensor {
    return globalAvgPool2d(x, { keepDims: this.keepDims });
  }
}

export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  protected pool(x: Tensor): Tensor {
    return globalMaxPool1d(x, { keepDims: this.keepDims });
  }
}

export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  protected pool(x: Tensor): Tensor {
    return globalAvgPool1d(x, { keepDims: this.keepDims });
  }
}

for (const cls of [
  GlobalMaxPooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalAveragePooling1D,
]) {
  registerLayer(cls);
}
