import { invalidArgument } from '../../errors.js';
import { mul } from '../../ops/elementwise.js';
import { allocate } from '../../tensor/dtype.js';
import { Random, randomFor } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallOptions, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config, JsonValue } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /**
   * Shape of the keep/drop pattern, broadcast over the input; null entries take the input's size.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the layer's own generator: the same sequence of masks on every run. */
  seed?: number | null;
}

/**
 * In training, zeroes each input with probability `rate` and scales the rest by 1/(1 − rate), so
 * the expected sum is unchanged (inverted dropout, Srivastava et al. 2014); at inference, the
 * identity. No weights.
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
  private readonly rng: Random | null;

  constructor(args: DropoutArgs) {
    super(args);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw invalidArgument(
        `Dropout: rate must be a number in [0, 1). Received: rate=${String(args.rate)}`,
      );
    }
    this.rate = args.rate;
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new Random(this.seed);
    this.supportsMasking = true;
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.noiseShapeFor(x.shape);
    const rng = this.rng ?? randomFor(undefined);
    const keep = allocate(
      x.dtype === 'float64' ? 'float64' : 'float32',
      shape.reduce((a, b) => a * b, 1),
    );
    const scale = 1 / (1 - this.rate);
    for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() >= this.rate ? scale : 0;
    return mul(x, new Tensor(keep, shape));
  }

  /** @internal The shape of the drop pattern for an input shape (Keras' noise_shape). */
  protected noiseShapeFor(shape: readonly number[]): number[] {
    if (this.noiseShape === null) return shape.slice();
    return this.noiseShape.map((d, i) => d ?? shape[i]!);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      rate: this.rate,
      noiseShape: this.noiseShape as JsonValue,
      seed: this.seed,
    };
  }
}

registerLayer(Dropout);
