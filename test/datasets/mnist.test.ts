import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasets, readIdx, writeIdx } from '../../src/datasets/index.js';
import { TensileError } from '../../src/errors.js';
import { type Logger, setLogger } from '../../src/logger.js';

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(`warn: ${m}`),
  };
  const previous = setLogger(logger);
  return { lines, restore: () => void setLogger(previous) };
}

/** Three 28×28 images whose pixel k of image i is (i·7 + k) mod 256, and their labels. */
function tinyMnist(n: number, labels: number[]): { images: Buffer; labels: Buffer } {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) for (let k = 0; k < 784; k++) pixels[i * 784 + k] = (i * 7 + k) % 256;
  return { images: writeIdx(pixels, [n, 28, 28]), labels: writeIdx(Uint8Array.from(labels), [n]) };
}

describe('IDX reader', () => {
  it('reads the header and big-endian values of files it is given', () => {
    // Magic 0x00000803 (uint8, 3 dims), dims 2×2×3, then 12 bytes.
    const bytes = Buffer.from([
      0,
      0,
      8,
      3,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3,
      ...Array.from({ length: 12 }, (_, i) => i * 20),
    ]);
    const idx = readIdx(bytes);
    expect(idx.type).toBe('uint8');
    expect(idx.shape).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220]);
    // int32 (0x0c), one dimension of 2: 258 and -2, big-endian.
    const ints = readIdx(
      Buffer.from([0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe]),
    );
    expect(Array.from(ints.data)).toEqual([258, -2]);
    expect(readIdx(gzipSync(bytes)).shape).toEqual([2, 2, 3]);
  });

  it('rejects truncated and foreign files', () => {
    expect(() => readIdx(Buffer.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), 'labels.idx')).toThrow(
      'labels.idx is not a valid IDX file: shape [5] needs 13 bytes, the file has 10.',
    );
    expect(() => readIdx(Buffer.from('PK\x03\x04'))).toThrow(TensileError);
    expect(() => readIdx(Buffer.from([0, 0, 0x42, 1]))).toThrow(/unknown type code 0x42/);
  });
});

describe('mnist.loadData', () => {
  it('reads the four IDX files (plain or gzipped) from the cache folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensile-mnist-'));
    const train = tinyMnist(3, [5, 0, 4]);
    const test = tinyMnist(2, [7, 2]);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(train.images));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), train.labels);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), test.images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(test.labels));
    const log = captureLog();
    const data = (() => {
      try {
        return datasets.mnist.loadData({ cacheDir: dir });
      } finally {
        log.restore();
      }
    })();
    expect(data.source).toBe('idx');
    expect(data.train.x.shape).toEqual([3, 28, 28]);
    expect(data.train.x.dtype).toBe('float32');
    expect(Array.from(data.train.y.values)).toEqual([5, 0, 4]);
    expect(data.train.y.dtype).toBe('int32');
    expect(Array.from(data.test.y.values)).toEqual([7, 2]);
    // Pixel 300 of image 1: (7 + 300) mod 256 = 51, scaled to 51/255.
    expect(data.train.x.values[784 + 300]).toBeCloseTo(51 / 255, 6);
    expect(log.lines).toEqual([
      `mnist: read 3 training and 2 test digits from the IDX files in ${dir}`,
    ]);
  });

  it('falls back to the mnist package, split 8,000/2,000 by the seed', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tensile-mnist-empty-'));
    const log = captureLog();
    let a, b, c;
    try {
      a = datasets.mnist.loadData({ cacheDir: empty, seed: 1 });
      b = datasets.mnist.loadData({ cacheDir: empty, seed: 1 });
      c = datasets.mnist.loadData({ cacheDir: empty, seed: 2 });
    } finally {
      log.restore();
    }
    expect(a.source).toBe('mnist-package');
    expect(a.train.x.shape).toEqual([8000, 28, 28]);
    expect(a.test.x.shape).toEqual([2000, 28, 28]);
    expect(Array.from(a.test.y.values)).toEqual(Array.from(b.test.y.values));
    expect(Array.from(a.test.y.values)).not.toEqual(Array.from(c.test.y.values));
    // Every digit is present in both parts, and the pixels lie in [0, 1].
    for (const part of [a.train, a.test]) expect(new Set(part.y.values).size).toBe(10);
    expect(a.test.x.values.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(log.lines[0]).toMatch(
      /^mnist: no IDX files in .*; using the 10,000 digits of the mnist package, split 8000\/2000 with seed 1$/,
    );
  });
});
