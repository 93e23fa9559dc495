import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  celu,
  elu,
  exponential,
  glu,
  hardShrink,
  hardTanh,
  gelu,
  hardSigmoid,
  hardSilu,
  leakyRelu,
  linear,
  logSigmoid,
  mish,
  mul,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softplus,
  softShrink,
  softsign,
  sparsePlus,
  sparseSigmoid,
  squareplus,
  sum,
  tanh,
  tanhShrink,
  tensor,
  threshold,
} from '../../src/index.js';
import { expectClose, gradcheck, rand64 } from '../helpers/gradcheck.js';

const f64 = (values: number[] | Float64Array, shape?: number[]): Tensor =>
  tensor(Float64Array.from(values), shape === undefined ? {} : { shape });

/** Elementwise derivative of f at x: the gradient of sum(f(x)). */
function derivative(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const leaf = tensor(Float64Array.from(x.values), { shape: x.shape, requiresGrad: true });
  sum(f(leaf)).backward();
  return leaf.grad!;
}

// The inputs include 0 and the corners ±3, 6 where the piecewise functions switch, and −40 / 30
// where naive formulas overflow or cancel.
const X = [-40, -5, -3, -1.5, -0.3, 0, 0.2, 1, 2.9, 3, 6, 7.5, 30];

// References: PyTorch 1.13 in float64 (torch.nn.functional.<op>, gradients by torch.autograd
// of the sum), printed with repr. softplus uses threshold=1000 so it is the exact formula.
const CASES: {
  name: string;
  f: (x: Tensor) => Tensor;
  y: number[];
  dy: number[];
}[] = [
  {
    name: 'relu',
    f: (x) => relu(x),
    y: [0, 0, 0, 0, 0, 0, 0.2, 1, 2.9, 3, 6, 7.5, 30],
    dy: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
  },
  {
    name: 'relu6',
    f: relu6,
    y: [0, 0, 0, 0, 0, 0, 0.2, 1, 2.9, 3, 6, 6, 6],
    dy: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0],
  },
  {
    name: 'leakyRelu (default slope 0.2)',
    f: (x) => leakyRelu(x),
    y: [-8, -1, -0.6000000000000001, -0.30000000000000004, -0.06, 0, 0.2, 1, 2.9, 3, 6, 7.5, 30],
    dy: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1, 1, 1, 1, 1, 1, 1],
  },
  {
    name: 'elu',
    f: (x) => elu(x),
    y: [
      -1, -0.9932620530009145, -0.950212931632136, -0.7768698398515702, -0.2591817793182821, 0, 0.2,
      1, 2.9, 3, 6, 7.5, 30,
    ],
    dy: [
      4.248354255291589e-18, 0.006737946999085467, 0.049787068367863944, 0.22313016014842982,
      0.7408182206817179, 1, 1, 1, 1, 1, 1, 1, 1,
    ],
  },
  {
    name: 'elu alpha 0.5',
    f: (x) => elu(x, { alpha: 0.5 }),
    y: [
      -0.5, -0.49663102650045726, -0.475106465816068, -0.3884349199257851, -0.12959088965914106, 0,
      0.2, 1, 2.9, 3, 6, 7.5, 30,
    ],
    dy: [
      2.1241771276457944e-18, 0.0033689734995427335, 0.024893534183931972, 0.11156508007421491,
      0.37040911034085894, 0.5, 1, 1, 1, 1, 1, 1, 1,
    ],
  },
  {
    name: 'selu',
    f: selu,
    y: [
      -1.7580993408473766, -1.7462533606696198, -1.6705687287671118, -1.3658143533672527,
      -0.45566731537912203, 0, 0.2101401974710961, 1.0507009873554805, 3.047032863330893,
      3.1521029620664414, 6.304205924132883, 7.880257405166104, 31.521029620664414,
    ],
    dy: [
      7.46902881591429e-18, 0.011845980177756718, 0.08753061208026487, 0.392284987480124,
      1.3024320254682547, 1.7580993408473766, 1.0507009873554805, 1.0507009873554805,
      1.0507009873554805, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805,
      1.0507009873554805,
    ],
  },
  {
    name: 'gelu (exact, the default)',
    f: (x) => gelu(x),
    y: [
      -0, -1.4332578593401202e-6, -0.00404969409489031, -0.10021080190328704, -0.1146265733433142,
      0, 0.11585194188782061, 0.841344746068543, 2.8945891414288862, 2.99595030590511,
      5.999999994080474, 7.49999999999976, 30,
    ],
    dy: [
      0, -7.1469460018034646e-6, -0.01194564720418392, -0.1274691922299796, 0.26767223317289013,
      0.5, 0.6574682482341941, 1.0833154705876864, 1.015396530716966, 1.011945647204184,
      1.0000000354687093, 1.0000000000017937, 1,
    ],
  },
  {
    name: 'gelu approximate',
    f: (x) => gelu(x, { approximate: true }),
    y: [
      -0, -2.2917961972623857e-7, -0.0036373920817729943, -0.10042842301976707,
      -0.11462907645724074, 0, 0.11585142978210627, 0.8411919906082768, 2.895033333764528,
      2.996362607918227, 5.9999999999156035, 7.5, 30,
    ],
    dy: [
      0, -1.5463619879596227e-6, -0.011584166630969648, -0.12771079315143308, 0.26770454836119817,
      0.5, 0.6574581491956996, 1.0829640838457826, 1.0151255217340986, 1.0115841666309695,
      1.0000000007709977, 1, 1,
    ],
  },
  {
    name: 'sigmoid',
    f: sigmoid,
    y: [
      4.248354255291589e-18, 0.0066928509242848554, 0.04742587317756678, 0.18242552380635635,
      0.425557483188341, 0.5, 0.549833997312478, 0.7310585786300049, 0.9478464369215823,
      0.9525741268224334, 0.9975273768433653, 0.9994472213630764, 0.9999999999999065,
    ],
    dy: [
      4.248354255291589e-18, 0.006648056670790155, 0.04517665973091214, 0.14914645207033286,
      0.24445831169074586, 0.25, 0.24751657271185995, 0.19661193324148185, 0.049433568936643184,
      0.045176659730912, 0.002466509291359931, 0.0005524730727021618, 9.348077867342945e-14,
    ],
  },
  {
    // Keras 3: relu6(x + 3) / 6. Its gradient is 0 at the corners ±3, like relu6's.
    name: 'hardSigmoid',
    f: hardSigmoid,
    y: [
      0, 0, 0, 0.25, 0.45, 0.5, 0.5333333333333333, 0.6666666666666666, 0.9833333333333334, 1, 1, 1,
      1,
    ],
    dy: [0, 0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0, 0, 0, 0],
  },
  {
    name: 'tanh',
    f: tanh,
    y: [
      -1, -0.9999092042625951, -0.9950547536867305, -0.9051482536448664, -0.2913126124515909, 0,
      0.197375320224904, 0.7615941559557649, 0.9939631673505831, 0.9950547536867305,
      0.9999877116507956, 0.9999993881955461, 1,
    ],
    dy: [
      0, 0.00018158323094385266, 0.009866037165440166, 0.1807066389236486, 0.9151369618266292, 1,
      0.9610429829661166, 0.41997434161402614, 0.012037221950396736, 0.009866037165440166,
      2.4576547405302974e-5, 1.2236085334475042e-6, 0,
    ],
  },
  {
    name: 'softplus',
    f: softplus,
    y: [
      4.248354255291589e-18, 0.006715348489118068, 0.04858735157374206, 0.2014132779827524,
      0.5543552444685271, 0.6931471805599453, 0.7981388693815918, 1.3132616875182228,
      2.953562776217963, 3.048587351573742, 6.00247568513773, 7.500552931475361, 30.000000000000092,
    ],
    dy: [
      4.248354255291589e-18, 0.006692850924284856, 0.04742587317756679, 0.18242552380635632,
      0.425557483188341, 0.5, 0.549833997312478, 0.7310585786300049, 0.9478464369215822,
      0.9525741268224333, 0.9975273768433652, 0.9994472213630764, 0.9999999999999064,
    ],
  },
  {
    name: 'softsign',
    f: softsign,
    y: [
      -0.975609756097561, -0.8333333333333334, -0.75, -0.6, -0.23076923076923075, 0,
      0.16666666666666669, 0.5, 0.7435897435897436, 0.75, 0.8571428571428571, 0.8823529411764706,
      0.967741935483871,
    ],
    dy: [
      0.0005948839976204663, 0.027777777777777762, 0.0625, 0.16000000000000003, 0.5917159763313609,
      1, 0.6944444444444444, 0.25, 0.06574621959237345, 0.0625, 0.020408163265306117,
      0.013840830449826994, 0.00104058272632674,
    ],
  },
  {
    name: 'silu',
    f: silu,
    y: [
      -1.6993417021166355e-16, -0.03346425462142428, -0.14227761953270035, -0.2736382857095345,
      -0.1276672449565023, 0, 0.1099667994624956, 0.7310585786300049, 2.7487546670725886,
      2.8577223804672998, 5.985164261060192, 7.4958541602230735, 29.999999999997197,
    ],
    dy: [
      -1.6568581595637197e-16, -0.026547432429665917, -0.08810410601516962, -0.041294154299142946,
      0.3522199896811173, 0.5, 0.59933731185485, 0.9276705118714869, 1.0912037868378475,
      1.0881041060151693, 1.0123264325915249, 1.0035907694083426, 1.000000000002711,
    ],
  },
  {
    name: 'mish',
    f: mish,
    y: [
      -1.6993417021166355e-16, -0.033576237730161704, -0.1456474612756246, -0.2980997421668068,
      -0.15113317713833455, 0, 0.13259900186215923, 0.8650983882673103, 2.8842668281130717,
      2.9865350049679575, 5.999926634065252, 7.499995416538079, 30,
    ],
    dy: [
      -1.6568581595637197e-16, -0.02674749801990194, -0.09339311453232084, -0.0640978158922586,
      0.40851087693570215, 0.6, 0.7246245404198407, 1.0490362200997922, 1.0243191256661055,
      1.0211069109294435, 1.00013414050621, 1.0000085507255063, 1,
    ],
  },
  {
    name: 'logSigmoid',
    f: logSigmoid,
    y: [
      -40, -5.006715348489118, -3.048587351573742, -1.7014132779827524, -0.8543552444685272,
      -0.6931471805599453, -0.5981388693815918, -0.31326168751822286, -0.053562776217963175,
      -0.04858735157374206, -0.0024756851377304495, -0.0005529314753607964, -9.357622968839737e-14,
    ],
    dy: [
      1, 0.9933071490757152, 0.9525741268224333, 0.8175744761936437, 0.5744425168116589, 0.5,
      0.4501660026875221, 0.2689414213699951, 0.05215356307841774, 0.04742587317756679,
      0.0024726231566347748, 0.0005527786369235996, 9.3576229688393e-14,
    ],
  },
];

