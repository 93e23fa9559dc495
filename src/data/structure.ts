/**
 * Nested structures of tensors (a tensor, an array of structures, or a record of structures),
 * the elements a Dataset holds. The helpers flatten a structure to its tensors in a fixed order
 * and build it back, so batching can work on plain lists of tensors.
 */
import { fmtShape, invalidArgument } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export type TensorStructure =
  Tensor | readonly TensorStructure[] | { readonly [key: string]: TensorStructure };

/** The tensors of a structure, depth first, arrays in order and records by key order. */
export function flattenStructure(structure: TensorStructure, what = 'element'): Tensor[] {
  const out: Tensor[] = [];
  const visit = (s: TensorStructure, path: string): void => {
    if (s instanceof Tensor) out.push(s);
    else if (Array.isArray(s))
      s.forEach((child: TensorStructure, i) => visit(child, `${path}[${i}]`));
    else if (typeof s === 'object' && s !== null) {
      for (const key of Object.keys(s))
        visit((s as Record<string, TensorStructure>)[key]!, `${path}.${key}`);
    } else {
      throw invalidArgument(
        `A dataset ${what} must hold only Tensors (alone, in arrays or in records). ` +
          `Received: ${path}=${String(s)}. Wrap plain numbers with tensor(...).`,
      );
    }
  };
  visit(structure, what);
  return out;
}

/** Builds a structure shaped like `template` from tensors in flattenStructure's order. */
export function unflattenStructure<T extends TensorStructure>(
  template: T,
  leaves: readonly Tensor[],
): T {
  let next = 0;
  const build = (s: TensorStructure): TensorStructure => {
    if (s instanceof Tensor) return leaves[next++]!;
    if (Array.isArray(s)) return s.map((child: TensorStructure) => build(child));
    const out: Record<string, TensorStructure> = {};
    for (const key of Object.keys(s))
      out[key] = build((s as Record<string, TensorStructure>)[key]!);
    return out;
  };
  return build(template) as T;
}

/** Row `i` of `t` along the first axis, sharing `t`'s storage. */
export function rowOf(t: Tensor, i: number): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  return new Tensor(t.values.subarray(i * rowSize, (i + 1) * rowSize), t.shape.slice(1));
}

/** Rows `start` to `end` (exclusive) of `t`, sharing `t`'s storage. */
export function rowRange(t: Tensor, start: number, end: number): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const shape = t.shape.slice();
  shape[0] = end - start;
  return new Tensor(t.values.subarray(start * rowSize, end * rowSize), shape);
}

/** The rows of `t` listed in `indices[start..end)`, copied into a new tensor. */
export function gatherRows(
  t: Tensor,
  indices: ArrayLike<number>,
  start: number,
  end: number,
): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const out = allocate(t.dtype, (end - start) * rowSize);
  const src = t.values;
  for (let k = start; k < end; k++) {
    const from = indices[k]! * rowSize;
    out.set(src.subarray(from, from + rowSize), (k - start) * rowSize);
  }
  const shape = t.shape.slice();
  shape[0] = end - start;
  return new Tensor(out, shape);
}

/** Stacks same-shaped tensors along a new first axis. */
export function stackRows(rows: readonly Tensor[], what: string): Tensor {
  const first = rows[0]!;
  const out = allocate(first.dtype, rows.length * first.size);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.dtype !== first.dtype || !shapesEqual(row.shape, first.shape)) {
      throw invalidArgument(
        `${what}: cannot batch elements of different shapes or dtypes. Received: ` +
          `${fmtShape(first.shape)} ${first.dtype} and ${fmtShape(row.shape)} ${row.dtype} ` +
          `(element ${i} of the batch). Make every element the same shape, e.g. with map().`,
      );
    }
    out.set(row.values, i * first.size);
  }
  return new Tensor(out, [rows.length, ...first.shape]);
}

/** Concatenates tensors along the first axis; their other dimensions must agree. */
export function concatRows(parts: readonly Tensor[], what: string): Tensor {
  const first = parts[0]!;
  const inner = first.shape.slice(1);
  let rows = 0;
  for (const p of parts) {
    if (p.dtype !== first.dtype || !shapesEqual(p.shape.slice(1), inner)) {
      throw invalidArgument(
        `${what}: cannot join batches of shapes ${fmtShape(first.shape)} ` +
          `and ${fmtShape(p.shape)} ` +
          `(dtypes ${first.dtype}, ${p.dtype}); every batch must agree except in its first axis.`,
      );
    }
    rows += p.shape[0]!;
  }
  const out = allocate(
    first.dtype,
    parts.reduce((n, p) => n + p.size, 0),
  );
  let offset = 0;
  for (const p of parts) {
    out.set(p.values, offset);
    offset += p.size;
  }
  return new Tensor(out, [rows, ...inner]);
}
