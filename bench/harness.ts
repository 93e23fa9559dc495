/**
 * Timing and output shared by the workloads. The rules follow the peers in
 * /work/shared/bench/peers (tfjs_bench.mjs, torch_bench.py): warm-up calls first, then timed
 * reps, each long enough to time well, and the median reported with the min and max.
 */
import { readFileSync } from 'node:fs';

export interface Workloads {
  gemm: { sizes: number[]; max_seconds_per_rep: number };
  mlp: TrainWorkload & { layers: number[] };
  cnn: TrainWorkload & { input_hwc: number[] };
  conv2d: {
    batch: number;
    h: number;
    w: number;
    cin: number;
    cout: number;
    k: number;
    stride: number;
  };
}

export interface TrainWorkload {
  lr: number;
  batch: number;
  steps: number;
  warmup_steps: number;
}

/** The peers' workload definitions, copied verbatim into bench/workloads.json. */
export const WORKLOADS = JSON.parse(
  readFileSync(new URL('./workloads.json', import.meta.url), 'utf8'),
) as Workloads;

export interface BenchContext {
  /** `tensile-ts` or `tensile-native`: the peer name in every line. */
  peer: string;
  threads: number;
  /** Fewer and shorter reps, for a smoke run; the figures are then rougher. */
  quick: boolean;
  /** GEMM sizes to measure (`--sizes`); all of the workload's when null. */
  gemmSizes: number[] | null;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * One JSON line in the peers' shape: the median of `values`, with min, max and rep count.
 * `extra.n` (the GEMM size) goes right after the workload name; other extras go last.
 */
export function emit(
  ctx: BenchContext,
  workload: string,
  values: readonly number[],
  unit: string,
  extra: Record<string, unknown> = {},
): void {
  const { n, ...rest } = extra;
  line({
    peer: ctx.peer,
    workload,
    ...(n === undefined ? {} : { n }),
    threads: ctx.threads,
    value: round2(median(values)),
    unit,
    min: round2(Math.min(...values)),
    max: round2(Math.max(...values)),
    reps: values.length,
    ...rest,
  });
}

/** A workload that was not measured, and why (the peers' `skipped` lines). */
export function skip(ctx: BenchContext, workload: string, why: string): void {
  line({ peer: ctx.peer, workload, threads: ctx.threads, skipped: why });
}

export function line(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record) + '\n');
}

export const now = (): number => performance.now() / 1e3;

/**
 * Seconds per call of `fn`: two warm-up calls, then 3 to 7 reps of enough calls to last 0.2 s,
 * within about 15 s in all (tfjs_bench.mjs's timePerCall). Returns null when one call takes
 * longer than `maxRepSeconds`. A call over 3 s counts its warm second call as the first rep.
 */
export function timePerCall(
  ctx: BenchContext,
  fn: () => void,
  maxRepSeconds: number,
): number[] | null {
  fn();
  let t0 = now();
  fn();
  const one = now() - t0;
  if (one > maxRepSeconds) return null;
  const target = ctx.quick ? 0.05 : 0.2;
  const budget = ctx.quick ? 2 : 15;
  const inner = Math.max(1, Math.floor(target / one));
  const reps = ctx.quick ? 3 : Math.max(3, Math.min(7, Math.floor(budget / (one * inner))));
  const out = one > 3 ? [one] : [];
  while (out.length < reps) {
    t0 = now();
    for (let i = 0; i < inner; i++) fn();
    out.push((now() - t0) / inner);
  }
  return out;
}

/**
 * Samples per second of a training step, as the peers measure `trainOnBatch`: warm-up steps,
 * then 3 reps of up to `steps` steps (at least 5, fewer when a rep would pass 10 s).
 */
export function trainingRate(ctx: BenchContext, cfg: TrainWorkload, step: () => void): number[] {
  let t0 = now();
  step();
  if (now() - t0 > 10) {
    const slow: number[] = [];
    for (let r = 0; r < 3; r++) {
      t0 = now();
      step();
      slow.push(cfg.batch / (now() - t0));
    }
    return slow;
  }
  const warmup = ctx.quick ? 2 : cfg.warmup_steps;
  t0 = now();
  for (let i = 1; i < warmup; i++) step();
  const stepSeconds = (now() - t0) / Math.max(1, warmup - 1);
  const maxSteps = ctx.quick ? 10 : cfg.steps;
  const steps = Math.max(5, Math.min(maxSteps, Math.floor((ctx.quick ? 2 : 10) / stepSeconds)));
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = now();
    for (let i = 0; i < steps; i++) step();
    rates.push((steps * cfg.batch) / (now() - t0));
  }
  return rates;
}
