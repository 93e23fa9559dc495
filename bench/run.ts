/**
 * `npm run bench`: Tensile on the peers' workloads (/work/shared/bench/peers/workloads.json,
 * copied to bench/workloads.json), one JSON line per measurement in the peers' shape.
 *
 *   npm run bench -- [--backend ts|native|all] [--workload gemm|mlp|cnn|conv2d] [--quick]
 *                    [--threads N] [--sizes 256,512]
 *
 * `all` (the default) runs the TypeScript backend, then the native one when it loads.
 * `--threads` sets the native backend's thread count (the TS backend always uses one);
 * `--sizes` limits GEMM to some of the workload's sizes.
 */
import { cpus, loadavg } from 'node:os';
import {
  TensileError,
  getNumThreads,
  nativeInstructionSet,
  setBackend,
  setNumThreads,
} from '../src/index.js';
import { benchCnn } from './cnn.js';
import { benchConv2d } from './conv2d.js';
import { benchGemm } from './gemm.js';
import { type BenchContext, line, skip } from './harness.js';
import { benchMlp } from './mlp.js';

const WORKLOAD_RUNNERS: Record<string, (ctx: BenchContext) => void> = {
  gemm: benchGemm,
  mlp: benchMlp,
  cnn: benchCnn,
  conv2d: benchConv2d,
};
// The names the skipped / error lines use, as the peers print them.
const WORKLOAD_NAMES: Record<string, string> = {
  gemm: 'gemm',
  mlp: 'mlp_train',
  cnn: 'cnn_train',
  conv2d: 'conv2d_fwd',
};

interface Options {
  backends: ('ts' | 'native')[];
  workloads: string[];
  quick: boolean;
  threads: number | null;
  gemmSizes: number[] | null;
}

function parseArgs(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const backend = value('--backend') ?? 'all';
  if (!['ts', 'native', 'all'].includes(backend)) {
    throw new Error(`--backend must be ts, native or all. Received: --backend ${backend}`);
  }
  const workload = value('--workload') ?? 'all';
  const known = Object.keys(WORKLOAD_RUNNERS);
  const workloads = workload === 'all' ? known : workload.split(',');
  for (const w of workloads) {
    if (!known.includes(w)) {
      throw new Error(`--workload must be one of ${known.join(', ')} or all. Received: ${w}`);
    }
  }
  const threads = value('--threads') === undefined ? null : Number(value('--threads'));
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(
      `--threads must be a positive integer. Received: --threads ${value('--threads')}`,
    );
  }
  const gemmSizes = value('--sizes')?.split(',').map(Number) ?? null;
  if (gemmSizes !== null && !gemmSizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(`--sizes must list positive integers. Received: --sizes ${value('--sizes')}`);
  }
  return {
    backends: backend === 'all' ? ['ts', 'native'] : [backend as 'ts' | 'native'],
    workloads,
    quick: argv.includes('--quick'),
    threads,
    gemmSizes,
  };
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  for (const backend of options.backends) {
    const ctx: BenchContext = {
      peer: `tensile-${backend}`,
      threads: 1,
      quick: options.quick,
      gemmSizes: options.gemmSizes,
    };
    try {
      setBackend(backend);
    } catch (err) {
      skip(ctx, 'all', `backend '${backend}' did not load: ${(err as Error).message}`);
      continue;
    }
    // The machine and how busy it is: figures taken under load are not comparable.
    const info: Record<string, unknown> = {
      backend,
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      loadavg1: Math.round(loadavg()[0]! * 100) / 100,
      quick: options.quick,
    };
    if (backend === 'native') {
      if (options.threads !== null) setNumThreads(options.threads);
      ctx.threads = getNumThreads();
      info['isa'] = nativeInstructionSet();
    }
    line({ peer: ctx.peer, info });
    for (const w of options.workloads) {
      try {
        WORKLOAD_RUNNERS[w]!(ctx);
      } catch (err) {
        // A kernel the backend lacks skips its workload and leaves the others to run.
        if (err instanceof TensileError && err.code === 'not_supported') {
          skip(ctx, WORKLOAD_NAMES[w]!, `not supported yet: ${err.message}`);
        } else {
          line({
            peer: ctx.peer,
            workload: WORKLOAD_NAMES[w],
            threads: ctx.threads,
            error: String((err as Error).message ?? err).split('\n')[0],
          });
        }
      }
    }
  }
}

try {
  main();
} catch (err) {
  // Bad command-line options: say which, without a stack trace.
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
