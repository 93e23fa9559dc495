import { record } from '../autograd/engine.js';
import { getBackend } from '../backend/registry.js';
import { fmtShape, shapeMismatch } from '../errors.js';
import { type FloatArray, isFloat, promoteTypes } from '../tensor/dtype.js';
import { broadcastShapes, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './elementwise.js';
import { reshape } from './shape.js';
import { empty, expectTensor, sumToShape } from './util.js';

export interface MatmulOptions {
  /** Use aᵀ (the last two axes swapped) without copying it. */
  transposeA?: boolean;
  /** Use bᵀ (the last two axes swapped) without copying it. */
  transposeB?: boolean;
}

/**
 * Matrix product over the last two axes, batched and broadcast over the leading ones (NumPy
 * matmul). A 1-D operand is a row vector on the left or a column vector on the right, and that
 * dimension is removed from the result. dL/da = dL/dy·bᵀ and dL/db = aᵀ·dL/dy.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  expectTensor(a, 'matmul', 'a');
  expectTensor(b, 'matmul', 'b');
  if (a.rank === 0 || b.rank === 0) {
    throw shapeMismatch(`matmul needs operands of rank 1 or more. Received: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) dtype = 'float32';
  const x = cast(a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a, dtype);
  const y = cast(b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b, dtype);
  const out = matmulRaw(x, y, options.transposeA ?? false, options.transposeB ?? false);
  const ta = options.transposeA ?? false;
  const tb = options.transposeB ?? false;
  const result = record(out, 'matmul', [x, y], (dy) => {
    // With the four transpose cases written out, no operand is ever copied to transpose it.
    const da = ta ? matmulRaw(y, dy, tb, true) : matmulRaw(dy, y, false, !tb);
    const db = tb ? matmulRaw(dy, x, true, ta) : matmulRaw(x, dy, !ta, false);
    return [sumToShape(da, x.shape), sumToShape(db, y.shape)];
  });
  let shape = out.shape.slice();
  if (b.rank === 1) shape = shape.slice(0, -1);
  if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
  return shape.length === out.rank ? result : reshape(result, shape);
}

/** The product without recording, with the broadcast batch expressed as kernel offsets. */
export function matmulRaw(x: Tensor, y: Tensor, transA: boolean, transB: boolean): Tensor {
  const m = transA ? x.shape[x.rank - 1]! : x.shape[x.rank - 2]!;
  const k = transA ? x.shape[x.rank - 2]! : x.shape[x.rank - 1]!;
  const k2 = transB ? y.shape[y.rank - 1]! : y.shape[y.rank - 2]!;
  const n = transB ? y.shape[y.rank - 2]! : y.shape[y.rank - 1]!;
  if (k !== k2) {
    throw shapeMismatch(
      `matmul: inner dimensions differ: a has shape ${fmtShape(x.shape)}${transA ? ' (transposed)' : ''} ` +
        `and b has shape ${fmtShape(y.shape)}${transB ? ' (transposed)' : ''}; ${k} ≠ ${k2}.`,
    );
  }
  const aBatch = x.shape.slice(0, -2);
  const bBatch = y.shape.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch, 'matmul');
  const batch = sizeOf(batchShape);
  const out = empty([...batchShape, m, n], x.dtype);
  getBackend().matmul(x.values as FloatArray, y.values as FloatArray, out.values as FloatArray, {
    batch,
    m,
    n,
    k,
    transA,
    transB,
    aOffsets: batchOffsets(aBatch, batchShape, m * k),
    bOffsets: batchOffsets(bBatch, batchShape, k * n),
  });
  return out;
}

/** Start of each batch's matrix, or null when the batch walks the storage in order. */
function batchOffsets(shape: number[], full: number[], matrixSize: number): Int32Array | null {
  const batch = sizeOf(full);
  if (sizeOf(shape) === batch) return null;
  const offsets = new Int32Array(batch);
  const strides = stridesOf(shape);
  const rankOffset = full.length - shape.length;
  const fullStrides = stridesOf(full);
  for (let bi = 0; bi < batch; bi++) {
    let rem = bi;
    let off = 0;
    for (let d = 0; d < full.length; d++) {
      const idx = Math.floor(rem / fullStrides[d]!);
      rem -= idx * fullStrides[d]!;
      const sd = d - rankOffset;
      if (sd >= 0 && shape[sd] !== 1) off += idx * strides[sd]!;
    }
    offsets[bi] = off * matrixSize;
  }
  return offsets;
}
