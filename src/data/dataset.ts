import { invalidArgument } from '../errors.js';
import { Random, randomFor } from '../tensor/random.js';
import {
  type TensorStructure,
  flattenStructure,
  rowOf,
  stackRows,
  unflattenStructure,
} from './structure.js';

/** How many elements a dataset yields: a count, Infinity (repeats forever), or null (unknown). */
export type Cardinality = number | null;

export interface BatchOptions {
  /** Drop the last batch when it is smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
}

export interface ShuffleOptions {
  /** Seed of the shuffle; without one the library's global generator is used (see setSeed). */
  seed?: number;
  /** Shuffle differently on each pass over the data. Default true. */
  reshuffleEachIteration?: boolean;
}

type Source<T> = () => AsyncIterator<T>;

/**
 * A sequence of elements that is read one at a time, so data larger than memory can stream
 * through fit(). Each transformation returns a new Dataset and leaves this one unchanged; each
 * `for await` over a dataset starts a fresh pass.
 *
 * @example
 * const ds = Dataset.fromTensors([x, y]).shuffle(1000, { seed: 1 }).batch(32).prefetch(2);
 * await model.fit(ds, { epochs: 3 });
 */
export class Dataset<T> implements AsyncIterable<T> {
  private readonly source: Source<T>;
  /** The number of elements when known: Infinity after repeat(), null for generators. */
  readonly cardinality: Cardinality;

  private constructor(source: Source<T>, cardinality: Cardinality) {
    this.source = source;
    this.cardinality = cardinality;
  }

  /**
   * One element per row: slices every tensor of `data` along its first axis, which must have
   * the same length in all of them. `fromTensors([x, y])` yields `[x[i], y[i]]`.
   */
  static fromTensors<S extends TensorStructure>(data: S): Dataset<S> {
    const leaves = flattenStructure(data, 'fromTensors data');
    if (leaves.length === 0 || leaves.some((t) => t.rank === 0)) {
      throw invalidArgument(
        `Dataset.fromTensors needs tensors with at least one axis to slice along. ` +
          `Received: shapes=${leaves.map((t) => `[${t.shape.join(',')}]`).join(' ') || 'none'}.`,
      );
    }
    const n = leaves[0]!.shape[0]!;
    const bad = leaves.find((t) => t.shape[0] !== n);
    if (bad !== undefined) {
      throw invalidArgument(
        `Dataset.fromTensors needs the same number of rows in every tensor. Received: ` +
          `${leaves.map((t) => `[${t.shape.join(',')}]`).join(', ')}.`,
      );
    }
    return new Dataset(async function* () {
      for (let i = 0; i < n; i++)
        yield unflattenStructure(
          data,
          leaves.map((t) => rowOf(t, i)),
        );
    }, n);
  }

  /** The elements of an array, in order. */
  static fromArray<U>(items: readonly U[]): Dataset<U> {
    const copy = items.slice();
    return new Dataset(async function* () {
      yield* copy;
    }, copy.length);
  }

  /**
   * Elements from a generator function, called once per pass, so data can be read lazily
   * (files, a database). The number of elements is unknown until a pass ends.
   */
  static fromGenerator<U>(make: () => Iterable<U> | AsyncIterable<U>): Dataset<U> {
    return new Dataset(async function* () {
      yield* make();
    }, null);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source();
  }

  /** A dataset whose passes run `gen` over a fresh pass of this one. */
  private chain<U>(
    gen: (upstream: Dataset<T>) => AsyncGenerator<U>,
    cardinality: Cardinality,
  ): Dataset<U> {
    return new Dataset(() => gen(this), cardinality);
  }

