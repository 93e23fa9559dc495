import {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Identity,
  LecunNormal,
  LecunUniform,
  Ones,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  type VarianceScalingArgs,
  Zeros,
} from './initializers.js';
import type { Initializer } from './initializer.js';

/** Keras' lower-case spellings, e.g. `initializers.heNormal({seed: 1})`. */
type Seeded = { seed?: number };

export const glorotUniform = (args: Seeded = {}): Initializer => new GlorotUniform(args);
export const glorotNormal = (args: Seeded = {}): Initializer => new GlorotNormal(args);
export const heUniform = (args: Seeded = {}): Initializer => new HeUniform(args);
export const heNormal = (args: Seeded = {}): Initializer => new HeNormal(args);
export const lecunUniform = (args: Seeded = {}): Initializer => new LecunUniform(args);
export const lecunNormal = (args: Seeded = {}): Initializer => new LecunNormal(args);
export const varianceScaling = (args: VarianceScalingArgs = {}): Initializer =>
  new VarianceScaling(args);
export const randomNormal = (args: Seeded & { mean?: number; stddev?: number } = {}): Initializer =>
  new RandomNormal(args);
export const randomUniform = (
  args: Seeded & { minval?: number; maxval?: number } = {},
): Initializer => new RandomUniform(args);
export const truncatedNormal = (
  args: Seeded & { mean?: number; stddev?: number } = {},
): Initializer => new TruncatedNormal(args);
export const orthogonal = (args: Seeded & { gain?: number } = {}): Initializer =>
  new Orthogonal(args);
export const identity = (args: { gain?: number } = {}): Initializer => new Identity(args);
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (value = 0): Initializer => new Constant({ value });
