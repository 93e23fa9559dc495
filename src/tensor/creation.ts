import { TensileError, fmtShape, invalidArgument } from '../errors.js';
import { type DType, type DataArray, allocate, checkDType } from './dtype.js';
import { randomFor } from './random.js';
import { checkShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

export interface CreateOptions {
  /** Element type; float32 unless the data says otherwise (a typed array, booleans). */
  dtype?: DType;
  /** Track gradients for this tensor (float dtypes only). */
  requiresGrad?: boolean;
}

export interface TensorOptions extends CreateOptions {
  /** The shape, for flat data; nested arrays carry their own. */
  shape?: readonly number[];
}

/** Typed arrays tensor() accepts; the four storage types are used as they are, others convert. */
type TypedInput =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array
  | Uint8ClampedArray;

/**
 * Makes a tensor from a number, nested arrays of numbers or booleans, or a typed array (with
 * `shape`, or 1-D). A typed array of the tensor's dtype is used as the storage, not copied.
 */
export function tensor(
  values: NestedArray | TypedInput | readonly number[],
  options: TensorOptions = {},
): Tensor {
  let data: DataArray;
  let shape: number[];
  if (ArrayBuffer.isView(values)) {
    const given = values as TypedInput;
    const native = storageDType(given);
    const dtype = options.dtype === undefined ? native : checkDType(options.dtype);
    const usable = isStorage(given) && native === dtype && !hasNonBinaryBytes(given, dtype);
    data = usable ? (given as DataArray) : convert(given, dtype);
    shape = options.shape === undefined ? [given.length] : checkShape(options.shape);
  } else {
    shape = inferShape(values as NestedArray);
    const flat: (number | boolean)[] = [];
    flattenInto(values as NestedArray, shape, 0, flat);
    const dtype =
      options.dtype === undefined
        ? flat.length > 0 && typeof flat[0] === 'boolean'
          ? 'bool'
          : 'float32'
        : checkDType(options.dtype);
    data = allocate(dtype, flat.length);
    if (dtype === 'bool') for (let i = 0; i < flat.length; i++) data[i] = flat[i] ? 1 : 0;
    else for (let i = 0; i < flat.length; i++) data[i] = Number(flat[i]);
    if (options.shape !== undefined) shape = checkShape(options.shape);
  }
  return finish(new Tensor(data, shape), options);
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * The dtype a typed array maps to: its own for the four storage types; int32 for the smaller
 * integer arrays; float64 (exact) for Uint32Array, whose values can exceed int32.
 */
function storageDType(values: TypedInput): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array && !(values instanceof Uint8ClampedArray)) return 'bool';
  if (values instanceof Uint32Array) return 'float64';
  if (
    values instanceof Int8Array ||
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Uint8ClampedArray
  ) {
    return 'int32';
  }
  throw invalidArgument(
    `tensor(): unsupported typed array ${Object.prototype.toString.call(values)}. Use a ` +
      `Float32Array, Float64Array, Int32Array or Uint8Array (bool), or a plain array.`,
  );
}

function isStorage(values: TypedInput): boolean {
  return (
    values instanceof Float32Array ||
    values instanceof Float64Array ||
    values instanceof Int32Array ||
    (values instanceof Uint8Array && !(values instanceof Uint8ClampedArray))
  );
}

/** A Uint8Array used as bool storage must hold only 0 and 1. */
function hasNonBinaryBytes(values: TypedInput, dtype: DType): boolean {
  if (dtype !== 'bool') return false;
  for (let i = 0; i < values.length; i++) if (values[i]! > 1) return true;
  return false;
}

function convert(values: TypedInput, dtype: DType): DataArray {
  const out = allocate(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  else out.set(values);
  return out;
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0]!;
  }
  return shape;
}

function flattenInto(
  v: NestedArray,
  shape: number[],
  dim: number,
  out: (number | boolean)[],
): void {
  if (dim === shape.length) {
    if (Array.isArray(v)) throw ragged(shape, dim);
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw invalidArgument(
        `tensor(): elements must be numbers or booleans. Received: ${typeof v} ${String(v)}`,
      );
    }
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) throw ragged(shape, dim);
  for (const item of v) flattenInto(item, shape, dim + 1, out);
}

