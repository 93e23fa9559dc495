import { invalidArgument } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type Config,
  type Serialized,
  deserialize,
  isSerialized,
  lookupByName,
} from '../layers/base/registry.js';

/**
 * Makes a weight's first value from its shape. Seeded initializers give the same values on
 * every call, as in Keras 3; unseeded ones draw from the global generator (see setSeed).
 */
export abstract class Initializer {
  static readonly className: string = 'Initializer';

  abstract call(shape: readonly number[], dtype?: DType): Tensor;

  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }

  getConfig(): Config {
    return {};
  }
}

/** An initializer by Keras name (`'glorot_uniform'`, `'glorotUniform'`), object, or config. */
export type InitializerIdentifier = string | Initializer | Serialized;

/** Turns a name, a `{className, config}` object or an initializer into an initializer. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (isSerialized(identifier)) return deserialize<Initializer>('initializer', identifier);
  if (typeof identifier === 'string') {
    const cls = lookupByName<Initializer>('initializer', identifier);
    if (cls !== undefined) return cls.fromConfig({});
  }
  throw invalidArgument(
    `Unknown initializer. Received: initializer=${JSON.stringify(identifier)}. ` +
      `Use a name such as 'glorotUniform', 'heNormal' or 'zeros', or an Initializer object.`,
  );
}

/** The `{className, config}` form that layer configs store. */
export function serializeInitializer(init: Initializer): Serialized {
  return { className: init.className, config: init.getConfig() };
}
