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
 *
 * @param options `transposeA`, `transposeB` (default false): swap the last two axes of an
 *   operand of rank 2 or more first (a vector is its own transpose).
 * @returns float32 for integer inputs, else the wider float dtype of a and b.
 * @throws TensileError `shape_mismatch` naming both shapes when the inner dimensions differ
 *   or the batch dimensions cannot broadcast.
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([5, 6])); // [17, 39]
 * matmul(zeros([2, 1, 3, 4]), zeros([5, 4, 2])).shape; // [2, 5, 3, 2]
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  expectTensor(a, 'matmul', 'a');
  expectTensor(b, 'matmul', 'b');
  if (a.rank === 0 || b.rank === 0) {
    throw shapeMismatch(
      `matmul needs operands of rank 1 or more. Received: shapes ${fmtShape(a.shape)} and ` +
        `${fmtShape(b.shape)}. Use mul for a product with a scalar.`,
    );
  }
  // A vector's transpose is itself, so the options apply to operands of rank 2 or more.
  const ta = (options.transposeA ?? false) && a.rank > 1;
  const tb = (options.transposeB ?? false) && b.rank > 1;
  checkMatmulShapes(a, b, ta, tb);
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) dtype = 'float32';
  const x = cast(a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a, dtype);
  const y = cast(b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b, dtype);
  const out = matmulRaw(x, y, ta, tb);
  const result = record(out, 'matmul', [x, y], (dy) => {
    // With the four transpose cases written out, no operand is ever copied to transpose it.
    // An operand that needs no gradient (a batch of inputs) costs no product.
    const da = !x.requiresGrad
      ? null
      : ta
        ? matmulRaw(y, dy, tb, true)
        : matmulRaw(dy, y, false, !tb);
    const db = !y.requiresGrad
      ? null
      : tb
        ? matmulRaw(dy, x, true, ta)
        : matmulRaw(x, dy, !ta, false);
    return [da && sumToShape(da, x.shape), db && sumToShape(db, y.shape)];
  });
  let shape = out.shape.slice();
  if (b.rank === 1) shape = shape.slice(0, -1);
  if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
  return shape.length === out.rank ? result : reshape(result, shape);
}

/** Validates at the public entry, so messages show the shapes the caller passed. */
function checkMatmulShapes(a: Tensor, b: Tensor, ta: boolean, tb: boolean): void {
  const k1 = a.rank === 1 ? a.shape[0]! : a.shape[a.rank - (ta ? 2 : 1)]!;
  const k2 = b.rank === 1 ? b.shape[0]! : b.shape[b.rank - (tb ? 1 : 2)]!;
  const shown =
    `a has shape ${fmtShape(a.shape)}${ta ? ' (transposed)' : ''} and b has shape ` +
    `${fmtShape(b.shape)}${tb ? ' (transposed)' : ''}`;
  if (k1 !== k2) {
    throw shapeMismatch(
      `matmul: inner dimensions differ: ${shown}; ${k1} ≠ ${k2}. The last axis of a must match ` +
        `the second-to-last of b.`,
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  for (let i = 1; i <= Math.min(batchA.length, batchB.length); i++) {
    const da = batchA[batchA.length - i]!;
    const db = batchB[batchB.length - i]!;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeMismatch(
        `matmul: batch dimensions cannot be broadcast: ${shown}; batch shapes ` +
          `${fmtShape(batchA)} and ${fmtShape(batchB)} differ at ${da} against ${db}.`,
      );
    }
  }
}

/** The product without recording, with the broadcast batch expressed as kernel offsets. */
export function matmulRaw(x: Tensor, y: Tensor, transA: boolean, transB: boolean): Tensor {
  const m = transA ? x.shape[x.rank - 1]! : x.shape[x.rank - 2]!;
  const k = transA ? x.shape[x.rank - 2]! : x.shape[x.rank - 1]!;
  const k2 = transB ? y.shape[y.rank - 1]! : y.shape[y.rank - 2]!;
  const n = transB ? y.shape[y.rank - 2]! : y.shape[y.rank - 1]!;
  if (k !== k2) {
    throw shapeMismatch(
      `matmul: inner dimensions differ: a has shape ${fmtShape(x.shape)}` +
        `${transA ? ' (transposed)' : ''} ` +
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
