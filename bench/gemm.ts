/** Workload A: C = A·B on float32 N×N matrices, GFLOP/s counted as 2N³ / t. */
import { type Tensor, matmul, randomNormal } from '../src/index.js';
import { type BenchContext, WORKLOADS, emit, skip, timePerCall } from './harness.js';

export function benchGemm(ctx: BenchContext): void {
  const cfg = WORKLOADS.gemm;
  let tooSlow = '';
  for (const n of ctx.gemmSizes ?? cfg.sizes) {
    const name = `gemm_${n}`;
    if (tooSlow !== '') {
      skip(ctx, name, tooSlow);
      continue;
    }
    if (ctx.quick && n > 512) {
      skip(ctx, name, '--quick measures sizes up to 512');
      continue;
    }
    const a = randomNormal([n, n], { seed: 1 });
    const b = randomNormal([n, n], { seed: 2 });
    // The op as a user calls it: allocation of the result included, as tfjs' matMul + dataSync.
    let sink: Tensor | null = null;
    const times = timePerCall(ctx, () => (sink = matmul(a, b)), cfg.max_seconds_per_rep);
    if (sink === null || times === null) {
      skip(ctx, name, `one product takes over ${cfg.max_seconds_per_rep} s`);
      tooSlow = 'a smaller size already exceeded the time limit';
      continue;
    }
    emit(
      ctx,
      name,
      times.map((t) => (2 * n ** 3) / t / 1e9),
      'GFLOP/s',
      { n },
    );
    // The next size does 8× the work: skip it when it would pass the limit.
    if (times[0]! * 8 > cfg.max_seconds_per_rep) {
      tooSlow =
        `the previous size took ${times[0]!.toFixed(1)} s, so this one would exceed ` +
        `${cfg.max_seconds_per_rep} s per rep`;
    }
  }
}
