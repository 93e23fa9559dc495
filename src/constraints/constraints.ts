import { invalidArgument } from '../errors.js';
import { add, clip, div, greaterEqual, mul, sqrt, square, where } from '../ops/elementwise.js';
import { sum } from '../ops/reduction.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type Config,
  type Serialized,
  deserialize,
  isSerialized,
  lookupByName,
  registerClass,
} from '../layers/base/registry.js';

/** Keras' fuzz factor, which keeps norm divisions finite for an all-zero weight. */
const EPSILON = 1e-7;

/**
 * A projection applied to a weight after each optimizer step (Model.applyConstraints), e.g.
 * capping the norm of each unit's incoming weights.
 */
export abstract class Constraint {
  static readonly className: string = 'Constraint';

  abstract call(w: Tensor): Tensor;

  get className(): string {
    return (this.constructor as typeof Constraint).className;
  }

  getConfig(): Config {
    return {};
  }
}

type Axis = number | number[];

function norms(w: Tensor, axis: Axis): Tensor {
  return sqrt(sum(square(w), { axis, keepDims: true }));
}

/**
 * Rescales so each norm along `axis` (default 0: per output unit of a Dense kernel) is ≤ maxValue.
 */
export class MaxNorm extends Constraint {
  static override readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }

  call(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return mul(w, div(clip(n, 0, this.maxValue), add(n, EPSILON)));
  }

  override getConfig(): Config {
    return { maxValue: this.maxValue, axis: this.axis };
  }

  static fromConfig(config: Config): MaxNorm {
    return new MaxNorm(config as { maxValue?: number; axis?: Axis });
  }
}

/** Zeroes negative entries. */
export class NonNeg extends Constraint {
  static override readonly className = 'NonNeg';

  call(w: Tensor): Tensor {
    return where(greaterEqual(w, 0), w, 0);
  }

  static fromConfig(): NonNeg {
    return new NonNeg();
  }
}

/** Scales each slice along `axis` (default 0) to unit norm. */
export class UnitNorm extends Constraint {
  static override readonly className = 'UnitNorm';
  readonly axis: Axis;

  constructor(args: { axis?: Axis } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }

  call(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis), EPSILON));
  }

  override getConfig(): Config {
    return { axis: this.axis };
  }

  static fromConfig(config: Config): UnitNorm {
    return new UnitNorm(config as { axis?: Axis });
  }
}

/**
 * Moves each norm along `axis` towards [minValue, maxValue]: the new norm is
 * rate·clip(norm) + (1 − rate)·norm, so rate = 1 projects at once and smaller rates ease in.
 */
export class MinMaxNorm extends Constraint {
  static override readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
    if (this.minValue > this.maxValue) {
      throw invalidArgument(
        `MinMaxNorm needs minValue <= maxValue. Received: minValue=${this.minValue}, ` +
          `maxValue=${this.maxValue}`,
      );
    }
  }

  call(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = add(
      mul(clip(n, this.minValue, this.maxValue), this.rate),
      mul(n, 1 - this.rate),
    );
    return mul(w, div(desired, add(n, EPSILON)));
  }

  override getConfig(): Config {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }

  static fromConfig(config: Config): MinMaxNorm {
    return new MinMaxNorm(
      config as { minValue?: number; maxValue?: number; rate?: number; axis?: Axis },
    );
  }
}

registerClass('constraint', MaxNorm);
registerClass('constraint', NonNeg);
registerClass('constraint', UnitNorm);
registerClass('constraint', MinMaxNorm);

export const maxNorm = (args: { maxValue?: number; axis?: Axis } = {}): MaxNorm =>
  new MaxNorm(args);
export const nonNeg = (): NonNeg => new NonNeg();
export const unitNorm = (args: { axis?: Axis } = {}): UnitNorm => new UnitNorm(args);
export const minMaxNorm = (
  args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {},
): MinMaxNorm => new MinMaxNorm(args);

export type ConstraintIdentifier = string | Constraint | Serialized;

/** Turns `'maxNorm'`, a `{className, config}` object or a constraint into a constraint. */
export function getConstraint(identifier: ConstraintIdentifier): Constraint {
  if (identifier instanceof Constraint) return identifier;
  if (isSerialized(identifier)) return deserialize<Constraint>('constraint', identifier);
  if (typeof identifier === 'string') {
    const cls = lookupByName<Constraint>('constraint', identifier);
    if (cls !== undefined) return cls.fromConfig({});
  }
  throw invalidArgument(
    `Unknown constraint. Received: constraint=${JSON.stringify(identifier)}. ` +
      `Use 'maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' or a Constraint object.`,
  );
}

export function serializeConstraint(c: Constraint): Serialized {
  return { className: c.className, config: c.getConfig() };
}
