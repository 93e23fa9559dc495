import type { FloatArray } from '../../tensor/dtype.js';
import type { MatmulParams } from '../backend.js';

/** Batched matrix product (see MatmulParams). */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, p: MatmulParams): void {
  const { batch, m, n, k, transA, transB } = p;
  // Element (i, l) of op(A) is at i·ars + l·acs; element (l, j) of op(B) at l·brs + j·bcs.
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  const brs = transB ? 1 : n;
  const bcs = transB ? k : 1;
  const row = new Float64Array(n);
  for (let bt = 0; bt < batch; bt++) {
    const ao = p.aOffsets === null ? bt * m * k : p.aOffsets[bt]!;
    const bo = p.bOffsets === null ? bt * k * n : p.bOffsets[bt]!;
    const oo = bt * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let l = 0; l < k; l++) {
        const av = a[ao + i * ars + l * acs]!;
        const bb = bo + l * brs;
        for (let j = 0; j < n; j++) row[j]! += av * b[bb + j * bcs]!;
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j]!;
    }
  }
}
