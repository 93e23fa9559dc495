import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  add,
  concat,
  mul,
  pad,
  reshape,
  slice,
  split,
  tensor,
  tile,
  transpose,
} from '../../src/index.js';

// Fixed seed and modest run counts: the file is a regression test that runs in a few seconds,
// and a failure prints the counterexample and the path to replay it.
const RUNS = { seed: 20261203, numRuns: 60 };

const dim = fc.integer({ min: 0, max: 4 });
const shapeArb = (minRank = 0, maxRank = 4) =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });

/** A tensor of the shape holding 0, 1, 2, ... so every element is distinguishable. */
const iota = (shape: readonly number[]): Tensor =>
  tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
    { shape },
  );

const values = (t: Tensor): number[] => Array.from(t.values);

/**
 * Two shapes that broadcast to `out`: each drops some leading axes and turns some others into 1,
 * which is every way NumPy allows.
 */
const compatiblePair = shapeArb(0, 4).chain((out) => {
  const operand = fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
  return fc.tuple(fc.constant(out), operand, operand);
});

/** NumPy's rule, written independently of the library: right-align, sizes equal or one is 1. */
function numpyBroadcast(a: number[], b: number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Reads element `index` (of the broadcast shape) from a row-major array of `shape`. */
function readBroadcast(data: Tensor, index: number[]): number {
  const shape = data.shape;
  const offset = index.length - shape.length;
  let flat = 0;
  for (let i = 0; i < shape.length; i++)
    flat = flat * shape[i]! + (shape[i] === 1 ? 0 : index[i + offset]!);
  return data.values[flat]!;
}

describe('broadcasting properties', () => {
  it('add has NumPy’s result shape and the values of a naive loop', () => {
    fc.assert(
      fc.property(compatiblePair, ([out, sa, sb]) => {
        const a = iota(sa);
        const b = mul(iota(sb), 1000);
        const y = add(a, b);
        expect(y.shape).toEqual(numpyBroadcast(sa, sb));
        // Each result size is out's size, or 1 where both operands have 1 there.
        y.shape.forEach((d, i) => expect([1, out[out.length - y.rank + i]]).toContain(d));
        const expected: number[] = [];
        const walk = (prefix: number[]): void => {
          if (prefix.length === y.rank) {
            expected.push(readBroadcast(a, prefix) + readBroadcast(b, prefix));
            return;
          }
          for (let i = 0; i < y.shape[prefix.length]!; i++) walk([...prefix, i]);
        };
        walk([]);
        expect(values(y)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('add refuses exactly the shape pairs NumPy refuses, naming both', () => {
    fc.assert(
      fc.property(shapeArb(), shapeArb(), (sa, sb) => {
        const rule = numpyBroadcast(sa, sb);
        if (rule !== null) {
          expect(add(iota(sa), iota(sb)).shape).toEqual(rule);
          return;
        }
        try {
          add(iota(sa), iota(sb));
          expect.unreachable(`[${sa}] and [${sb}] should not broadcast`);
        } catch (err) {
          expect(err).toBeInstanceOf(TensileError);
          expect((err as TensileError).code).toBe('shape_mismatch');
          expect((err as TensileError).message).toContain(
            `[${sa.join(',')}] and [${sb.join(',')}]`,
          );
        }
      }),
      RUNS,
    );
  });
});

describe('shape op properties', () => {
  const permutation = (rank: number) =>
    fc.shuffledSubarray(
      Array.from({ length: rank }, (_, i) => i),
      { minLength: rank, maxLength: rank },
    );

  it('transpose by a permutation and then by its inverse is the identity', () => {
    const arb = shapeArb(0, 5).chain((s) => fc.tuple(fc.constant(s), permutation(s.length)));
    fc.assert(
      fc.property(arb, ([shape, perm]) => {
        const x = iota(shape);
        const t = transpose(x, perm);
        expect(t.shape).toEqual(perm.map((p) => shape[p]));
        const inverse = perm.map((_, i) => perm.indexOf(i));
        const back = transpose(t, inverse);
        expect(back.shape).toEqual(shape);
        expect(values(back)).toEqual(values(x));
      }),
      RUNS,
    );
  });

  it('reshape to any factorization and back is the identity', () => {
    fc.assert(
      fc.property(shapeArb(0, 4), shapeArb(0, 4), (s1, s2) => {
        // Reshape [s1] to [s1, s2] flattened differently: [size(s1)·size(s2)] then [...s2, ...s1].
        const x = iota([...s1, ...s2]);
        const y = reshape(reshape(x, [-1]), [...s2, ...s1]);
        expect(values(y)).toEqual(values(x));
        expect(values(reshape(y, x.shape))).toEqual(values(x));
      }),
      RUNS,
    );
  });

  it('concat then split returns the parts', () => {
    const arb = shapeArb(1, 4).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.integer({ min: 0, max: shape.length - 1 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axis, sizes]) => {
        const parts = sizes.map((size, k) => {
          const s = shape.slice();
          s[axis] = size;
          return add(iota(s), 100 * k);
        });
        const joined = concat(parts, { axis });
        expect(joined.shape[axis]).toBe(sizes.reduce((a, b) => a + b, 0));
        const back = split(joined, sizes, { axis: axis - shape.length });
        expect(back.map((p) => p.shape)).toEqual(parts.map((p) => p.shape));
        back.forEach((p, k) => expect(values(p)).toEqual(values(parts[k]!)));
      }),
      RUNS,
    );
  });

  it('slicing the padding off returns the original', () => {
    const arb = shapeArb(0, 4).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
          minLength: shape.length,
          maxLength: shape.length,
        }),
        fc.double({ min: -5, max: 5, noNaN: true }),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, paddings, constantValue]) => {
        const x = iota(shape);
        const p = pad(x, paddings, { constantValue });
        expect(p.shape).toEqual(shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]));
        const inner = slice(
          p,
          paddings.map((q) => q[0]),
          shape,
        );
        expect(values(inner)).toEqual(values(x));
        // Everything outside the window is the constant.
        const padCount = p.size - x.size;
        expect(values(p).filter((v) => v === constantValue).length).toBeGreaterThanOrEqual(
          padCount,
        );
      }),
      RUNS,
    );
  });

  it('tile equals concatenating copies along each axis', () => {
    const arb = shapeArb(1, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.array(fc.integer({ min: 1, max: 3 }), {
          minLength: shape.length,
          maxLength: shape.length,
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, reps]) => {
        const x = iota(shape);
        let expected = x;
        reps.forEach((r, axis) => {
          expected = concat(new Array<Tensor>(r).fill(expected), { axis });
        });
        const y = tile(x, reps);
        expect(y.shape).toEqual(expected.shape);
        expect(values(y)).toEqual(values(expected));
      }),
      RUNS,
    );
  });
});