// The Keras 3 additions, on inputs that include their corners ±0.5 and ±1. References: torch
// float64 (F.celu, F.hardtanh, F.softshrink, F.hardshrink, F.tanhshrink); squareplus, sparsePlus,
// sparseSigmoid and threshold written in torch ops from the Keras formulas.
const X2 = [-40, -5, -1, -0.7, -0.5, -0.2, 0, 0.3, 0.5, 1, 2, 50];
const MORE: typeof CASES = [
  {
    name: 'celu (default alpha 0.075)',
    f: (x) => celu(x),
    y: [
      -0.075, -0.075, -0.07499987853024057, -0.0749933679758505, -0.07490455246489951,
      -0.06978874115828988, 0, 0.3, 0.5, 1, 2, 50,
    ],
    // torch's celu gradient uses alpha rounded to float32 (it gives 0.99999996 at 0), so these
    // are exp(x/0.075) for x ≤ 0 from mpmath at 40 digits.
    dy: [
      2.3783530236949565e-232, 1.1143831578403417e-29, 1.6195967923126108e-6, 8.842698865988312e-5,
      0.0012726338013398083, 0.06948345122280153, 1, 1, 1, 1, 1, 1,
    ],
  },
  {
    name: 'celu alpha 1',
    f: (x) => celu(x, { alpha: 1 }),
    y: [
      -1, -0.9932620530009145, -0.6321205588285577, -0.5034146962085905, -0.3934693402873666,
      -0.18126924692201818, 0, 0.3, 0.5, 1, 2, 50,
    ],
    dy: [
      4.248354255291589e-18, 0.006737946999085467, 0.36787944117144233, 0.4965853037914095,
      0.6065306597126334, 0.8187307530779818, 1, 1, 1, 1, 1, 1,
    ],
  },
  {
    name: 'hardTanh',
    f: hardTanh,
    y: [-1, -1, -1, -0.7, -0.5, -0.2, 0, 0.3, 0.5, 1, 1, 1],
    dy: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], // bounds inclusive, as clip (torch: exclusive)
  },
  {
    name: 'softShrink',
    f: (x) => softShrink(x),
    y: [-39.5, -4.5, -0.5, -0.19999999999999996, 0, 0, 0, 0, 0, 0.5, 1.5, 49.5],
    dy: [1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1],
  },
  {
    name: 'hardShrink',
    f: (x) => hardShrink(x),
    y: [-40, -5, -1, -0.7, 0, 0, 0, 0, 0, 1, 2, 50],
    dy: [1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1],
  },
  {
    name: 'tanhShrink',
    f: tanhShrink,
    y: [
      -39, -4.000090795737405, -0.23840584404423515, -0.09563222288283646, -0.03788284273999026,
      -0.002624679775096006, 0, 0.008687387548409087, 0.03788284273999026, 0.23840584404423515,
      1.035972419924183, 49,
    ],
    dy: [
      1, 0.9998184167690561, 0.5800256583859739, 0.3652604100175414, 0.2135522670340726,
      0.038957017033883434, 0, 0.08486303817337082, 0.2135522670340726, 0.5800256583859739,
      0.9293491751468356, 1,
    ],
  },
  {
    name: 'squareplus (default b 4)',
    f: (x) => squareplus(x),
    y: [
      0.024984394500787488, 0.19258240356725187, 0.6180339887498949, 0.7094810050208545,
      0.7807764064044151, 0.904987562112089, 1, 1.161187420807834, 1.2807764064044151,
      1.618033988749895, 2.414213562373095, 50.01999200639361,
    ],
    dy: [
      0.000623830561077704, 0.03576165455737035, 0.27639320225002106, 0.3348247876359469,
      0.37873218748183346, 0.45024814048950057, 0.5, 0.5741702264651223, 0.6212678125181665,
      0.7236067977499789, 0.8535533905932737, 0.9996004793608946,
    ],
  },
  {
    name: 'sparsePlus',
    f: sparsePlus,
    y: [
      0, 0, 0, 0.022500000000000006, 0.0625, 0.16000000000000003, 0.25, 0.42250000000000004, 0.5625,
      1, 2, 50,
    ],
    dy: [0, 0, 0, 0.15000000000000002, 0.25, 0.4, 0.5, 0.65, 0.75, 1, 1, 1],
  },
  {
    name: 'sparseSigmoid',
    f: sparseSigmoid,
    y: [0, 0, 0, 0.15000000000000002, 0.25, 0.4, 0.5, 0.65, 0.75, 1, 1, 1],
    dy: [0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0],
  },
  {
    name: 'threshold 0.3, default −2',
    f: (x) => threshold(x, { threshold: 0.3, defaultValue: -2 }),
    y: [-2, -2, -2, -2, -2, -2, -2, -2, 0.5, 1, 2, 50],
    dy: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
  },
];