function ragged(shape: number[], dim: number): TensileError {
  return invalidArgument(
    `tensor(): the nested arrays are ragged: expected every array at depth ${dim} to have ` +
      `length ${shape[dim] ?? 'none (a number)'}, as the first one does ` +
      `(shape ${fmtShape(shape)}).`,
  );
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  const s = checkShape(shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw invalidArgument(`full: value must be a number. Received: value=${String(value)}`);
  }
  const dtype = checkDType(options.dtype ?? 'float32');
  const data = allocate(dtype, sizeOf(s));
  data.fill(dtype === 'bool' ? (value ? 1 : 0) : Number(value));
  return finish(new Tensor(data, s), options);
}

export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** A tensor with x's shape and dtype (unless overridden) filled with zeros. */
export function zerosLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 0, { dtype: x.dtype, ...options });
}

export function onesLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 1, { dtype: x.dtype, ...options });
}

/**
 * Evenly spaced values in [start, stop) by `step`, as NumPy's arange; `arange(5)` is 0..4.
 * The dtype is int32 when all arguments are integers, else float32.
 */
export function arange(
  start: number,
  stop?: number,
  step = 1,
  options: CreateOptions = {},
): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop)) {
    throw invalidArgument(
      `arange: start and stop must be finite numbers. Received: start=${start}, stop=${stop}`,
    );
  }
  if (step === 0 || !Number.isFinite(step)) {
    throw invalidArgument(`arange: step must be a finite non-zero number. Received: step=${step}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const dtype = checkDType(options.dtype ?? (integral ? 'int32' : 'float32'));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n]), options);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(
  start: number,
  stop: number,
  num: number,
  options: CreateOptions = {},
): Tensor {
  if (!Number.isInteger(num) || num < 0) {
    throw invalidArgument(`linspace: num must be a non-negative integer. Received: num=${num}`);
  }
  const data = allocate(checkDType(options.dtype ?? 'float32'), num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return finish(new Tensor(data, [num]), options);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.values[i * m + i] = 1;
  return t;
}

export interface RandomOptions extends CreateOptions {
  /** Seed for a reproducible draw; the library's global generator (see setSeed) otherwise. */
  seed?: number;
}

function randomTensor(
  shape: readonly number[],
  options: RandomOptions,
  draw: (r: ReturnType<typeof randomFor>) => number,
): Tensor {
  const s = checkShape(shape);
  const dtype = checkDType(options.dtype ?? 'float32');
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw invalidArgument(`random tensors are float32 or float64. Received: dtype=${dtype}`);
  }
  const rng = randomFor(options.seed);
  const data = allocate(dtype, sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return finish(new Tensor(data, s), options);
}

/** Uniform in [minval, maxval) (default [0, 1)). */
export function randomUniform(
  shape: readonly number[],
  options: RandomOptions & { minval?: number; maxval?: number } = {},
): Tensor {
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  return randomTensor(shape, options, (r) => lo + (hi - lo) * r.uniform());
}

/** Normal with the given mean and standard deviation (default 0 and 1). */
export function randomNormal(
  shape: readonly number[],
  options: RandomOptions & { mean?: number; stddev?: number } = {},
): Tensor {
  const mu = options.mean ?? 0;
  const sigma = options.stddev ?? 1;
  return randomTensor(shape, options, (r) => mu + sigma * r.normal());
}

/** Normal redrawn outside two standard deviations of the mean, as Keras' TruncatedNormal. */
export function truncatedNormal(
  shape: readonly number[],
  options: RandomOptions & { mean?: number; stddev?: number } = {},
): Tensor {
  const mu = options.mean ?? 0;
  const sigma = options.stddev ?? 1;
  return randomTensor(shape, options, (r) => mu + sigma * r.truncatedNormal());
}
