import { invalidArgument } from '../errors.js';
import * as act from '../ops/activations.js';
import type { Tensor } from '../tensor/tensor.js';

/** An activation function: a Keras name or any Tensor → Tensor function. */
export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationIdentifier = string | ActivationFn;

/** Keras' activation names (snake_case as in Keras; camelCase spellings work too). */
const byName: Record<string, ActivationFn> = {
  linear: act.linear,
  relu: (x) => act.relu(x),
  relu6: act.relu6,
  leaky_relu: (x) => act.leakyRelu(x),
  elu: (x) => act.elu(x),
  selu: act.selu,
  gelu: (x) => act.gelu(x),
  sigmoid: act.sigmoid,
  hard_sigmoid: act.hardSigmoid,
  tanh: act.tanh,
  softplus: act.softplus,
  softsign: act.softsign,
  silu: act.silu,
  swish: act.silu,
  hard_silu: act.hardSilu,
  hard_swish: act.hardSilu,
  mish: act.mish,
  log_sigmoid: act.logSigmoid,
  exponential: act.exponential,
  softmax: (x) => act.softmax(x, { axis: -1 }),
  log_softmax: (x) => act.logSoftmax(x, { axis: -1 }),
};

const nameOfFn = new Map<ActivationFn, string>(
  Object.entries(byName).map(([name, fn]) => [fn, name]),
);

function normalize(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The function for an activation name, or the function itself. */
export function getActivation(identifier: ActivationIdentifier | null | undefined): ActivationFn {
  if (identifier === undefined || identifier === null) return act.linear;
  if (typeof identifier === 'function') return identifier;
  const fn = byName[normalize(identifier)];
  if (fn === undefined) {
    throw invalidArgument(
      `Unknown activation. Received: activation=${JSON.stringify(identifier)}. Known: ` +
        `${Object.keys(byName).join(', ')}, or pass a function.`,
    );
  }
  return fn;
}

/**
 * The name stored in configs: Keras' name for a built-in; a custom function is saved by its
 * JavaScript name, which `getActivation` cannot resolve, so such a config needs the function
 * re-supplied.
 */
export function serializeActivation(fn: ActivationFn): string {
  return nameOfFn.get(fn) ?? (fn.name || 'custom');
}
