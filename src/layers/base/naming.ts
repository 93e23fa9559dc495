/**
 * Automatic layer and model names as Keras 3 gives them: the class name in snake_case, then
 * `_1`, `_2`, … for later instances with the same prefix (`dense`, `dense_1`, …).
 */

const counters = new Map<string, number>();

/** `Conv2DTranspose` → `conv2d_transpose`, `SimpleRNN` → `simple_rnn`, as Keras' to_snake_case. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The next free name for a prefix: `prefix`, then `prefix_1`, `prefix_2`, … */
export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Forgets every name handed out so far, so the next Dense is `dense` again: for tests and for
 * scripts that build several models in turn (Keras' `clear_session`).
 */
export function clearSession(): void {
  counters.clear();
}

/**
 * The class name a layer goes by: the class's own static `className`, or, for a subclass that
 * declares none (a user's `class Encoder extends Model`), its JavaScript name, as Keras uses
 * the Python class name. Without this the subclass would pose as its parent (`Functional`).
 */
export function classNameOf(cls: { readonly className: string; readonly name: string }): string {
  return Object.prototype.hasOwnProperty.call(cls, 'className') || cls.name === ''
    ? cls.className
    : cls.name;
}
