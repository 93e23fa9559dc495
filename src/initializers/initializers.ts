import { invalidArgument } from '../errors.js';
import { type DType, allocate, isFloat } from '../tensor/dtype.js';
import { full } from '../tensor/creation.js';
import { Random, randomFor } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Config, registerClass } from '../layers/base/registry.js';
import { Initializer } from './initializer.js';
import { orthogonalMatrix } from './orthogonal.js';

function floatDType(dtype: DType | undefined, who: string): 'float32' | 'float64' {
  const d = dtype ?? 'float32';
  if (!isFloat(d)) {
    throw invalidArgument(`${who} makes float weights only. Received: dtype=${d}`);
  }
  return d;
}

/**
 * Fills a tensor from a draw function, with a fresh generator when seeded (same values each call).
 */
function drawn(
  shape: readonly number[],
  dtype: DType | undefined,
  seed: number | undefined,
  who: string,
  draw: (r: Random) => number,
): Tensor {
  const d = floatDType(dtype, who);
  const rng = randomFor(seed);
  const data = allocate(d, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return new Tensor(data, shape);
}

function seedConfig(seed: number | undefined): Config {
  return seed === undefined ? {} : { seed };
}

export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return full(shape, 0, { dtype });
  }
  static fromConfig(): Zeros {
    return new Zeros();
  }
}

export class Ones extends Initializer {
  static override readonly className = 'Ones';
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return full(shape, 1, { dtype });
  }
  static fromConfig(): Ones {
    return new Ones();
  }
}

export class Constant extends Initializer {
  static override readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = args.value ?? 0;
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return full(shape, this.value, { dtype });
  }
  override getConfig(): Config {
    return { value: this.value };
  }
  static fromConfig(config: Config): Constant {
    return new Constant(config as { value?: number });
  }
}

interface RandomArgs {
  seed?: number;
}

export class RandomNormal extends Initializer {
  static override readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;
  constructor(args: RandomArgs & { mean?: number; stddev?: number } = {}) {
    super();
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
    this.seed = args.seed;
  }
  call(shape: readonly number[], dtype?: DType): Tensor {
    return drawn(
      shape,
      dtype,
      this.seed,
      this.className,
      (r) => this.mean + this.stddev * r.normal(),
    );
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, ...seedConfig(this.seed) };
  }
  static fromConfig(config: Config): RandomNormal {
    return new RandomNormal(config as RandomArgs);
  }
}

export class RandomUniform extends Initializer {
  static override readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;
  constructor(args: RandomArgs & { minval?: number; maxval?: number } = {}) {
    super();
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    this.seed = args.seed;
  }
  call(shape: readonly number[], dtype?: DType): Tensor {
    const { minval: lo, maxval: hi } = this;
    return drawn(shape, dtype, this.seed, this.className, (r) => lo + (hi - lo) * r.uniform());
  }
  override getConfig(): Config {
    return { minval: this.minval, maxval: this.maxval, ...seedConfig(this.seed) };
  }
  static fromConfig(config: Config): RandomUniform {
    return new RandomUniform(config as RandomArgs);
  }
}

/** Normal redrawn outside two standard deviations, as Keras' TruncatedNormal. */
export class TruncatedNormal extends Initializer {
  static override readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;
  constructor(args: RandomArgs & { mean?: number; stddev?: number } = {}) {
    super();
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
    this.seed = args.seed;
  }
  call(shape: readonly number[], dtype?: DType): Tensor {
    return drawn(
      shape,
      dtype,
      this.seed,
      this.className,
      (r) => this.mean + this.stddev * r.truncatedNormal(),
    );
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, ...seedConfig(this.seed) };
  }
  static fromConfig(config: Config): TruncatedNormal {
    return new TruncatedNormal(config as RandomArgs);
  }
}

