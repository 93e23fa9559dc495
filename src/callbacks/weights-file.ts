/**
 * A simple weights file, used by ModelCheckpoint and BackupAndRestore until the `.keras` format
 * exists; the format is Tensile's own and only meant for checkpoints.
 * TODO(#5): write `.keras` / `.weights.h5` from the checkpoint callbacks once saving lands.
 *
 * Layout: the 8 bytes `TNSLWGT1`, a uint32 (little-endian) header length, the header as UTF-8
 * JSON, then the raw little-endian bytes of every tensor, back to back. The header lists each
 * tensor's dtype, shape and byte range: first the model's weights in getWeights() order, then
 * the tensors of the optimizer state, which the header refers to as {"__tensor__": k}.
 * Files are written to a temporary name and renamed, so a crash never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TensileError, fmtShape } from '../errors.js';
import { type DType, allocate, checkDType } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { TrainableModel } from '../training/model-methods.js';
import { getCompiled } from '../training/state.js';

const MAGIC = 'TNSLWGT1';

interface TensorEntry {
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: 'tensile-weights';
  version: 1;
  model: string;
  weights: TensorEntry[];
  optimizer: unknown;
  meta: Record<string, unknown>;
}

/** Copies of the model's weights, safe from later training steps. */
export function snapshotWeights(model: TrainableModel): Tensor[] {
  return model.getWeights().map((t) => new Tensor(t.values.slice(), t.shape));
}

export interface SaveWeightsOptions {
  /** Also store the state of the model's optimizer (slots, step count). Default true. */
  includeOptimizer?: boolean;
  /** JSON-safe values stored beside the weights (BackupAndRestore keeps the epoch here). */
  meta?: Record<string, unknown>;
}

/** Writes the model's weights (and optimizer state) to `path`, atomically. */
export function saveWeightsFile(
  model: TrainableModel,
  path: string,
  options: SaveWeightsOptions = {},
): void {
  const tensors: Tensor[] = model.getWeights().slice();
  const weightCount = tensors.length;
  const optimizer = getCompiled(model)?.optimizer;
  const state =
    options.includeOptimizer !== false && optimizer?.getState ? optimizer.getState() : null;
  const encodedState = encode(state, tensors);

  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    entries.push({
      dtype: t.dtype,
      shape: t.shape.slice(),
      offset,
      byteLength: t.values.byteLength,
    });
    offset += t.values.byteLength;
  }
  const header: Header = {
    format: 'tensile-weights',
    version: 1,
    model: model.name,
    weights: entries.slice(0, weightCount),
    optimizer: { state: encodedState, tensors: entries.slice(weightCount) },
    meta: options.meta ?? {},
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(12 + json.length + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  let at = 12 + json.length;
  for (const t of tensors) {
    Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).copy(out, at);
    at += t.values.byteLength;
  }
  writeAtomic(path, out);
}

/** Reads a file written by saveWeightsFile into the model (and its optimizer); returns `meta`. */
export function loadWeightsFile(
  model: TrainableModel,
  path: string,
  options: { includeOptimizer?: boolean } = {},
): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TensileError('io_error', `Cannot read weights file ${path}: ${(e as Error).message}`);
  }
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) {
    throw new TensileError(
      'io_error',
      `${path} is not a Tensile weights file (it does not start with ${MAGIC}).`,
    );
  }
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as Header;
  const base = 12 + headerLength;
  const read = (e: TensorEntry): Tensor => {
    const values = allocate(
      checkDType(e.dtype),
      e.shape.reduce((a, b) => a * b, 1),
    );
    new Uint8Array(values.buffer).set(
      bytes.subarray(base + e.offset, base + e.offset + e.byteLength),
    );
    return new Tensor(values, e.shape);
  };
  const weights = header.weights.map(read);
  const current = model.getWeights();
  const mismatch =
    current.length !== weights.length ||
    current.some((t, i) => !shapesEqual(t.shape, weights[i]!.shape));
  if (mismatch) {
    throw new TensileError(
      'shape_mismatch',
      `The weights in ${path} (saved from model ${header.model}) ` +
        `do not fit model ${model.name}: the file ` +
        `has ${weights.length} weights (${weights.map((w) => fmtShape(w.shape)).join(' ')}), ` +
        `the model ` +
        `${current.length} (${current.map((w) => fmtShape(w.shape)).join(' ')}).`,
    );
  }
  model.setWeights(weights);
  const optimizer = getCompiled(model)?.optimizer;
  const saved = header.optimizer as { state: unknown; tensors: TensorEntry[] } | null;
  if (
    options.includeOptimizer !== false &&
    optimizer?.setState &&
    saved !== null &&
    saved.state !== null
  ) {
    const stateTensors = saved.tensors.map(read);
    (optimizer.setState as (s: unknown) => void)(decode(saved.state, stateTensors));
  }
  return header.meta;
}

/** Writes to a temporary file beside `path`, then renames it over `path`. */
export function writeAtomic(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new TensileError('io_error', `Cannot write ${path}: ${(e as Error).message}`);
  }
}

/** JSON-safe copy of `value` in which each tensor becomes {"__tensor__": index in `tensors`}. */
function encode(value: unknown, tensors: Tensor[]): unknown {
  if (value instanceof Tensor) {
    tensors.push(value);
    return { __tensor__: tensors.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, tensors));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, tensors);
    return out;
  }
  return value;
}

function decode(value: unknown, tensors: readonly Tensor[]): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, tensors));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record['__tensor__'] === 'number') return tensors[record['__tensor__']];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = decode(v, tensors);
    return out;
  }
  return value;
}
