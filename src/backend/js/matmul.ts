import type { FloatArray } from '../../tensor/dtype.js';
import type { MatmulParams } from '../backend.js';

/*
 * A cache-blocked matrix product in the layout of Goto & van de Geijn, "Anatomy of
 * High-Performance Matrix Multiplication" (ACM TOMS 34(3), 2008), scaled down to scalar JS.
 *
 * For each block of KC rows of op(B) (and NC of its columns), the block is copied once into
 * scratch as panels of NR columns; for each block of MC rows of op(A), those are copied into
 * scratch as panels of MR rows. The micro-kernel then multiplies one A panel by one B panel
 * with the MR×NR partial sums held in local variables, reading both panels front to back.
 * Packing is where transposed operands and float32 inputs are dealt with: the panels are
 * Float64Array, so the inner loop converts nothing and walks memory with unit stride.
 *
 * Measured in Node 20 on this project's 2-vCPU machine (AMD EPYC, Zen 5: 48 KiB L1d and 1 MiB
 * L2 per core; the peers' figures were taken on an Ice Lake-SP with 48 KiB / 1.25 MiB): 4–5.5
 * GFLOP/s on float32 512³ when the machine is quiet, against a scalar ceiling of about 6 (V8
 * emits no FMA). The 4×4 register tile timed as fast as 3×4, 4×3, 2×8 and 8×2 within the
 * machine's noise, and counted (valgrind) fewer instructions per product than 3×4, 4×3 and 2×8;
 * 4×8 counts 7% fewer still but spills its 32 accumulators (x64 has 16 xmm registers). Indices
 * are kept int32 with `| 0`, which drops V8's overflow checks: 15% fewer instructions. One
 * KC×NR B panel is 8 KiB and stays in L1 while the MC×KC A block (256 KiB) stays in L2 on both
 * machines; KC 128–512 and MC 64–256 all timed alike, since a scalar kernel is bound by
 * instructions, not by memory.
 */
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL_PRODUCT = 4096;

// Scratch for the packed panels, grown on demand and reused across calls (the kernel is never
// reentered): the A block at [0, MC·KC), the B block after it. One array rather than two saves
// the micro-kernel a second set of typed-array checks per step.
const B_START = MC * KC;
let panels = new Float64Array(B_START + KC * 64);
// Edge tiles (fewer than MR rows or NR columns left) are computed here, then the valid part
// is copied out.
const edgeTile = new Float64Array(MR * NR);

/** Batched matrix product (see MatmulParams). */
export function matmul(a: FloatArray, b: FloatArray, out: FloatArray, p: MatmulParams): void {
  const { batch, m, n, k, transA, transB } = p;
  // Element (i, l) of op(A) is at i·ars + l·acs; element (l, j) of op(B) at l·brs + j·bcs.
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  const brs = transB ? 1 : n;
  const bcs = transB ? k : 1;
  const size = m * n;
  if (size === 0) return;
  for (let bt = 0; bt < batch; bt++) {
    const ao = p.aOffsets === null ? bt * m * k : p.aOffsets[bt]!;
    const bo = p.bOffsets === null ? bt * k * n : p.bOffsets[bt]!;
    const oo = bt * size;
    if (k === 0) {
      out.fill(0, oo, oo + size);
    } else if (size * k <= SMALL_PRODUCT) {
      smallProduct(a, ao, ars, acs, b, bo, brs, bcs, out, oo, m, n, k);
    } else {
      blockedProduct(a, ao, ars, acs, b, bo, brs, bcs, out, oo, m, n, k);
    }
  }
}

/** Dot products in float64, for products too small to repay packing. */
function smallProduct(
  a: FloatArray,
  ao: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bo: number,
  brs: number,
  bcs: number,
  out: FloatArray,
  oo: number,
  m: number,
  n: number,
  k: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = ao + i * ars;
    for (let j = 0; j < n; j++) {
      const bj = bo + j * bcs;
      let sum = 0;
      for (let l = 0; l < k; l++) sum += a[ai + l * acs]! * b[bj + l * brs]!;
      out[oo + i * n + j] = sum;
    }
  }
}

function blockedProduct(
  a: FloatArray,
  ao: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bo: number,
  brs: number,
  bcs: number,
  out: FloatArray,
  oo: number,
  m: number,
  n: number,
  k: number,
): void {
  // Depth and row blocks are split evenly (784 = 4 × 196, not 3 × 256 + 16), so no block is a
  // sliver whose packing and stores outweigh its arithmetic. Row blocks stay multiples of MR.
  const kcStep = Math.ceil(k / Math.ceil(k / KC));
  const mcStep = Math.ceil(Math.ceil(m / Math.ceil(m / MC)) / MR) * MR;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let l0 = 0; l0 < k; l0 += kcStep) {
      const kc = Math.min(kcStep, k - l0);
      // The first depth block overwrites `out`; later ones add to it.
      const first = l0 === 0;
      packB(b, bo + l0 * brs + j0 * bcs, brs, bcs, kc, nc);
      for (let i0 = 0; i0 < m; i0 += mcStep) {
        const mc = Math.min(mcStep, m - i0);
        packA(a, ao + i0 * ars + l0 * acs, ars, acs, mc, kc);
        for (let q = 0; q < nc; q += NR) {
          const nr = Math.min(NR, nc - q);
          for (let r = 0; r < mc; r += MR) {
            const mr = Math.min(MR, mc - r);
            const o = oo + (i0 + r) * n + j0 + q;
            if (mr === MR && nr === NR) {
              microKernel(panels, r * kc, B_START + q * kc, kc, out, o, n, first);
            } else {
              microKernel(panels, r * kc, B_START + q * kc, kc, edgeTile, 0, NR, true);
              storeEdge(out, o, n, mr, nr, first);
            }
          }
        }
      }
    }
  }
}