/** Keras' compute_fans: for kernels of rank > 2 the leading axes are the receptive field. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return {
    fanIn: shape[shape.length - 2]! * receptive,
    fanOut: shape[shape.length - 1]! * receptive,
  };
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution;
  seed?: number;
}

/**
 * Draws with variance scale/n, n the fan-in, fan-out or their mean (He et al. 2015, Glorot and
 * Bengio 2010, LeCun et al. 1998 are special cases). The truncated normal's stddev is divided
 * by 0.8796…, the stddev of a standard normal truncated to [−2, 2], so the variance is exact.
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | undefined;

  constructor(args: VarianceScalingArgs = {}) {
    super();
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    this.distribution = args.distribution ?? 'truncated_normal';
    this.seed = args.seed;
    if (!(this.scale > 0)) {
      throw invalidArgument(`VarianceScaling needs scale > 0. Received: scale=${this.scale}`);
    }
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(this.mode)) {
      throw invalidArgument(
        `VarianceScaling mode must be fan_in, fan_out or fan_avg. Received: mode=${this.mode}`,
      );
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(this.distribution)) {
      throw invalidArgument(
        `VarianceScaling distribution must be truncated_normal, untruncated_normal or uniform. ` +
          `Received: distribution=${this.distribution}`,
      );
    }
  }

  call(shape: readonly number[], dtype?: DType): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return drawn(
        shape,
        dtype,
        this.seed,
        this.className,
        (r) => -limit + 2 * limit * r.uniform(),
      );
    }
    if (this.distribution === 'untruncated_normal') {
      const sd = Math.sqrt(variance);
      return drawn(shape, dtype, this.seed, this.className, (r) => sd * r.normal());
    }
    const sd = Math.sqrt(variance) / 0.8796256610342398;
    return drawn(shape, dtype, this.seed, this.className, (r) => sd * r.truncatedNormal());
  }

  override getConfig(): Config {
    return {
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      ...seedConfig(this.seed),
    };
  }

  static fromConfig(config: Config): VarianceScaling {
    return new VarianceScaling(config as VarianceScalingArgs);
  }
}

/** Defines a VarianceScaling preset whose config holds only the seed, as Keras' GlorotUniform. */
function preset(className: string, scale: number, mode: FanMode, distribution: Distribution) {
  const cls = class extends VarianceScaling {
    static override readonly className: string = className;
    constructor(args: RandomArgs = {}) {
      super({ scale, mode, distribution, ...(args.seed === undefined ? {} : { seed: args.seed }) });
    }
    override getConfig(): Config {
      return seedConfig(this.seed);
    }
    static override fromConfig(config: Config): VarianceScaling {
      return new cls(config as RandomArgs);
    }
  };
  return cls;
}

export const GlorotUniform = preset('GlorotUniform', 1, 'fan_avg', 'uniform');
export const GlorotNormal = preset('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
export const HeUniform = preset('HeUniform', 2, 'fan_in', 'uniform');
export const HeNormal = preset('HeNormal', 2, 'fan_in', 'truncated_normal');
export const LecunUniform = preset('LecunUniform', 1, 'fan_in', 'uniform');
export const LecunNormal = preset('LecunNormal', 1, 'fan_in', 'truncated_normal');

/**
 * A random orthogonal matrix (Saxe et al. 2014): the Q of a QR decomposition of a normal
 * matrix, signs fixed by R's diagonal, reshaped to the weight shape and scaled by `gain`.
 */
export class Orthogonal extends Initializer {
  static override readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | undefined;
  constructor(args: RandomArgs & { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed;
  }
  call(shape: readonly number[], dtype?: DType): Tensor {
    const d = floatDType(dtype, this.className);
    if (shape.length < 2) {
      throw invalidArgument(
        `Orthogonal needs a shape of rank >= 2. Received: shape=[${shape.join(',')}]`,
      );
    }
    const cols = shape[shape.length - 1]!;
    const rows = sizeOf(shape) / Math.max(1, cols);
    const q = orthogonalMatrix(rows, cols, randomFor(this.seed));
    const data = allocate(d, rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = this.gain * q[i]!;
    return new Tensor(data, shape);
  }
  override getConfig(): Config {
    return { gain: this.gain, ...seedConfig(this.seed) };
  }
  static fromConfig(config: Config): Orthogonal {
    return new Orthogonal(config as RandomArgs);
  }
}

/** gain·I for a 2-D weight (rectangular shapes get ones on the main diagonal). */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }
  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    if (shape.length !== 2) {
      throw invalidArgument(`Identity needs a 2-D shape. Received: shape=[${shape.join(',')}]`);
    }
    const [n, m] = shape as [number, number];
    const t = full(shape, 0, { dtype });
    for (let i = 0; i < Math.min(n, m); i++) t.values[i * m + i] = this.gain;
    return t;
  }
  override getConfig(): Config {
    return { gain: this.gain };
  }
  static fromConfig(config: Config): Identity {
    return new Identity(config as { gain?: number });
  }
}

for (const cls of [
  Zeros,
  Ones,
  Constant,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
  Orthogonal,
  Identity,
]) {
  registerClass(
    'initializer',
    cls,
    ...(cls === RandomUniform ? ['uniform'] : cls === RandomNormal ? ['normal'] : []),
  );
}
