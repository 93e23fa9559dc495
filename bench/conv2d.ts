/**
 * Workload D: Conv2D forward, batch 32 of 64×64×32 to 64 channels, 3×3, stride 1, 'same', no
 * bias, NHWC; GFLOP/s counted as 2·batch·h·w·cout·cin·k² (4.832 GFLOP).
 */
import { type Tensor, conv2d, randomNormal } from '../src/index.js';
import { type BenchContext, WORKLOADS, emit, skip, timePerCall } from './harness.js';

export function benchConv2d(ctx: BenchContext): void {
  const c = WORKLOADS.conv2d;
  const x = randomNormal([c.batch, c.h, c.w, c.cin], { seed: 6 });
  const w = randomNormal([c.k, c.k, c.cin, c.cout], { seed: 7 });
  const flops = 2 * c.batch * c.h * c.w * c.cout * c.cin * c.k * c.k;
  let sink: Tensor | null = null;
  const times = timePerCall(ctx, () => (sink = conv2d(x, w, { padding: 'same' })), 30);
  if (times === null || sink === null) {
    skip(ctx, 'conv2d_fwd', 'one call takes over 30 s');
    return;
  }
  emit(
    ctx,
    'conv2d_fwd',
    times.map((t) => flops / t / 1e9),
    'GFLOP/s',
  );
}
