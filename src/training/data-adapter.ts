/**
 * Turns what the user passes to fit/evaluate/predict (tensors, arrays, records, a Dataset) into
 * batches of tensors in the model's input and output order.
 */
import type { Dataset } from '../data/dataset.js';
import { gatherRows, rowRange } from '../data/structure.js';
import { fmtShape, invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { ModelData, SampleWeightData, TrainableModel } from './model-methods.js';

/** One batch, every list in the model's order; null for a missing target or weight. */
export interface Batch {
  inputs: Tensor[];
  targets: (Tensor | null)[];
  weights: (Tensor | null)[];
  size: number;
}

/** Tensors for the whole data set, before batching. */
export type ArrayData = Batch;

/** Orders `data` by `names`: one tensor, an array in order, or a record keyed by name. */
export function toList(data: unknown, names: readonly string[], what: string): Tensor[] {
  if (data instanceof Tensor) {
    if (names.length !== 1) {
      throw invalidArgument(
        `The model has ${names.length} ${what}s (${names.join(', ')}) but one tensor was given. ` +
          `Pass an array in that order or a record keyed by those names.`,
      );
    }
    return [data];
  }
  if (Array.isArray(data)) {
    if (data.length !== names.length || !data.every((t) => t instanceof Tensor)) {
      throw invalidArgument(
        `The model has ${names.length} ${what}(s) (${names.join(', ')}); the ${what} array must ` +
          `hold that many Tensors. Received: an array of ${data.length} ` +
          `(${data.map((t) => (t instanceof Tensor ? fmtShape(t.shape) : typeof t)).join(', ')}).` +
          (data.every((t) => t instanceof Tensor) ? '' : ' Wrap plain arrays with tensor(...).'),
      );
    }
    return data as Tensor[];
  }
  if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    const extra = Object.keys(record).filter((k) => !names.includes(k));
    const missing = names.filter((n) => !(record[n] instanceof Tensor));
    if (extra.length > 0 || missing.length > 0) {
      throw invalidArgument(
        `The ${what} record must have one Tensor per ${what} name. The model's ${what}s are: ` +
          `${names.join(', ')}. Received keys: ${Object.keys(record).join(', ') || 'none'}.`,
      );
    }
    return names.map((n) => record[n] as Tensor);
  }
  throw invalidArgument(
    `Expected ${what} data as a Tensor, an array of Tensors or a record of Tensors. ` +
      `Received: ${String(data)}. Wrap plain arrays with tensor(...).`,
  );
}

/** Targets by output; a record may leave out outputs that have no loss. */
export function toTargets(y: unknown, model: TrainableModel): (Tensor | null)[] {
  const names = model.outputNames;
  if (y === undefined || y === null) return names.map(() => null);
  if (typeof y === 'object' && !(y instanceof Tensor) && !Array.isArray(y)) {
    const record = y as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (
        !names.includes(key) ||
        !(value instanceof Tensor || value === null || value === undefined)
      ) {
        throw invalidArgument(
          `The target record must map output names to Tensors. The model's outputs are: ` +
            `${names.join(', ')}. ` +
            `Received: ${key}=${value instanceof Tensor ? 'a Tensor' : String(value)}.`,
        );
      }
    }
    return names.map((n) => (record[n] as Tensor | undefined) ?? null);
  }
  return toList(y, names, 'output');
}

/** Sample weights by output: one [N] tensor applies to every output. */
export function toWeights(
  sw: SampleWeightData | undefined,
  model: TrainableModel,
): (Tensor | null)[] {
  const names = model.outputNames;
  if (sw === undefined) return names.map(() => null);
  const list = sw instanceof Tensor ? names.map(() => sw) : toList(sw, names, 'output');
  return list.map((w) => {
    if (w.rank === 2 && w.shape[1] === 1) return new Tensor(w.values, [w.shape[0]!]);
    if (w.rank !== 1) {
      throw invalidArgument(
        `sampleWeight must have shape [N] (one weight per sample). ` +
          `Received: shape=${fmtShape(w.shape)}.`,
      );
    }
    return w;
  });
}

/**
 * Sample weights from class weights, as Keras computes them: the class of a sample is its
 * label (rank 1 or [N,1], rounded) or the argmax of a one-hot row; unlisted classes weigh 1.
 */
