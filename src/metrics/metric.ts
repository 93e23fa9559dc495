import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export interface MetricConfig {
  /** The key the metric's value has in logs and History. Defaults to its Keras name. */
  name?: string;
}

/**
 * The base of every metric: state accumulated over an epoch by `updateState`, read with
 * `result`, cleared with `resetState`, as Keras' stateful metrics. Metrics read the tensors'
 * typed arrays directly and never record a graph.
 */
export abstract class Metric {
  static className = 'Metric';
  name: string;
  /** Whether larger values are better ('up'), smaller ('down'), or unknown (null). */
  readonly direction: 'up' | 'down' | null;

  constructor(config: MetricConfig, defaultName: string, direction: 'up' | 'down' | null) {
    this.name = config.name ?? defaultName;
    this.direction = direction;
  }

  /** Adds a batch to the state; `sampleWeight` weights each sample (0 masks it). */
  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;

  /** The metric over everything seen since the last reset. */
  abstract result(): number;

  /** Clears the state, as fit does at the start of every epoch. */
  abstract resetState(): void;

  /** The constructor arguments, JSON-safe. */
  getConfig(): { [key: string]: ConfigValue } {
    return { name: this.name, ...this.ownConfig() };
  }

  protected ownConfig(): { [key: string]: ConfigValue } {
    return {};
  }

  /** Rebuilds a metric of this class from `getConfig()`'s output. */
  static fromConfig<T extends Metric>(
    this: new (config: never) => T,
    config: { [key: string]: ConfigValue },
  ): T {
    return new this(config as never);
  }
}

/** A tensor's elements and shape, read without copying. */
export interface Values {
  data: ArrayLike<number>;
  shape: readonly number[];
}

export function valuesOf(x: Tensor | number, what: string, arg: string): Values {
  if (typeof x === 'number') return { data: [x], shape: [] };
  if (!(x instanceof Tensor)) {
    throw invalidArgument(`${what}: ${arg} must be a Tensor. Received: ${arg}=${String(x)}`);
  }
  return { data: x.values, shape: x.shape };
}

/**
 * Keras' squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer shape ends
 * in 1, that axis is dropped (or, when the other side is 1-D, added to the other side).
 */
export function alignRanks(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const x = a.slice();
  const y = b.slice();
  if (x.length === y.length + 1 && x[x.length - 1] === 1) {
    if (y.length === 1) y.push(1);
    else x.pop();
  } else if (y.length === x.length + 1 && y[y.length - 1] === 1) {
    if (x.length === 1) x.push(1);
    else y.pop();
  }
  return [x, y];
}

/** The elements of `v` (of shape `from`) broadcast to shape `to`, right-aligned as NumPy. */
export function broadcastData(
  data: ArrayLike<number>,
  from: readonly number[],
  to: readonly number[],
): Float64Array {
  const size = sizeOf(to);
  const out = new Float64Array(size);
  if (sizeOf(from) === size && from.length === to.length) {
    for (let i = 0; i < size; i++) out[i] = data[i]!;
    return out;
  }
  const rank = to.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = from.length - 1; d >= 0; d--) {
    const target = rank - from.length + d;
    strides[target] = from[d] === 1 ? 0 : stride;
    stride *= from[d]!;
  }
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    out[i] = data[offset]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      offset += strides[d]!;
      if (index[d]! < to[d]!) break;
      offset -= strides[d]! * to[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** yTrue and yPred with aligned ranks, broadcast to one shape, as float arrays. */
export function pairOf(
  yTrue: Tensor,
  yPred: Tensor,
  what: string,
): { t: Float64Array; p: Float64Array; shape: number[] } {
  const yt = valuesOf(yTrue, what, 'yTrue');
  const yp = valuesOf(yPred, what, 'yPred');
  const [ts, ps] = alignRanks(yt.shape, yp.shape);
  let shape: number[];
  try {
    shape = broadcastShapes(ts, ps, what);
  } catch {
    throw shapeMismatch(
      `${what}: yTrue and yPred shapes do not match. Received: ` +
        `yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yp.shape)}.`,
    );
  }
  return { t: broadcastData(yt.data, ts, shape), p: broadcastData(yp.data, ps, shape), shape };
}

/** Means of consecutive groups of `group` elements. */
export function groupMeans(data: ArrayLike<number>, group: number): Float64Array {
  const n = group === 0 ? 0 : Math.floor(data.length / group);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < group; j++) s += data[r * group + j]!;
    out[r] = s / group;
  }
  return out;
}
