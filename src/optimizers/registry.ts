import { invalidArgument } from '../errors.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import type { ConfigValue, SerializedObject } from './schedules/learning-rate-schedule.js';
import { SGD } from './sgd.js';

type OptimizerClass = (new (config: never) => Optimizer) & {
  className: string;
  fromConfig(config: { [key: string]: ConfigValue }): Optimizer;
};

const registry = new Map<string, OptimizerClass>();

/** Makes an optimizer class known to getOptimizer and deserializeOptimizer, by its className. */
export function registerOptimizer(cls: OptimizerClass): void {
  registry.set(cls.className.toLowerCase(), cls);
}

for (const cls of [SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion]) {
  registerOptimizer(cls as unknown as OptimizerClass);
}

/** `{className, config}` for an optimizer, for model configs and saved files. */
export function serializeOptimizer(optimizer: Optimizer): SerializedObject {
  const cls = optimizer.constructor as typeof Optimizer;
  return { className: cls.className, config: optimizer.getConfig() };
}

/** Rebuilds an optimizer from serializeOptimizer's output. */
export function deserializeOptimizer(value: SerializedObject): Optimizer {
  return lookup(value.className).fromConfig(value.config);
}

function lookup(name: string): OptimizerClass {
  const cls = registry.get(name.toLowerCase());
  if (cls === undefined) {
    const known = [...registry.values()].map((c) => `'${c.className.toLowerCase()}'`).join(', ');
    throw invalidArgument(
      `Unknown optimizer. Expected one of ${known} or an Optimizer instance. ` +
        `Received: optimizer=${name}`,
    );
  }
  return cls;
}

/**
 * Resolves what compile() accepts for `optimizer`: an instance (returned as is), a Keras name
 * such as 'adam', 'sgd', 'rmsprop' or 'adamw' (case-insensitive; a new instance with Keras'
 * defaults), or a serialized `{className, config}`.
 *
 * @example
 * getOptimizer('adam').getConfig().learningRate; // 0.001
 */
export function getOptimizer(identifier: string | Optimizer | SerializedObject): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (lookup(identifier))({} as never);
  if (
    identifier !== null &&
    typeof identifier === 'object' &&
    typeof identifier.className === 'string'
  ) {
    return deserializeOptimizer(identifier);
  }
  throw invalidArgument(
    `getOptimizer expects a name such as 'adam', an Optimizer, or {className, config}. ` +
      `Received: optimizer=${String(identifier)}`,
  );
}
