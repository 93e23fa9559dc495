import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Pool2DOptions,
  type Tensor,
  TensileError,
  avgPool1d,
  avgPool2d,
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
  grad,
  maxPool1d,
  maxPool2d,
  mul,
  reshape,
  sum,
  tensor,
  zeros,
  listBackends,
  setBackend,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

/*
 * Reference values: NumPy loops in float64 over each window clipped to the input, with Keras'
 * 'same' rule (output ceil(in / stride), padding max((out − 1)·stride + k − in, 0) with the odd
 * cell at the bottom/right); averages divide by the cells inside the input. Printed to 12
 * significant digits. Inputs: x[i] = sin(1.3·i + 0.5) over the row-major flat index.
 */
function inputOf(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.5)),
    { shape: [...shape] },
  );
}

interface PoolCase {
  name: string;
  op: 'maxPool2d' | 'avgPool2d';
  x: number[];
  options: Pool2DOptions;
  shape: number[];
  expected: number[];
}

const POOL: PoolCase[] = [
  {
    name: 'max, 2x2 valid, odd input',
    op: 'maxPool2d',
    x: [1, 5, 5, 2],
    options: { poolSize: 2 },
    shape: [1, 2, 2, 2],
    expected: [
      0.803784426552, 0.973847630878, 0.902171833756, 0.912945250728, 0.979357643104,
      0.456745972144, 0.657655923014, 0.999911860107,
    ],
  },
  {
    name: 'max, 3x3 stride 2 same',
    op: 'maxPool2d',
    x: [1, 5, 6, 2],
    options: { poolSize: 3, strides: 2, padding: 'same' },
    shape: [1, 3, 3, 2],
    expected: [
      0.63742259615, 0.973847630878, 0.979357643104, 0.656986598719, 0.979357643104, 0.788252067375,
      0.787705226984, 0.999911860107, 0.979357643104, 0.636738007139, 0.979357643104,
      0.901788347649, 0.787705226984, 0.979536784517, 0.999899673897, 0.636738007139,
      0.913307331512, 0.973442512478,
    ],
  },
  {
    name: 'avg, 2x2 valid',
    op: 'avgPool2d',
    x: [2, 4, 5, 2],
    options: { poolSize: 2 },
    shape: [2, 2, 2, 2],
    expected: [
      0.235679802601, -0.0455404390267, 0.209977465374, 0.205919853278, 0.0665322056008,
      -0.225618446486, 0.254351288985, 0.0106305456462, -0.149597863881, -0.246373425985,
      0.119112061633, -0.192165642508, -0.260087703048, -0.0931490130696, -0.100239500599,
      -0.259261880098,
    ],
  },
  {
    name: 'avg, 3x3 stride 2 same (padding not counted)',
    op: 'avgPool2d',
    x: [1, 5, 6, 2],
    options: { poolSize: 3, strides: 2, padding: 'same' },
    shape: [1, 3, 3, 2],
    expected: [
      0.012778801932, 0.00459872847582, 0.00490479922531, 0.0127431541365, 0.0131765495751,
      0.00919992785084, 0.019963295781, -0.0676978576043, 0.07631927979, 0.0031897443521,
      0.0484654386372, -0.057957873066, -0.0117244810541, -0.00817405318399, -0.000874151633216,
      -0.0125746942738, -0.0106169459719, -0.0122608550787,
    ],
  },
  {
    name: 'avg, [2, 3] stride 1 same',
    op: 'avgPool2d',
    x: [1, 4, 4, 1],
    options: { poolSize: [2, 3], strides: 1, padding: 'same' },
    shape: [1, 4, 4, 1],
    expected: [
      0.389893556401, 0.417221120299, 0.241442978446, -0.0455440897307, -0.311841119856,
      0.076431963481, 0.43643981049, 0.579970386615, -0.682099083299, -0.345601822077,
      0.167515676022, 0.58899567971, -0.687365398827, -0.507909941156, -0.0762377185191,
      0.381973112457,
    ],
  },
];

