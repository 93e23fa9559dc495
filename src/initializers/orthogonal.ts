import type { Random } from '../tensor/random.js';

/**
 * A rows×cols matrix (row-major, float64) with orthonormal columns when rows ≥ cols, or
 * orthonormal rows otherwise, drawn as Keras' Orthogonal does: QR of a standard normal matrix
 * of shape (max, min), Q's columns multiplied by the signs of R's diagonal (so the draw is
 * uniform over orthogonal matrices), transposed when rows < cols.
 */
export function orthogonalMatrix(rows: number, cols: number, rng: Random): Float64Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  // Columns of a (m×n) normal matrix, orthonormalized by modified Gram-Schmidt, which gives
  // the Q of a QR decomposition with R's diagonal positive; the sign fix is then built in.
  const a: Float64Array[] = [];
  for (let j = 0; j < n; j++) a.push(new Float64Array(m));
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j]![i] = rng.normal();
  for (let j = 0; j < n; j++) {
    const v = a[j]!;
    for (let k = 0; k < j; k++) {
      const q = a[k]!;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i]! * v[i]!;
      for (let i = 0; i < m; i++) v[i]! -= dot * q[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i]! /= norm;
  }
  const out = new Float64Array(rows * cols);
  if (rows >= cols) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = a[j]![i]!;
  } else {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = a[i]![j]!;
  }
  return out;
}