export function classWeightsToSampleWeights(
  y: Tensor,
  classWeight: Record<number, number>,
): Tensor {
  const n = y.shape[0] ?? 0;
  const width = y.rank > 1 ? y.size / Math.max(n, 1) : 1;
  const out = new Float32Array(n);
  const v = y.values;
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (width === 1) cls = Math.round(v[i]!);
    else {
      cls = 0;
      for (let j = 1; j < width; j++) if (v[i * width + j]! > v[i * width + cls]!) cls = j;
    }
    out[i] = classWeight[cls] ?? 1;
  }
  return new Tensor(out, [n]);
}

/** Applies classWeight to a batch or data set with one output: its weights come from its labels. */
export function withClassWeights(
  data: Batch,
  classWeight: Record<number, number> | undefined,
): Batch {
  if (classWeight === undefined) return data;
  const target = data.targets[0];
  if (data.targets.length !== 1 || target === null || target === undefined) {
    throw invalidArgument(
      `classWeight is only supported for models with a single output that has a target. ` +
        `Received: ${data.targets.length} outputs. Use sampleWeight per output instead.`,
    );
  }
  if (data.weights[0] !== null && data.weights[0] !== undefined) {
    throw invalidArgument(
      'You cannot pass classWeight and sampleWeight at the same time. Use one of them.',
    );
  }
  return { ...data, weights: [classWeightsToSampleWeights(target, classWeight)] };
}

/** Checks that every tensor has the same number of samples and returns it. */
export function checkSameLength(data: ArrayData, hint = ''): number {
  const labelled = [
    ...labelledList(data.inputs, 'x'),
    ...labelledList(data.targets, 'y'),
    ...labelledList(data.weights, 'sampleWeight'),
  ];
  const all = labelled.map(([, t]) => t);
  const first = all[0];
  if (first === undefined || first.rank === 0) {
    throw invalidArgument(
      'The data needs tensors with a first (batch) axis. Received: a scalar or nothing.',
    );
  }
  const n = first.shape[0]!;
  if (all.some((t) => t.rank === 0 || t.shape[0] !== n)) {
    throw invalidArgument(
      `x, y and sampleWeight need the same number of samples (first axis). Received: ` +
        `${labelled.map(([name, t]) => `${name}.shape=${fmtShape(t.shape)}`).join(', ')}. ` +
        `Give every sample of x exactly one target row in y (and one weight).${hint}`,
    );
  }
  return n;
}

/** `[name, tensor]` pairs for error messages: `x` for a single tensor, `x[i]` for several. */
function labelledList(list: readonly (Tensor | null)[], name: string): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  list.forEach((t, i) => {
    if (t !== null) out.push([list.length === 1 ? name : `${name}[${i}]`, t]);
  });
  return out;
}

export function arrayData(
  model: TrainableModel,
  x: ModelData,
  y: unknown,
  sw: SampleWeightData | undefined,
): ArrayData {
  const data: ArrayData = {
    inputs: toList(x, model.inputNames, 'input'),
    targets: toTargets(y, model),
    weights: toWeights(sw, model),
    size: 0,
  };
  data.size = checkSameLength(data);
  return data;
}

/** Samples [start, end) of every tensor, sharing storage. */
export function sliceData(data: ArrayData, start: number, end: number): ArrayData {
  const cut = (t: Tensor | null): Tensor | null => (t === null ? null : rowRange(t, start, end));
  return {
    inputs: data.inputs.map((t) => rowRange(t, start, end)),
    targets: data.targets.map(cut),
    weights: data.weights.map(cut),
    size: end - start,
  };
}

/**
 * A source of batches: `pass()` walks the data once. Arrays know their batch count; a Dataset
 * may not until a pass ends.
 */
export interface BatchSource {
  readonly stepsPerPass: number | null;
  pass(): AsyncIterator<Batch> | Iterator<Batch>;
}

/** Batches over in-memory tensors, reshuffled before each pass when `shuffle` is set. */
export function arraySource(
  data: ArrayData,
  batchSize: number,
  shuffle: boolean,
  rng?: Random,
): BatchSource {
  const n = data.size;
  const order = new Int32Array(n);
  const random = rng ?? new Random();
  return {
    stepsPerPass: Math.ceil(n / batchSize),
    *pass() {
      if (shuffle) {
        for (let i = 0; i < n; i++) order[i] = i;
        for (let i = n - 1; i > 0; i--) {
          const j = random.int(i + 1);
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      }
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(start + batchSize, n);
        if (!shuffle) {
          yield sliceData(data, start, end);
          continue;
        }
        const take = (t: Tensor | null): Tensor | null =>
          t === null ? null : gatherRows(t, order, start, end);
        yield {
          inputs: data.inputs.map((t) => gatherRows(t, order, start, end)),
          targets: data.targets.map(take),
          weights: data.weights.map(take),
          size: end - start,
        };
      }
    },
  };
}

