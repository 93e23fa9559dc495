/** Checks of the options fit, evaluate and predict share. */
import { type Callback, type CallbackLike, toCallback } from '../callbacks/callback.js';
import { Dataset } from '../data/dataset.js';
import { invalidArgument } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { ModelData, ProgressStream, Verbosity } from './model-methods.js';

/** Splits `(x, y, options)` from `(dataset, options)`. */
export function splitArgs<O extends object>(
  x: unknown,
  second: unknown,
  third: O | undefined,
  method: string,
): { y: ModelData | undefined; options: O } {
  if (x instanceof Dataset && second !== undefined && !looksLikeData(second)) {
    if (third !== undefined) {
      throw invalidArgument(
        `${method}(dataset, options) takes no third argument; ` +
          `the dataset already holds the targets.`,
      );
    }
    return { y: undefined, options: second as O };
  }
  if (x instanceof Dataset && second !== undefined) {
    throw invalidArgument(
      `${method}: when x is a Dataset, y must not be given; the dataset yields [x, y] pairs. ` +
        `Call ${method}(dataset, options).`,
    );
  }
  if (second !== undefined && second !== null && !looksLikeData(second)) {
    throw invalidArgument(
      `${method}(x, y, options): the second argument must be the targets y ` +
        `(a Tensor, an array or ` +
        `a record of Tensors). Received: an object with keys ${Object.keys(second).join(', ')}. ` +
        `Pass options third, e.g. ${method}(x, y, { epochs: 5 }).`,
    );
  }
  return { y: second as ModelData | undefined, options: third ?? ({} as O) };
}

function looksLikeData(x: unknown): boolean {
  if (x instanceof Tensor) return true;
  if (Array.isArray(x)) return true;
  if (typeof x !== 'object' || x === null) return false;
  const values = Object.values(x);
  return (
    values.some((v) => v instanceof Tensor) &&
    values.every((v) => v instanceof Tensor || v === null)
  );
}

export function checkVerbose(verbose: Verbosity | undefined, method: string): 0 | 1 | 2 {
  const v = verbose ?? 'auto';
  if (v === 'auto') return 1;
  if (v === 0 || v === 1 || v === 2) return v;
  throw invalidArgument(
    `${method}: verbose must be 0, 1, 2 or 'auto'. Received: verbose=${String(v)}.`,
  );
}

export function checkInt(
  value: number | undefined,
  name: string,
  method: string,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min) {
    throw invalidArgument(
      `${method}: ${name} must be an integer >= ${min}. Received: ${name}=${String(value)}.`,
    );
  }
  return value;
}

export function toCallbacks(callbacks: CallbackLike[] | undefined, method: string): Callback[] {
  if (callbacks === undefined) return [];
  if (!Array.isArray(callbacks)) {
    throw invalidArgument(
      `${method}: callbacks must be an array. Received: callbacks=${String(callbacks)}.`,
    );
  }
  return callbacks.map(toCallback);
}

export function defaultStream(stream: ProgressStream | undefined): ProgressStream {
  if (stream !== undefined) {
    if (typeof stream.write !== 'function') {
      throw invalidArgument(
        `output must be a writable stream (an object with write()). Received: ${String(stream)}.`,
      );
    }
    return stream;
  }
  return process.stdout;
}

/** Lets timers, I/O and signal handlers run during long loops, at most every 100 ms. */
export class EventLoopYielder {
  private last = performance.now();
  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * An endless dataset (after `repeat()`) needs a step count, or the loop never ends. Keras 2
 * refused it the same way; a dataset of unknown length (a generator) is trusted to end.
 */
export function checkFinite(
  dataset: Dataset<unknown>,
  steps: number | undefined,
  method: string,
  option: string,
): void {
  if (dataset.cardinality === Infinity && steps === undefined) {
    throw invalidArgument(
      `${method}: the dataset repeats forever (cardinality=Infinity), so ${method} would never ` +
        `end. Pass ${option}, e.g. ${option}: 100, or drop repeat().`,
    );
  }
}
