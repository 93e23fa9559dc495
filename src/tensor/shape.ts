import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function checkShape(shape: unknown, what = 'shape'): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw invalidArgument(
      `${what} must be an array of non-negative integers. ` +
        `Received: ${what}=${JSON.stringify(shape)}`,
    );
  }
  return shape.slice() as number[];
}

/** NumPy broadcasting: align from the right; each pair of sizes must match or one must be 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw shapeMismatch(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together ` +
          `(dimension ${i - rank} is ${da} against ${db}). Sizes must match or one must be 1.`,
      );
    }
  }
  return out;
}

/**
 * Strides for reading an array of `shape` as if it had `outShape`: broadcast dimensions get
 * stride 0, so one index walk serves both operands.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/** Normalizes an axis that may be negative; `rank` is the number of dimensions. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw invalidArgument(
      `${op}: axis out of range for a tensor of rank ${rank}. Received: axis=${axis}. ` +
        `Use an integer in [${-rank}, ${rank - 1}].`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes `axis` (one, several, or all when undefined), sorted and without duplicates. */
export function normalizeAxes(
  axis: number | readonly number[] | undefined,
  rank: number,
  op: string,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, rank, op));
  if (new Set(out).size !== out.length) {
    throw invalidArgument(`${op}: repeated axis. Received: axis=${JSON.stringify(axis)}`);
  }
  return out.sort((x, y) => x - y);
}