  /** Groups consecutive elements into batches, stacking each tensor along a new first axis. */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<T> {
    checkCount(batchSize, 'batch', 'batchSize');
    const dropRemainder = options.dropRemainder ?? false;
    const stack = (items: T[]): T => {
      const rows = items.map((item) => flattenStructure(item as TensorStructure));
      const columns = rows[0]!.map((_, j) =>
        stackRows(
          rows.map((r) => r[j]!),
          'Dataset.batch',
        ),
      );
      return unflattenStructure(items[0] as TensorStructure, columns) as T;
    };
    const c = this.cardinality;
    const count =
      c === null || c === Infinity
        ? c
        : dropRemainder
          ? Math.floor(c / batchSize)
          : Math.ceil(c / batchSize);
    return this.chain(async function* (upstream) {
      let items: T[] = [];
      for await (const item of upstream) {
        items.push(item);
        if (items.length === batchSize) {
          yield stack(items);
          items = [];
        }
      }
      if (items.length > 0 && !dropRemainder) yield stack(items);
    }, count);
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements, as tf.data does: fill the buffer, then
   * repeatedly yield a random element of it and put the next input in its place. A buffer at
   * least as large as the dataset gives a uniform shuffle.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    checkCount(bufferSize, 'shuffle', 'bufferSize');
    const seed = options.seed;
    const reshuffle = options.reshuffleEachIteration ?? true;
    let pass = 0;
    return this.chain(async function* (upstream) {
      // A seeded dataset gives the same sequence of orders on every run: pass k uses seed + k.
      const rng =
        seed === undefined ? randomFor(undefined) : new Random(seed + (reshuffle ? pass : 0));
      pass++;
      const buffer: T[] = [];
      for await (const item of upstream) {
        if (buffer.length < bufferSize) {
          buffer.push(item);
          continue;
        }
        const k = rng.int(buffer.length);
        const out = buffer[k]!;
        buffer[k] = item;
        yield out;
      }
      while (buffer.length > 0) {
        const k = rng.int(buffer.length);
        const out = buffer[k]!;
        buffer[k] = buffer[buffer.length - 1]!;
        buffer.pop();
        yield out;
      }
    }, this.cardinality);
  }

  /** Applies `fn` to every element; `fn` may be async. */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    return this.chain(async function* (upstream) {
      for await (const item of upstream) yield await fn(item);
    }, this.cardinality);
  }

  /** Keeps the elements for which `predicate` holds. The count becomes unknown. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    return this.chain(
      async function* (upstream) {
        for await (const item of upstream) if (await predicate(item)) yield item;
      },
      this.cardinality === Infinity ? Infinity : null,
    );
  }

  /**
   * Reads up to `bufferSize` elements ahead of the consumer, so that slow upstream work (an
   * async map, reading files) overlaps with training on the current batch.
   */
  prefetch(bufferSize: number): Dataset<T> {
    checkCount(bufferSize, 'prefetch', 'bufferSize');
    return this.chain(async function* (upstream) {
      const it = upstream[Symbol.asyncIterator]();
      const queue: Promise<IteratorResult<T>>[] = [];
      try {
        for (;;) {
          while (queue.length < bufferSize) queue.push(it.next());
          const result = await queue.shift()!;
          if (result.done === true) return;
          yield result.value;
        }
      } finally {
        await it.return?.();
      }
    }, this.cardinality);
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount(count, 'take', 'count', true);
    const c = this.cardinality;
    return this.chain(
      async function* (upstream) {
        if (count === 0) return;
        let seen = 0;
        for await (const item of upstream) {
          yield item;
          if (++seen >= count) return;
        }
      },
      c === null ? null : Math.min(c, count),
    );
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount(count, 'skip', 'count', true);
    const c = this.cardinality;
    return this.chain(
      async function* (upstream) {
        let seen = 0;
        for await (const item of upstream) if (seen++ >= count) yield item;
      },
      c === null ? null : Math.max(0, c - count),
    );
  }

  /** Passes over the data `count` times, or forever when `count` is omitted. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount(count, 'repeat', 'count', true);
    const times = count ?? Infinity;
    const c = this.cardinality;
    return this.chain(
      async function* (upstream) {
        for (let k = 0; k < times; k++) {
          let any = false;
          for await (const item of upstream) {
            any = true;
            yield item;
          }
          if (!any) return; // an empty dataset repeated forever would spin without yielding
        }
      },
      c === null ? null : c === 0 ? 0 : c * times,
    );
  }

  /** Reads the whole dataset into an array (for small data and tests). */
  async toArray(): Promise<T[]> {
    if (this.cardinality === Infinity) {
      throw invalidArgument(
        'Dataset.toArray() on an infinite dataset would never end. Use take(n) first.',
      );
    }
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}

function checkCount(value: number, method: string, name: string, allowZero = false): void {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw invalidArgument(
      `Dataset.${method}: ${name} must be an integer ${allowZero ? '>= 0' : '>= 1'}. ` +
        `Received: ${name}=${String(value)}.`,
    );
  }
}

/** True for a Dataset (or any async iterable), which fit, evaluate and predict stream from. */
export function isDataset(x: unknown): x is Dataset<unknown> {
  return x instanceof Dataset;
}
