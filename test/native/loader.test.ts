import { afterEach, describe, expect, it, vi } from 'vitest';
import { TensileError } from '../../src/errors.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { addon, describeNative, native } from './harness.js';

/** Imports the backend package afresh, so the default chooser runs again. */
async function freshBackend() {
  vi.resetModules();
  return import('../../src/backend/index.js');
}

// CI sets TENSILE_EXPECT_NATIVE=1 so that a broken build fails the run instead of skipping
// the native tests: `npm ci` itself never fails when the addon does not build.
it.runIf(process.env['TENSILE_EXPECT_NATIVE'] === '1')('the addon was built and loads', () => {
  const result = loadAddon();
  expect(result.ok ? 'loaded' : result.reason).toBe('loaded');
});

describe('default backend choice', () => {
  const saved = process.env['TENSILE_BACKEND'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TENSILE_BACKEND'];
    else process.env['TENSILE_BACKEND'] = saved;
    vi.doUnmock('../../src/backend/native/addon.js');
    vi.resetModules();
  });

  it('TENSILE_BACKEND=ts forces the TypeScript backend', async () => {
    process.env['TENSILE_BACKEND'] = 'ts';
    const { getBackend } = await freshBackend();
    expect(getBackend().name).toBe('ts');
  });

  it.skipIf(native === null)(
    'picks native when the addon loads, and TENSILE_BACKEND=native forces it',
    async () => {
      delete process.env['TENSILE_BACKEND'];
      expect((await freshBackend()).getBackend().name).toBe('native');
      process.env['TENSILE_BACKEND'] = 'native';
      expect((await freshBackend()).getBackend().name).toBe('native');
    },
  );

  it('falls back to ts with one note when the addon is missing, and refuses a forced native', async () => {
    vi.doMock('../../src/backend/native/addon.js', () => ({
      loadAddon: () => ({
        ok: false,
        reason: 'the addon build/Release/tensile.node was not built',
      }),
    }));
    delete process.env['TENSILE_BACKEND'];
    const { getBackend, setBackend, getNumThreads } = await freshBackend();
    const { setLogger } = await import('../../src/logger.js');
    // The fresh module graph has its own copy of the error class.
    const { TensileError: FreshTensileError } = await import('../../src/errors.js');
    const notes: string[] = [];
    const previous = setLogger({ info: (m) => notes.push(m), warn: (m) => notes.push(m) });
    try {
      expect(getBackend().name).toBe('ts');
      expect(getBackend().name).toBe('ts');
      expect(notes).toEqual([
        'using the TypeScript backend: the addon build/Release/tensile.node was not built',
      ]);
      expect(getNumThreads()).toBe(1);
      let error: unknown;
      try {
        setBackend('native');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(FreshTensileError);
      expect((error as TensileError).code).toBe('native_unavailable');
      expect((error as TensileError).message).toMatch(/not built.*npm rebuild tensile/);
    } finally {
      setLogger(previous);
    }
  });
});

describeNative('safety at the boundary', (nb) => {
  it('the addon turns bad arguments into JS exceptions instead of crashing', () => {
    const a = addon!;
    const f = new Float32Array(4);
    expect(() => a.unary(0, 'x' as unknown as Float32Array, f, 0, 0)).toThrow(
      /must be a typed array/,
    );
    expect(() => a.unary(99, f, f, 0, 0)).toThrow(/unknown unary op/);
    expect(() => a.unary(0, f, new Float64Array(4), 0, 0)).toThrow(/same dtype/);
    expect(() => a.matmul(f, f, f, 1, 3, 3, 3, false, false, null, null)).toThrow(
      /too short|needs/,
    );
    expect(() => a.matmul(f, f, f, 1, 2, 2, 1, false, false, Int32Array.from([100]), null)).toThrow(
      /outside/,
    );
    expect(() => a.gather(f, Int32Array.from([4]), 1, 4, 1, f)).toThrow(/outside \[0, 4\)/);
    expect(() => a.copyStrided(f, 0, [5], [2], f, 0, [1])).toThrow(/outside the array/);
    expect(() => a.conv2d(f, f, f, [1, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0, 2])).toThrow(
      /groups/,
    );
    expect(() => (a.reduce as (...args: unknown[]) => void)(0, f)).toThrow(/expects 6 arguments/);
  });

  it('the TS side rejects inconsistent sizes with a TensileError naming the kernel', () => {
    const p = {
      batch: 1,
      m: 3,
      n: 3,
      k: 3,
      transA: false,
      transB: false,
      aOffsets: null,
      bOffsets: null,
    };
    let error: unknown;
    try {
      nb.matmul(new Float32Array(9), new Float32Array(9), new Float32Array(8), p);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TensileError);
    expect((error as TensileError).code).toBe('invalid_argument');
    expect((error as TensileError).message).toContain(
      'native matmul: out has 8 elements, expected 9',
    );
  });

  it('setNumThreads changes the pool and results do not depend on it', async () => {
    const { getNumThreads, setNumThreads } = await import('../../src/backend/index.js');
    const before = getNumThreads();
    const a = Float32Array.from({ length: 300 * 300 }, (_, i) => Math.sin(i));
    const p = {
      batch: 1,
      m: 300,
      n: 300,
      k: 300,
      transA: false,
      transB: false,
      aOffsets: null,
      bOffsets: null,
    };
    const one = new Float32Array(300 * 300);
    const many = new Float32Array(300 * 300);
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      nb.matmul(a, a, one, p);
      setNumThreads(3);
      expect(getNumThreads()).toBe(3);
      nb.matmul(a, a, many, p);
    } finally {
      setNumThreads(before);
    }
    // Each C tile is computed by one thread in the same order, whatever the split.
    expect(many).toEqual(one);
    expect(() => setNumThreads(0)).toThrow(/positive integer. Received: n=0/);
  });
});