describe('Keras 3 extra activations', () => {
  for (const c of MORE) {
    it(`${c.name}: values and derivatives match torch in float64`, () => {
      const x = f64(X2);
      expectClose(c.f(x), c.y, 1e-10, 1e-15);
      expectClose(derivative(c.f, x), c.dy, 1e-9, 1e-15);
    });
  }

  it('pass gradcheck away from their corners, and celu has no NaN gradient for large x', () => {
    const x = rand64([2, 3], 9, -3, 3);
    for (const c of MORE) gradcheck(c.f, [x]);
    expectClose(derivative(celu, f64([1000, -1000])), [1, 0]);
  });

  it('glu splits the axis in halves a, b and gives a·sigmoid(b), as F.glu', () => {
    // x = 2·sin(0..11); gradients of Σ glu(x)·w with w = cos(0..5) shaped to broadcast.
    const seq = (n: number, f: (i: number) => number): Float64Array =>
      Float64Array.from({ length: n }, (_, i) => f(i));
    const xLast = tensor(
      seq(12, (i) => 2 * Math.sin(i)),
      { shape: [2, 3, 2] },
    );
    const wLast = tensor(seq(6, Math.cos), { shape: [2, 3, 1] });
    expectClose(
      glu(xLast),
      [
        0, 1.0367723931571406, -0.19389533179249618, -0.4404578813496809, 1.3754750705991357,
        -0.12970004969357757,
      ],
      1e-12,
    );
    expectClose(
      derivative((v) => mul(glu(v), wLast), xLast),
      [
        0.8432937034992898, 0, 0.30802380945845403, 0.2408199326016121, -0.053309106039532206,
        0.0703525421436094, -0.7802895695038966, 0.0923653069817725, -0.4543705521344382,
        -0.27409513827876664, 0.03381394472966598, -0.03240532923899571,
      ],
      1e-12,
    );
    const xMid = tensor(
      seq(12, (i) => 2 * Math.sin(i)),
      { shape: [2, 2, 3] },
    );
    const wMid = tensor(seq(6, Math.cos), { shape: [2, 1, 3] });
    expectClose(
      glu(xMid, { axis: 1 }),
      [
        0, 0.30361139530543185, 0.23296504354242648, -0.38846297933367563, 0.3311043218301923,
        0.2358728571066391,
      ],
      1e-12,
    );
    expectClose(
      derivative((v) => mul(glu(v, { axis: 1 }), wMid), xMid),
      [
        0.5700953079656613, 0.09747331751956845, -0.053309106039532206, 0, 0.13444792703420252,
        -0.08452850768654062, -0.688178424651305, -0.16470977355301727, 0.03381394472966598,
        0.11724359359419141, -0.16188810993360125, 0.058932418384892236,
      ],
      1e-12,
    );
    expect(() => glu(f64([1, 2, 3]))).toThrow(/glu: axis 0 must have an even length/);
  });
});

