import '../../src/backend/index.js';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../src/data/index.js';
import { TensileError } from '../../src/errors.js';
import { arange, tensor } from '../../src/tensor/creation.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const rows = (t: Tensor): unknown => t.toArray();

describe('Dataset', () => {
  it('slices tensors, arrays and records of tensors along the first axis', async () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tensor([7, 8, 9], { dtype: 'int32' });
    const pairs = await Dataset.fromTensors([x, y]).toArray();
    expect(pairs.map(([a, b]) => [rows(a), rows(b)])).toEqual([
      [[1, 2], 7],
      [[3, 4], 8],
      [[5, 6], 9],
    ]);
    const records = await Dataset.fromTensors({ image: x, label: y }).toArray();
    expect(records[1]!.image.shape).toEqual([2]);
    expect(records[1]!.label.dtype).toBe('int32');
    expect(Dataset.fromTensors(x).cardinality).toBe(3);
    expect(() => Dataset.fromTensors([x, tensor([1, 2])])).toThrow(/same number of rows/);
  });

  it('batches, keeping or dropping the remainder, and stacks every tensor', async () => {
    const ds = Dataset.fromTensors({ x: arange(0, 7), y: arange(10, 17) });
    const batches = await ds.batch(3).toArray();
    expect(batches.map((b) => rows(b.x))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(batches.map((b) => rows(b.y))).toEqual([[10, 11, 12], [13, 14, 15], [16]]);
    expect(ds.batch(3).cardinality).toBe(3);
    const dropped = ds.batch(3, { dropRemainder: true });
    expect(dropped.cardinality).toBe(2);
    expect((await dropped.toArray()).map((b) => b.x.shape)).toEqual([[3], [3]]);
    const mixed = Dataset.fromArray([tensor([1, 2]), tensor([1, 2, 3])]).batch(2);
    await expect(mixed.toArray()).rejects.toThrow(/cannot batch elements of different shapes/);
  });

  it('shuffles with a seed: a permutation, the same for the same seed, new on each pass', async () => {
    const ds = Dataset.fromTensors(arange(0, 20)).shuffle(20, { seed: 4 });
    const first = (await ds.toArray()).map((t) => t.item());
    const second = (await ds.toArray()).map((t) => t.item());
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(first).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(second).not.toEqual(first);
    const again = Dataset.fromTensors(arange(0, 20)).shuffle(20, { seed: 4 });
    expect((await again.toArray()).map((t) => t.item())).toEqual(first);
    const fixed = Dataset.fromTensors(arange(0, 20)).shuffle(20, {
      seed: 4,
      reshuffleEachIteration: false,
    });
    expect((await fixed.toArray()).map((t) => t.item())).toEqual(
      (await fixed.toArray()).map((t) => t.item()),
    );
    // A buffer of 1 cannot reorder anything.
    const one = await Dataset.fromTensors(arange(0, 5)).shuffle(1, { seed: 1 }).toArray();
    expect(one.map((t) => t.item())).toEqual([0, 1, 2, 3, 4]);
  });

  it('maps (also async), filters, takes, skips and repeats', async () => {
    const ds = Dataset.fromArray([1, 2, 3, 4]);
    expect(await ds.map(async (v) => v * 10).toArray()).toEqual([10, 20, 30, 40]);
    expect(await ds.filter((v) => v % 2 === 0).toArray()).toEqual([2, 4]);
    expect(await ds.take(2).toArray()).toEqual([1, 2]);
    expect(await ds.skip(3).toArray()).toEqual([4]);
    expect(await ds.repeat(2).toArray()).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(await ds.repeat().take(6).toArray()).toEqual([1, 2, 3, 4, 1, 2]);
    expect(ds.repeat().cardinality).toBe(Infinity);
    expect(ds.repeat(3).take(5).cardinality).toBe(5);
    expect(
      Dataset.fromGenerator(function* () {
        yield 1;
      }).cardinality,
    ).toBeNull();
    await expect(ds.repeat().toArray()).rejects.toThrow(/infinite dataset/);
  });

  it('prefetches ahead of the consumer and keeps the order', async () => {
    let produced = 0;
    const ds = Dataset.fromGenerator(async function* () {
      for (let i = 0; i < 6; i++) {
        produced++;
        yield i;
      }
    }).prefetch(3);
    const it = ds[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toBe(0);
    await new Promise((r) => setTimeout(r, 1));
    // One consumed, and the buffer of three refilled behind it.
    expect(produced).toBeGreaterThanOrEqual(3);
    const rest: number[] = [];
    for (let r = await it.next(); r.done !== true; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects bad counts with the value received', () => {
    const ds = Dataset.fromArray([1]);
    const error = (() => {
      try {
        ds.batch(0);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(TensileError);
    expect((error as TensileError).message).toBe(
      'Dataset.batch: batchSize must be an integer >= 1. Received: batchSize=0.',
    );
    expect(() => ds.take(-1)).toThrow(/count must be an integer >= 0/);
  });
});
