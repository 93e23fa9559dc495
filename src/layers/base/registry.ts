import { TensileError, invalidArgument } from '../../errors.js';
import { toSnakeCase } from './naming.js';

/** A JSON value, as configs hold them. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A config object: JSON-safe, keyed by the camelCase constructor options. */
export type Config = { [key: string]: JsonValue };

/** What `serialize` produces and `deserialize` takes: Keras' `{class_name, config}` pair. */
export interface Serialized {
  className: string;
  config: Config;
}

/** A class that can be rebuilt from its config. */
export interface SerializableClass<T> {
  readonly className: string;
  fromConfig(config: Config): T;
}

/** The kinds of object kept in separate registries, so names may repeat across kinds. */
export type RegistryKind = 'layer' | 'initializer' | 'regularizer' | 'constraint';

const registries = new Map<RegistryKind, Map<string, SerializableClass<unknown>>>();
/** Per kind: any spelling of a name (lower-cased) → the class name. */
const aliases = new Map<RegistryKind, Map<string, string>>();

/**
 * Makes a class known to `deserialize` under its static `className`. Every built-in layer,
 * initializer, regularizer and constraint calls it; a custom class needs the same one call.
 */
export function registerClass<T>(
  kind: RegistryKind,
  cls: SerializableClass<T>,
  ...names: string[]
): void {
  if (typeof cls.className !== 'string' || cls.className === '') {
    throw invalidArgument(
      `registerClass: the class needs a static className. ` +
        `Received: className=${String(cls.className)}`,
    );
  }
  let table = registries.get(kind);
  if (table === undefined) {
    table = new Map();
    registries.set(kind, table);
  }
  table.set(cls.className, cls as SerializableClass<unknown>);

  // Users name built-ins as Keras does ('glorot_uniform') or in camelCase ('glorotUniform').
  let names2 = aliases.get(kind);
  if (names2 === undefined) {
    names2 = new Map();
    aliases.set(kind, names2);
  }
  const snake = toSnakeCase(cls.className);
  const camel = snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const n of [cls.className, snake, camel, ...names])
    names2.set(n.toLowerCase(), cls.className);
}

/** The class registered under any spelling of `name`, or undefined. */
export function lookupByName<T>(
  kind: RegistryKind,
  name: string,
): SerializableClass<T> | undefined {
  const className = aliases.get(kind)?.get(name.toLowerCase()) ?? name;
  return lookupClass<T>(kind, className);
}

/** The names (class names) registered for a kind, for error messages. */
export function registeredNames(kind: RegistryKind): string[] {
  return [...(registries.get(kind)?.keys() ?? [])].sort();
}

/** The registered class of a kind by name, or undefined. */
export function lookupClass<T>(
  kind: RegistryKind,
  className: string,
): SerializableClass<T> | undefined {
  return registries.get(kind)?.get(className) as SerializableClass<T> | undefined;
}

/** Rebuilds an object from `{className, config}` through the registry of its kind. */
export function deserialize<T>(kind: RegistryKind, serialized: Serialized): T {
  const cls = lookupClass<T>(kind, serialized.className);
  if (cls === undefined) {
    const known = registeredNames(kind).join(', ');
    throw new TensileError(
      'invalid_argument',
      `Unknown ${kind} class. Received: className=${serialized.className}. Known: ${known}. ` +
        `Register a custom class with registerClass('${kind}', YourClass).`,
    );
  }
  return cls.fromConfig(serialized.config);
}

/** True for a `{className, config}` object. */
export function isSerialized(value: unknown): value is Serialized {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Serialized).className === 'string' &&
    typeof (value as Serialized).config === 'object'
  );
}
