import { invalidArgument } from '../errors.js';
import { add, abs, mul, square } from '../ops/elementwise.js';
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

/**
 * A penalty on a weight (or a layer's output) added to the training loss. The training engine
 * sums what `model.forward` returns as `losses`.
 */
export abstract class Regularizer {
  static readonly className: string = 'Regularizer';

  abstract call(x: Tensor): Tensor;

  get className(): string {
    return (this.constructor as typeof Regularizer).className;
  }

  abstract getConfig(): Config;
}

function checkFactor(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw invalidArgument(
      `Regularization factors must be finite and non-negative. Received: ${name}=${value}`,
    );
  }
  return value;
}

/** l1·Σ|x|. Keras' default factor is 0.01. */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  readonly l1: number;

  constructor(args: { l1?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0.01);
  }

  call(x: Tensor): Tensor {
    return mul(sum(abs(x)), this.l1);
  }

  getConfig(): Config {
    return { l1: this.l1 };
  }

  static fromConfig(config: Config): L1 {
    return new L1(config as { l1?: number });
  }
}

/** l2·Σx². Keras' default factor is 0.01. */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  readonly l2: number;

  constructor(args: { l2?: number } = {}) {
    super();
    this.l2 = checkFactor('l2', args.l2 ?? 0.01);
  }

  call(x: Tensor): Tensor {
    return mul(sum(square(x)), this.l2);
  }

  getConfig(): Config {
    return { l2: this.l2 };
  }

  static fromConfig(config: Config): L2 {
    return new L2(config as { l2?: number });
  }
}

/** l1·Σ|x| + l2·Σx². Both factors default to 0, as Keras 3's L1L2 class. */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0);
    this.l2 = checkFactor('l2', args.l2 ?? 0);
  }

  call(x: Tensor): Tensor {
    return add(mul(sum(abs(x)), this.l1), mul(sum(square(x)), this.l2));
  }

  getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }

  static fromConfig(config: Config): L1L2 {
    return new L1L2(config as { l1?: number; l2?: number });
  }
}

registerClass('regularizer', L1);
registerClass('regularizer', L2);
registerClass('regularizer', L1L2, 'l1_l2');

/** `l1(0.01)`: an L1 penalty with the given factor (default 0.01). */
export function l1(factor = 0.01): L1 {
  return new L1({ l1: factor });
}

/** `l2(0.01)`: an L2 penalty with the given factor (default 0.01). */
export function l2(factor = 0.01): L2 {
  return new L2({ l2: factor });
}

/** `l1l2({l1, l2})`: both penalties; each factor defaults to 0.01, as Keras 2's `l1_l2`. */
export function l1l2(args: { l1?: number; l2?: number } = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}

export type RegularizerIdentifier = string | Regularizer | Serialized;

/** Turns `'l2'`, a `{className, config}` object or a regularizer into a regularizer. */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  if (identifier instanceof Regularizer) return identifier;
  if (isSerialized(identifier)) return deserialize<Regularizer>('regularizer', identifier);
  if (typeof identifier === 'string') {
    const cls = lookupByName<Regularizer>('regularizer', identifier);
    if (cls !== undefined) return cls.fromConfig({});
  }
  throw invalidArgument(
    `Unknown regularizer. Received: regularizer=${JSON.stringify(identifier)}. ` +
      `Use 'l1', 'l2', 'l1l2' or a Regularizer object such as l2(0.001).`,
  );
}

export function serializeRegularizer(r: Regularizer): Serialized {
  return { className: r.className, config: r.getConfig() };
}