describe('elementwise activations', () => {
  for (const c of CASES) {
    it(`${c.name}: values and derivatives match PyTorch in float64`, () => {
      const x = f64(X);
      expectClose(c.f(x), c.y, 1e-10, 1e-15);
      expectClose(derivative(c.f, x), c.dy, 1e-9, 1e-15);
    });
  }

  it('pass gradcheck on [2,3], [1], scalar and empty [0,4] tensors away from their corners', () => {
    for (const shape of [[2, 3], [1], [], [0, 4]]) {
      const x = rand64(shape, 3, -4, 4);
      for (const c of CASES) gradcheck(c.f, [x]);
      gradcheck((v) => relu(v, { negativeSlope: 0.1, maxValue: 2.5, threshold: 0.5 }), [x]);
      gradcheck(hardSilu, [x]);
    }
  });

  it('keep float32 inputs in float32, within float32 rounding of the float64 results', () => {
    const x32 = tensor(X);
    for (const c of CASES) {
      const y = c.f(x32);
      expect(y.dtype, c.name).toBe('float32');
      expectClose(y, Float64Array.from(c.y, Math.fround), 1e-6, 1e-7);
    }
  });

  it('hardSilu is x·hardSigmoid(x), with the gradient 0 at the corner −3 as relu6 has', () => {
    const x = f64([-4, -3, -1, 0, 2, 3, 5]);
    expectClose(hardSilu(x), [-0, -0, -1 / 3, 0, 2 * (5 / 6), 3, 5], 1e-12);
    expectClose(derivative(hardSilu, x), [0, 0, 1 / 6, 0.5, 7 / 6, 1, 1], 1e-12);
  });

  it('relu with options follows Keras: x > threshold ? min(x, maxValue) : slope·(x − threshold)', () => {
    const x = f64([-2, 0, 0.5, 1, 1.5, 3, 8]);
    expectClose(relu(x, { maxValue: 2 }), [0, 0, 0.5, 1, 1.5, 2, 2]);
    expectClose(relu(x, { maxValue: 6, negativeSlope: 0.5 }), [-1, 0, 0.5, 1, 1.5, 3, 6]);
    expectClose(relu(x, { threshold: 1 }), [0, 0, 0, 0, 1.5, 3, 8]);
    expectClose(relu(x, { negativeSlope: 0.1, threshold: 1 }), [-0.3, -0.1, -0.05, 0, 1.5, 3, 8]);
    expectClose(
      relu(x, { negativeSlope: 0.3 }),
      leakyRelu(x, { negativeSlope: 0.3 }).values as Float64Array,
    );
  });

  it('keep integer relu / relu6 results integer and compute the rest in float32', () => {
    const x = tensor([-2, 0, 3, 9], { dtype: 'int32' });
    expect(relu(x).dtype).toBe('int32');
    expect(Array.from(relu6(x).values)).toEqual([0, 0, 3, 6]);
    expect(sigmoid(x).dtype).toBe('float32');
    expectClose(
      sigmoid(x),
      [0.11920292202211755, 0.5, 0.9525741268224334, 0.9998766054240137],
      1e-6,
    );
  });

  it('let NaN through and give the IEEE limits at ±Infinity', () => {
    const x = f64([NaN, Infinity, -Infinity]);
    expectClose(relu(x), [NaN, Infinity, 0]);
    expectClose(sigmoid(x), [NaN, 1, 0]);
    expectClose(tanh(x), [NaN, 1, -1]);
    expectClose(softplus(x), [NaN, Infinity, 0]);
    expectClose(elu(x), [NaN, Infinity, -1]);
    expectClose(gelu(x), [NaN, Infinity, NaN]); // −∞·Φ(−∞) = −∞·0, as torch gives
    expectClose(exponential(x), [NaN, Infinity, 0]);
  });

  it('linear is the identity and keeps the graph', () => {
    const x = f64([1, -2]);
    expect(linear(x)).toBe(x);
  });

  it('reject a bad option with the op and the value in the message', () => {
    const x = f64([1]);
    expect(() => leakyRelu(x, { negativeSlope: NaN })).toThrow(TensileError);
    expect(() => elu(x, { alpha: Infinity })).toThrow(
      /elu: alpha must be a finite number. Received: alpha=Infinity/,
    );
  });
});
