import { TensileError, invalidArgument } from '../../errors.js';
import { getLogger } from '../../logger.js';
import type { Backend } from '../backend.js';
import { tsBackend } from '../js/index.js';
import { load, registerBackend, setDefaultBackendChooser } from '../registry.js';
import { loadAddon } from './addon.js';
import { createNativeBackend } from './backend.js';

/*
 * The native backend registers itself and decides how the default backend is chosen:
 * TENSILE_BACKEND=ts|native forces one; otherwise native when the addon loads, else 'ts' with
 * one note through the logger saying why.
 */

function loadNative(): Backend {
  const result = loadAddon();
  if (!result.ok) {
    throw new TensileError(
      'native_unavailable',
      `The native backend is not available: ${result.reason}. ` +
        `Rebuild it with \`npm rebuild tensile\` ` +
        `(needs a C++17 compiler, make and python3), or use the 'ts' backend.`,
    );
  }
  return createNativeBackend(result.addon, tsBackend);
}

registerBackend('native', loadNative);

function chooseDefaultBackend(): Backend {
  const forced = process.env['TENSILE_BACKEND'];
  if (forced === 'ts') return load('ts');
  if (forced === 'native') return load('native');
  if (forced !== undefined && forced !== '') {
    getLogger().warn(
      `TENSILE_BACKEND must be 'ts' or 'native'; ignoring it. Received: TENSILE_BACKEND=${forced}`,
    );
  }
  const result = loadAddon();
  if (result.ok) return load('native');
  getLogger().info(`using the TypeScript backend: ${result.reason}`);
  return load('ts');
}

setDefaultBackendChooser(chooseDefaultBackend);

/**
 * Sets how many threads the native kernels use (the calling thread included). The default is
 * TENSILE_NUM_THREADS, else every CPU the process may run on. Has no effect on the TypeScript
 * backend, which is single-threaded.
 *
 * @param n - a positive integer.
 * @throws TensileError with code 'invalid_argument' when n is not a positive integer.
 * @example
 * setNumThreads(1); // deterministic timings in a benchmark
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw invalidArgument(`setNumThreads expects a positive integer. Received: n=${n}`);
  }
  const result = loadAddon();
  if (result.ok) result.addon.setNumThreads(n);
}

/**
 * The number of threads the native kernels use; 1 when the addon is not available.
 *
 * @returns the thread count, the calling thread included.
 */
export function getNumThreads(): number {
  const result = loadAddon();
  return result.ok ? result.addon.getNumThreads() : 1;
}

/** The instruction set of the native GEMM ('avx512', 'avx2', 'generic'), or null without it. */
export function nativeInstructionSet(): string | null {
  const result = loadAddon();
  return result.ok ? result.addon.isa : null;
}