/** Copies op(A)'s mc×kc block at `base` into MR-row panels, each stored depth-major. */
function packA(
  a: FloatArray,
  base: number,
  ars: number,
  acs: number,
  mc: number,
  kc: number,
): void {
  // mc ≤ MC and MC is a multiple of MR, so the A block always fits below B_START.
  const pa = panels;
  let o = 0;
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const rows = Math.min(MR, mc - r0);
    const p0 = base + r0 * ars;
    if (rows === MR) {
      const p1 = p0 + ars;
      const p2 = p1 + ars;
      const p3 = p2 + ars;
      for (let l = 0, off = 0; l < kc; l++, off += acs) {
        pa[o] = a[p0 + off]!;
        pa[o + 1] = a[p1 + off]!;
        pa[o + 2] = a[p2 + off]!;
        pa[o + 3] = a[p3 + off]!;
        o += MR;
      }
    } else {
      // The missing rows are zeros, so the micro-kernel needs no edge case of its own.
      for (let l = 0; l < kc; l++) {
        for (let r = 0; r < MR; r++) pa[o + r] = r < rows ? a[p0 + r * ars + l * acs]! : 0;
        o += MR;
      }
    }
  }
}

/** Copies op(B)'s kc×nc block at `base` into NR-column panels, each stored depth-major. */
function packB(
  b: FloatArray,
  base: number,
  brs: number,
  bcs: number,
  kc: number,
  nc: number,
): void {
  const size = B_START + Math.ceil(nc / NR) * NR * kc;
  if (panels.length < size) panels = new Float64Array(size);
  const pb = panels;
  let o = B_START;
  for (let q0 = 0; q0 < nc; q0 += NR) {
    const cols = Math.min(NR, nc - q0);
    const p0 = base + q0 * bcs;
    if (cols === NR) {
      const p1 = p0 + bcs;
      const p2 = p1 + bcs;
      const p3 = p2 + bcs;
      for (let l = 0, off = 0; l < kc; l++, off += brs) {
        pb[o] = b[p0 + off]!;
        pb[o + 1] = b[p1 + off]!;
        pb[o + 2] = b[p2 + off]!;
        pb[o + 3] = b[p3 + off]!;
        o += NR;
      }
    } else {
      for (let l = 0; l < kc; l++) {
        for (let s = 0; s < NR; s++) pb[o + s] = s < cols ? b[p0 + s * bcs + l * brs]! : 0;
        o += NR;
      }
    }
  }
}

/**
 * c[o + r·ldc + s] (=|+=) Σ_l p[ai + l·MR + r] · p[bi + l·NR + s] for the 4×4 tile, with the
 * sixteen partial sums in local variables.
 */
function microKernel(
  p: Float64Array,
  ai: number,
  bi: number,
  kc: number,
  c: FloatArray,
  o: number,
  ldc: number,
  overwrite: boolean,
): void {
  // prettier-ignore
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0,
    c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let l = 0; l < kc; l++) {
    const b0 = p[bi]!;
    const b1 = p[(bi + 1) | 0]!;
    const b2 = p[(bi + 2) | 0]!;
    const b3 = p[(bi + 3) | 0]!;
    const a0 = p[ai]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    const a1 = p[(ai + 1) | 0]!;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    const a2 = p[(ai + 2) | 0]!;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    const a3 = p[(ai + 3) | 0]!;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai = (ai + MR) | 0;
    bi = (bi + NR) | 0;
  }
  const o1 = o + ldc;
  const o2 = o1 + ldc;
  const o3 = o2 + ldc;
  if (overwrite) {
    c[o] = c00;
    c[o + 1] = c01;
    c[o + 2] = c02;
    c[o + 3] = c03;
    c[o1] = c10;
    c[o1 + 1] = c11;
    c[o1 + 2] = c12;
    c[o1 + 3] = c13;
    c[o2] = c20;
    c[o2 + 1] = c21;
    c[o2 + 2] = c22;
    c[o2 + 3] = c23;
    c[o3] = c30;
    c[o3 + 1] = c31;
    c[o3 + 2] = c32;
    c[o3 + 3] = c33;
  } else {
    c[o] = c[o]! + c00;
    c[o + 1] = c[o + 1]! + c01;
    c[o + 2] = c[o + 2]! + c02;
    c[o + 3] = c[o + 3]! + c03;
    c[o1] = c[o1]! + c10;
    c[o1 + 1] = c[o1 + 1]! + c11;
    c[o1 + 2] = c[o1 + 2]! + c12;
    c[o1 + 3] = c[o1 + 3]! + c13;
    c[o2] = c[o2]! + c20;
    c[o2 + 1] = c[o2 + 1]! + c21;
    c[o2 + 2] = c[o2 + 2]! + c22;
    c[o2 + 3] = c[o2 + 3]! + c23;
    c[o3] = c[o3]! + c30;
    c[o3 + 1] = c[o3 + 1]! + c31;
    c[o3 + 2] = c[o3 + 2]! + c32;
    c[o3 + 3] = c[o3 + 3]! + c33;
  }
}

/** Writes (or adds) the valid mr×nr corner of `edgeTile` into out at o. */
function storeEdge(
  out: FloatArray,
  o: number,
  ldc: number,
  mr: number,
  nr: number,
  overwrite: boolean,
): void {
  for (let r = 0; r < mr; r++) {
    const row = o + r * ldc;
    for (let s = 0; s < nr; s++) {
      const v = edgeTile[r * NR + s]!;
      out[row + s] = overwrite ? v : out[row + s]! + v;
    }
  }
}