const POOLS = { maxPool2d, avgPool2d };

function expectError(fn: () => unknown, code: string, ...parts: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TensileError);
  expect((caught as TensileError).code).toBe(code);
  for (const part of parts) expect((caught as TensileError).message).toContain(part);
}

// Every case runs on each backend that loads here (the TypeScript kernels always; the native
// addon when it is built), so both implementations of the kernels meet the same references.
const BACKENDS = listBackends().filter((name) => {
  try {
    setBackend(name);
    return true;
  } catch {
    return false;
  }
});

for (const name of BACKENDS) {
  describe(`${name} backend`, () => {
    beforeAll(() => setBackend(name));
    describe('2-D pooling', () => {
      for (const c of POOL) {
        it(`matches the NumPy reference: ${c.name}`, () => {
          const y = POOLS[c.op](inputOf(c.x), c.options);
          expect(y.shape).toEqual(c.shape);
          expectClose(y, c.expected, 1e-6);
        });
      }

      it('defaults to a 2x2 window with strides equal to the window', () => {
        const x = tensor(
          [
            [
              [[1], [2], [3], [4]],
              [[5], [6], [7], [8]],
            ],
          ],
          { dtype: 'float64' },
        );
        expectClose(maxPool2d(x), [6, 8]);
        expectClose(avgPool2d(x), [3.5, 5.5]);
      });

      it('routes the max-pool gradient to the first maximum of each window', () => {
        // Window [[1, 3], [3, 2]]: the first 3 (row 0, col 1) takes the whole gradient.
        const x = tensor(
          [
            [
              [[1], [3]],
              [[3], [2]],
            ],
          ],
          { dtype: 'float64' },
        );
        const [g] = grad((a) => sum(mul(maxPool2d(a), 5)))(x);
        expectClose(g!, [0, 5, 0, 0]);
      });

      it('adds gradients where overlapping windows share a maximum', () => {
        // 3-wide windows with stride 1 over [0, 9, 1, 2]: both windows pick the 9.
        const x = tensor([[[[0], [9], [1], [2]]]], { dtype: 'float64' });
        const [g] = grad((a) => sum(maxPool2d(a, { poolSize: [1, 3], strides: 1 })))(x);
        expectClose(g!, [0, 2, 0, 0]);
      });

      it('leaves same padding out of the average and of its gradient', () => {
        // 2x2 windows, stride 1, 'same' on a 2x2 input: the last row/column windows are clipped.
        const x = tensor(
          [
            [
              [[1], [2]],
              [[3], [4]],
            ],
          ],
          { dtype: 'float64' },
        );
        expectClose(avgPool2d(x, { poolSize: 2, strides: 1, padding: 'same' }), [2.5, 3, 3.5, 4]);
        const [g] = grad((a) => sum(avgPool2d(a, { poolSize: 2, strides: 1, padding: 'same' })))(x);
        expectClose(g!, [0.25, 0.75, 0.75, 2.25]);
      });

      it('pools integer inputs in float32', () => {
        const x = tensor(
          [
            [
              [[1], [2]],
              [[3], [4]],
            ],
          ],
          { dtype: 'int32' },
        );
        const y = maxPool2d(x);
        expect(y.dtype).toBe('float32');
        expectClose(y, [4]);
      });
    });

    describe('1-D and global pooling', () => {
      it('pools steps as a 2-D pool of height 1', () => {
        const x = inputOf([2, 7, 3]);
        const as2d = reshape(x, [2, 1, 7, 3]);
        for (const padding of ['valid', 'same'] as const) {
          const options = { poolSize: 3, strides: 2, padding };
          const two = {
            poolSize: [1, 3] as [number, number],
            strides: [1, 2] as [number, number],
            padding,
          };
          expectClose(maxPool1d(x, options), maxPool2d(as2d, two).values as Float64Array, 1e-12);
          expectClose(avgPool1d(x, options), avgPool2d(as2d, two).values as Float64Array, 1e-12);
        }
        expect(maxPool1d(x).shape).toEqual([2, 3, 3]);
      });

      it('reduces the spatial axes', () => {
        const x = tensor(
          [
            [
              [
                [1, -1],
                [4, 0],
              ],
              [
                [2, 5],
                [3, 2],
              ],
            ],
          ],
          { dtype: 'float64' },
        );
        expectClose(globalMaxPool2d(x), [4, 5]);
        expectClose(globalAvgPool2d(x), [2.5, 1.5]);
        expect(globalAvgPool2d(x, { keepDims: true }).shape).toEqual([1, 1, 1, 2]);
        const s = tensor(
          [
            [
              [1, -1],
              [4, 0],
              [2, 5],
            ],
          ],
          { dtype: 'float64' },
        );
        expectClose(globalMaxPool1d(s), [4, 5]);
        expectClose(globalAvgPool1d(s), [7 / 3, 4 / 3]);
        expect(globalMaxPool1d(s, { keepDims: true }).shape).toEqual([1, 1, 2]);
      });
    });

    describe('pooling gradients (float64 finite differences)', () => {
      const cases: [string, number[], (x: Tensor) => Tensor][] = [
        ['maxPool2d valid', [2, 4, 5, 2], (x) => maxPool2d(x)],
        [
          'maxPool2d 3x3 stride 2 same',
          [1, 5, 6, 2],
          (x) => maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' }),
        ],
        ['maxPool2d overlapping', [1, 4, 4, 1], (x) => maxPool2d(x, { poolSize: 3, strides: 1 })],
        ['avgPool2d valid', [2, 4, 5, 2], (x) => avgPool2d(x)],
        [
          'avgPool2d [2, 3] same',
          [1, 5, 4, 2],
          (x) => avgPool2d(x, { poolSize: [2, 3], strides: 1, padding: 'same' }),
        ],
        [
          'maxPool1d same',
          [2, 7, 2],
          (x) => maxPool1d(x, { poolSize: 3, strides: 2, padding: 'same' }),
        ],
        ['avgPool1d valid', [2, 7, 2], (x) => avgPool1d(x, { poolSize: 3 })],
        ['globalMaxPool2d', [2, 3, 3, 2], (x) => globalMaxPool2d(x)],
        ['globalAvgPool2d', [2, 3, 3, 2], (x) => globalAvgPool2d(x, { keepDims: true })],
        ['globalMaxPool1d', [2, 5, 2], (x) => globalMaxPool1d(x)],
        ['globalAvgPool1d', [2, 5, 2], (x) => globalAvgPool1d(x)],
      ];
      for (const [name, shape, f] of cases) {
        it(name, () => gradcheck(f, [rand64(shape, 11)]));
      }
    });

    describe('pooling errors', () => {
      it('rejects a window larger than the input under valid padding', () => {
        expectError(
          () => maxPool2d(zeros([1, 2, 5, 1]), { poolSize: 3 }),
          'shape_mismatch',
          'maxPool2d',
          'x.shape=[1,2,5,1]',
          "padding 'same'",
        );
        expectError(
          () => avgPool1d(zeros([1, 2, 1]), { poolSize: 3 }),
          'shape_mismatch',
          'avgPool1d',
          'x.shape=[1,2,1]',
        );
      });

      it('rejects wrong ranks and bad options', () => {
        expectError(() => maxPool2d(zeros([2, 4, 4])), 'shape_mismatch', 'x.shape=[2,4,4]');
        expectError(
          () => globalAvgPool1d(zeros([2, 4, 4, 1])),
          'shape_mismatch',
          'globalAvgPool1d',
        );
        expectError(
          () => avgPool2d(zeros([1, 4, 4, 1]), { poolSize: 0 }),
          'invalid_argument',
          'poolSize=0',
        );
        expectError(
          () => maxPool2d(zeros([1, 4, 4, 1]), { padding: 'causal' as 'same' }),
          'invalid_argument',
          'padding=causal',
        );
      });
    });
  });
}