/**
 * What a training or evaluation Dataset element holds: `[x, y, sw?]` or `{x, y, sampleWeight?}`.
 */
export function unpackElement(element: unknown, model: TrainableModel, forPredict: boolean): Batch {
  let x: unknown = element;
  let y: unknown;
  let sw: unknown;
  if (
    Array.isArray(element) &&
    !(forPredict && model.inputNames.length > 1 && element.every((e) => e instanceof Tensor))
  ) {
    if (!forPredict && (element.length < 2 || element.length > 3)) {
      throw invalidArgument(
        `A dataset for fit or evaluate must yield [x, y] or [x, y, sampleWeight] (or {x, y}). ` +
          `Received: an array of ${element.length}.`,
      );
    }
    [x, y, sw] = element as unknown[];
  } else if (isXyRecord(element)) {
    ({ x, y, sampleWeight: sw } = element as { x: unknown; y?: unknown; sampleWeight?: unknown });
  } else if (!forPredict) {
    throw invalidArgument(
      `A dataset for fit or evaluate must yield [x, y], [x, y, sampleWeight] or {x, y}. ` +
        `Received: ` +
        (element instanceof Tensor
          ? `a Tensor of shape ${fmtShape(element.shape)}`
          : String(element)) +
        `.`,
    );
  }
  const batch: Batch = {
    inputs: toList(x, model.inputNames, 'input'),
    targets: forPredict ? model.outputNames.map(() => null) : toTargets(y, model),
    weights: forPredict
      ? model.outputNames.map(() => null)
      : toWeights(sw as SampleWeightData | undefined, model),
    size: 0,
  };
  batch.size = checkSameLength(
    batch,
    ' Each element of a Dataset is one batch: if this dataset yields single samples, call ' +
      '.batch(batchSize) on it.',
  );
  return batch;
}

function isXyRecord(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !(x instanceof Tensor) && 'x' in x;
}

/** Batches read from a Dataset, one element per batch. */
export function datasetSource(
  dataset: Dataset<unknown>,
  model: TrainableModel,
  forPredict: boolean,
  map?: (b: Batch) => Batch,
): BatchSource {
  const c = dataset.cardinality;
  return {
    stepsPerPass: c === null || c === Infinity ? null : c,
    async *pass() {
      for await (const element of dataset) {
        const batch = unpackElement(element, model, forPredict);
        yield map ? map(batch) : batch;
      }
    },
  };
}

/**
 * Walks a source epoch by epoch. Without `steps`, an epoch is one pass over the data. With
 * `steps`, an epoch is that many batches and the next epoch continues where the last one
 * stopped; when the data runs out first, the epoch ends early with a warning and the next
 * epoch starts a new pass, as Keras 3's EpochIterator does (use repeat() to avoid that).
 */
export class EpochIterator {
  private current: AsyncIterator<Batch> | Iterator<Batch> | null = null;

  constructor(
    private readonly source: BatchSource,
    readonly steps: number | undefined,
    private readonly warnWhenShort = true,
  ) {}

  async *epoch(): AsyncGenerator<Batch> {
    if (this.steps === undefined) {
      const it = this.source.pass();
      for (let r = await it.next(); r.done !== true; r = await it.next()) yield r.value;
      return;
    }
    for (let step = 0; step < this.steps; step++) {
      let fresh = this.current === null;
      this.current ??= this.source.pass();
      let r = await this.current.next();
      if (r.done === true && step === 0 && !fresh) {
        // The previous epoch used up the last pass exactly: start the next one.
        this.current = this.source.pass();
        fresh = true;
        r = await this.current.next();
      }
      if (r.done === true) {
        this.current = null;
        if (this.warnWhenShort && !(fresh && step === 0)) {
          getLogger().warn(
            `The input ran out of data after ${step} of ${this.steps} steps; ` +
              `this epoch ends early. ` +
              `Make sure the data yields at least stepsPerEpoch × epochs batches, ` +
              `e.g. with repeat().`,
          );
        }
        return;
      }
      yield r.value;
    }
  }
}
