import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  grad,
  mul,
  resizeBilinear,
  sum,
  tensor,
  upSampling2d,
  zeros,
  listBackends,
  setBackend,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

/*
 * Reference values: PyTorch 1.13 in float64, F.interpolate(x, size, mode='bilinear',
 * align_corners=False, antialias=False) on the NCHW permutation, printed to 12 significant
 * digits. That is half-pixel-center sampling with indices clamped to the image, the rule of
 * tf.image.resize, which Keras 3's UpSampling2D(interpolation='bilinear') calls through
 * ops.image.resize. Inputs: x[i] = sin(1.3·i + 0.5) over the row-major flat index.
 */
function inputOf(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.5)),
    { shape: [...shape] },
  );
}

interface ResizeCase {
  name: string;
  x: number[];
  size: [number, number];
  /** The upSampling2d factors that give `size`, when it is an integer upsampling. */
  factor?: [number, number];
  shape: number[];
  expected: number[];
}

const RESIZE: ResizeCase[] = [
  {
    name: 'upsample 2x2',
    x: [1, 3, 4, 2],
    size: [6, 8],
    factor: [2, 2],
    shape: [1, 6, 8, 2],
    expected: [
      0.479425538604, 0.973847630878, 0.369964319561, 0.492485204686, 0.151041881476,
      -0.470239647698, -0.106485888824, -0.549454905737, -0.40261899134, 0.254839430567,
      -0.187471198509, 0.449158253733, 0.538957489668, 0.0335015637625, 0.902171833756,
      -0.174326781223, 0.110710090627, 0.640828402599, 0.141065468836, 0.351461667306,
      0.201776225254, -0.22727180328, 0.0469656997861, -0.32633512795, -0.323366107567,
      0.0542716932977, -0.221554228717, 0.207804134632, 0.352401336337, 0.134262196054,
      0.639379118864, 0.0974912267647, -0.626720805329, -0.0252100539581, -0.316732232616,
      0.0694145925462, 0.303244912809, 0.258663885555, 0.353868877007, 0.119904427626,
      -0.164860340023, -0.34686378124, -0.289720289133, -0.27490410357, -0.0207109703255,
      0.335783460637, 0.113793689078, 0.64112724274, -0.587221540942, -0.411653375455,
      -0.348669168338, -0.156742264426, 0.128435576871, 0.353079957633, 0.264812424078,
      0.298416290918, 0.0604613732847, -0.320733264572, -0.105160407552, -0.354676862594,
      -0.232052918433, 0.196585496853, -0.295499173873, 0.472216676576, 0.229207883786,
      -0.518501561891, 0.0452546616701, -0.327008903609, -0.322651782562, 0.0559764129556,
      -0.220203659001, 0.209200461926, 0.352599032354, 0.132663243302, 0.332125416026,
      -0.031514142439, -0.281624507985, -0.283331695298, -0.58849946999, -0.409240471728,
      0.63742259615, -0.57192565511, 0.242216576674, -0.412142223201, -0.548195462278,
      -0.0925753593833, -0.46271170054, 0.16459254743, 0.498667861889, 0.35936149724,
      0.550768327816, 0.130067217638, -0.306410302761, -0.523290291373, -0.734999618049,
      -0.849969045879,
    ],
  },
  {
    name: 'upsample [3, 2]',
    x: [2, 2, 3, 1],
    size: [6, 6],
    factor: [3, 2],
    shape: [2, 6, 6, 1],
    expected: [
      0.479425538604, 0.603031061673, 0.85024210781, 0.740780888767, 0.274647404545,
      0.0415806624333, 0.479425538604, 0.603031061673, 0.85024210781, 0.740780888767,
      0.274647404545, 0.0415806624333, 0.00241633443963, 0.118229727426, 0.3498565134,
      0.410931423422, 0.301454457493, 0.246715974528, -0.474592869725, -0.36657160682,
      -0.150529081011, 0.0810819580766, 0.328261510441, 0.451851286624, -0.95160207389,
      -0.851372941067, -0.650914675421, -0.248767507269, 0.35506856339, 0.656986598719,
      -0.95160207389, -0.851372941067, -0.650914675421, -0.248767507269, 0.35506856339,
      0.656986598719, 0.902171833756, 0.633047180011, 0.0947978725218, -0.379604149244,
      -0.790158885286, -0.995436253306, 0.902171833756, 0.633047180011, 0.0947978725218,
      -0.379604149244, -0.790158885286, -0.995436253306, 0.482038128425, 0.399456168328,
      0.234292248133, 0.01356434609, -0.262727537801, -0.400873479746, 0.0619044230942,
      0.165865156644, 0.373786623744, 0.406732841424, 0.264703809684, 0.193689293815,
      -0.358229282237, -0.0677258550397, 0.513280999355, 0.799901336758, 0.792135157169,
      0.788252067375, -0.358229282237, -0.0677258550397, 0.513280999355, 0.799901336758,
      0.792135157169, 0.788252067375,
    ],
  },
  {
    name: 'downsample to [3, 2]',
    x: [1, 5, 4, 2],
    size: [3, 2],
    shape: [1, 3, 2, 2],
    expected: [
      0.141726762553, 0.0790856498526, 0.0286503565532, 0.147600917541, -0.152989442802,
      -0.252358791292, 0.122179012528, -0.196611536868, -0.00891449467552, 0.139990534599,
      -0.134715660431, 0.0230802982605,
    ],
  },
];

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
    describe('bilinear resize', () => {
      for (const c of RESIZE) {
        it(`matches PyTorch: ${c.name}`, () => {
          const x = inputOf(c.x);
          const y = resizeBilinear(x, c.size);
          expect(y.shape).toEqual(c.shape);
          expectClose(y, c.expected, 1e-6);
          if (c.factor !== undefined) {
            expectClose(
              upSampling2d(x, { size: c.factor, interpolation: 'bilinear' }),
              c.expected,
              1e-6,
            );
          }
        });
      }

      it('weights a 2x upsampling 1/4 : 3/4 between neighbours and clamps at the border', () => {
        // Row [0, 4] to width 4 samples at -0.25, 0.25, 0.75, 1.25: [0, 1, 3, 4].
        const x = tensor([[[[0], [4]]]], { dtype: 'float64' });
        expectClose(resizeBilinear(x, [1, 4]), [0, 1, 3, 4]);
        const [g] = grad((a) => sum(resizeBilinear(a, [1, 4])))(x);
        expectClose(g!, [2, 2]);
      });
    });

    describe('upSampling2d', () => {
      it('repeats rows and columns with nearest interpolation (the default)', () => {
        const x = tensor(
          [
            [
              [
                [1, 10],
                [2, 20],
              ],
              [
                [3, 30],
                [4, 40],
              ],
            ],
          ],
          { dtype: 'float64' },
        );
        const y = upSampling2d(x, { size: [1, 2] });
        expect(y.shape).toEqual([1, 2, 4, 2]);
        expectClose(y, [1, 10, 1, 10, 2, 20, 2, 20, 3, 30, 3, 30, 4, 40, 4, 40]);
        expect(upSampling2d(x).shape).toEqual([1, 4, 4, 2]);
      });

      it('keeps integer dtypes under nearest and resizes them in float32 under bilinear', () => {
        const x = tensor([[[[1], [2]]]], { dtype: 'int32' });
        const nearest = upSampling2d(x, { size: [1, 2] });
        expect(nearest.dtype).toBe('int32');
        expect(Array.from(nearest.values)).toEqual([1, 1, 2, 2]);
        const bilinear = upSampling2d(x, { size: [1, 2], interpolation: 'bilinear' });
        expect(bilinear.dtype).toBe('float32');
        expectClose(bilinear, [1, 1.25, 1.75, 2]);
      });

      it('sums the gradient over each block of copies', () => {
        // y = [[1, 2], [1, 2]] from x = [[1, 2]]; with weights [[1, 2], [3, 4]], dL/dx = [1+3, 2+4].
        const x = tensor([[[[1], [2]]]], { dtype: 'float64' });
        const w = tensor(
          [
            [
              [[1], [2]],
              [[3], [4]],
            ],
          ],
          { dtype: 'float64' },
        );
        const [g] = grad((a) => sum(mul(upSampling2d(a, { size: [2, 1] }), w)))(x);
        expectClose(g!, [4, 6]);
      });
    });

    describe('image op gradients (float64 finite differences)', () => {
      const cases: [string, number[], (x: Tensor) => Tensor][] = [
        ['upSampling2d nearest', [2, 2, 3, 2], (x) => upSampling2d(x, { size: [2, 3] })],
        [
          'upSampling2d bilinear',
          [1, 3, 2, 2],
          (x) => upSampling2d(x, { size: 2, interpolation: 'bilinear' }),
        ],
        ['resizeBilinear down', [1, 5, 4, 2], (x) => resizeBilinear(x, [3, 2])],
        ['resizeBilinear mixed', [2, 3, 5, 1], (x) => resizeBilinear(x, [7, 3])],
      ];
      for (const [name, shape, f] of cases) {
        it(name, () => gradcheck(f, [rand64(shape, 21)]));
      }
    });

    describe('image op errors', () => {
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

      it('rejects non-images and bad options', () => {
        expectError(
          () => upSampling2d(zeros([2, 3, 4])),
          'shape_mismatch',
          'upSampling2d',
          'x.shape=[2,3,4]',
        );
        expectError(
          () => upSampling2d(zeros([1, 2, 2, 1]), { size: 0 }),
          'invalid_argument',
          'size=0',
        );
        expectError(
          () => upSampling2d(zeros([1, 2, 2, 1]), { interpolation: 'bicubic' as 'nearest' }),
          'invalid_argument',
          'interpolation=bicubic',
        );
        expectError(
          () => resizeBilinear(zeros([1, 2, 2, 1]), [0, 3]),
          'invalid_argument',
          'size=[0,3]',
        );
      });
    });
  });
}
