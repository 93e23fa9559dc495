import { invalidArgument, shapeMismatch } from '../../errors.js';
import { add, mul } from '../../ops/elementwise.js';
import { allocate } from '../../tensor/dtype.js';
import { Random, randomFor } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { l1l2 } from '../../regularizers/regularizers.js';
import { type CallOptions, Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/** The layer's own generator when seeded (reproducible runs), else the library's global one. */
function generatorFor(seed: number | undefined): Random {
  return seed === undefined ? randomFor(undefined) : new Random(seed);
}

export interface SpatialDropout2DArgs extends LayerArgs {
  /** Fraction of channels dropped while training, in [0, 1). */
  rate: number;
  seed?: number;
}

/**
 * Dropout of whole feature maps: while training, each (sample, channel) pair is zeroed with
 * probability `rate` and the rest scaled by 1/(1 − rate), so neighbouring pixels, which are
 * strongly correlated, drop together.
 */
export class SpatialDropout2D extends Layer {
  static override readonly className = 'SpatialDropout2D';
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly rng: Random;

  constructor(args: SpatialDropout2DArgs) {
    super(args);
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw invalidArgument(
        `SpatialDropout2D ${this.name}: rate must be in [0, 1). ` +
          `Received: rate=${String(args.rate)}`,
      );
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = generatorFor(args.seed);
    this.inputSpec = [{ ndim: 4 }];
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.rate === 0) return x;
    const [n, , , c] = x.shape as [number, number, number, number];
    const mask = allocate(x.dtype, n * c);
    const keep = 1 / (1 - this.rate);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() >= this.rate ? keep : 0;
    return mul(x, new Tensor(mask, [n, 1, 1, c]));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) {
      throw shapeMismatch(
        `SpatialDropout2D ${this.name}: expected a 4-D input. ` +
          `Received: inputShape=${formatShape(inputShape)}`,
      );
    }
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise added while training. */
  stddev: number;
  seed?: number;
}

/** Adds zero-mean Gaussian noise while training (a regularizer); the identity at inference. */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | undefined;
  private readonly rng: Random;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    if (typeof args.stddev !== 'number' || !(args.stddev >= 0)) {
      throw invalidArgument(
        `GaussianNoise ${this.name}: stddev must be a number >= 0. ` +
          `Received: stddev=${String(args.stddev)}`,
      );
    }
    this.stddev = args.stddev;
    this.seed = args.seed;
    this.rng = generatorFor(args.seed);
    this.supportsMasking = true;
  }

  override call(x: Tensor, { training }: CallOptions): Tensor {
    if (!training || this.stddev === 0) return x;
    const noise = allocate(x.dtype, x.size);
    for (let i = 0; i < noise.length; i++) noise[i] = this.stddev * this.rng.normal();
    return add(x, new Tensor(noise, x.shape));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }
}

export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Weight of Σ|x|. Default 0. */
  l1?: number;
  /** Weight of Σx². Default 0. */
  l2?: number;
}

/** The identity, adding l1·Σ|x| + l2·Σx² of its output to the training loss. */
export class ActivityRegularization extends Layer {
  static override readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    const l1 = args.l1 ?? 0;
    const l2 = args.l2 ?? 0;
    super({ ...args, activityRegularizer: l1l2({ l1, l2 }) });
    for (const [name, v] of [
      ['l1', l1],
      ['l2', l2],
    ] as const) {
      if (typeof v !== 'number' || !(v >= 0)) {
        throw invalidArgument(
          `ActivityRegularization ${this.name}: ${name} must be >= 0. Received: ${name}=${v}`,
        );
      }
    }
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  override call(x: Tensor): Tensor {
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Config {
    const { activityRegularizer: _unused, ...base } = super.getConfig();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}

for (const cls of [SpatialDropout2D, GaussianNoise, ActivityRegularization]) registerLayer(cls);
