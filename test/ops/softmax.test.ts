import { describe, expect, it } from 'vitest';
import {
  type Tensor,
  TensileError,
  logSoftmax,
  mul,
  softmax,
  sum,
  tensor,
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

// softmax / logSoftmax of x = 3·sin(0..23) as [2,3,4], by torch.nn.functional in float64.
const SM_X = f64(
  Array.from({ length: 24 }, (_, i) => 3 * Math.sin(i)),
  [2, 3, 4],
);
const SOFTMAX: Record<number, number[]> = {
  0: [
    0.8333723354551608, 0.7796987748520322, 0.4393181450462625, 0.17835924775278553,
    0.1967554642344722, 0.5018549044027575, 0.8045085965653583, 0.8207339767014048,
    0.5570600874275884, 0.21863965655663067, 0.16721300745940074, 0.3866752420987176,
    0.16662766454483924, 0.2203012251479678, 0.5606818549537376, 0.8216407522472144,
    0.8032445357655279, 0.49814509559724246, 0.19549140343464158, 0.17926602329859515,
    0.4429399125724116, 0.7813603434433694, 0.8327869925405993, 0.6133247579012824,
  ],
  1: [
    0.048643576845786816, 0.7810564169523228, 0.9605744375507002, 0.1744354761122953,
    0.005023426578244718, 0.0035235239311557304, 0.027150425077393583, 0.8198772884597594,
    0.9463329965759684, 0.21542005911652162, 0.012275137371906353, 0.00568723542794531,
    0.012426201305391767, 0.22200873746494748, 0.9476431771158155, 0.8103192962322904,
    0.026201484143305174, 0.0035184591522287047, 0.005099763818466795, 0.18058407727344217,
    0.961372314551303, 0.7744728033828238, 0.047257059065717866, 0.00909662649426757,
  ],
  2: [
    0.03299104867013225, 0.41184589028759083, 0.5047829589971918, 0.0503801020450851,
    0.013291529646187258, 0.0072482613445911835, 0.05566145824777355, 0.923798750761448,
    0.8406260752535195, 0.14877389315167924, 0.008448668621446404, 0.0021513629733549504,
    0.006601124699066144, 0.11644975680778773, 0.6446972743644932, 0.2322518441286529,
    0.196061819743091, 0.025996125058664256, 0.04887070934102156, 0.7290713458572232,
    0.5366276215412236, 0.42685124287823073, 0.03378154784647053, 0.0027395877340752692,
  ],
};
const LOG_SOFTMAX_AXIS1 = [
  -3.023235506902396, -0.2471078949366503, -0.04022380102501912, -1.7462003701188216,
  -5.2936429928261814, -5.648293673349755, -3.606362576098842, -0.19860059814205594,
  -0.05516076703225078, -1.5351653936350698, -4.400179414170173, -5.169531013950533,
  -4.38794802713452, -1.5050385399341475, -0.05377724302911385, -0.2103269161098833,
  -3.641939223128412, -5.649732126052741, -5.278561050428753, -1.7115588075923767,
  -0.0393935209503335, -0.25557273480590176, -3.0521532379849363, -4.699851649106746,
];

describe('softmax and logSoftmax', () => {
  for (const axis of [0, 1, 2]) {
    it(`match torch along axis ${axis} (and ${axis - 3} counted from the end)`, () => {
      expectClose(softmax(SM_X, { axis }), SOFTMAX[axis]!, 1e-12);
      expectClose(softmax(SM_X, { axis: axis - 3 }), SOFTMAX[axis]!, 1e-12);
      const logs = SOFTMAX[axis]!.map(Math.log);
      expectClose(logSoftmax(SM_X, { axis }), logs, 1e-12);
    });
  }

  it('default to the last axis', () => {
    expectClose(softmax(SM_X), SOFTMAX[2]!, 1e-12);
    expectClose(logSoftmax(SM_X, { axis: 1 }), LOG_SOFTMAX_AXIS1, 1e-12);
  });

  it('give torch gradients along a middle axis', () => {
    // d/dx Σ f(x)·w with w = cos(0..23), f softmax / log-softmax over axis 1, from torch.autograd.
    const w = f64(
      Array.from({ length: 24 }, (_, i) => Math.cos(i)),
      [2, 3, 4],
    );
    const gSoftmax = derivative((x) => mul(softmax(x, { axis: 1 }), w), SM_X);
    expectClose(
      gSoftmax,
      [
        0.05313490819132868, 0.24491739712269597, -0.030907573968736883, -0.2503908208220583,
        -0.002819710543675831, 0.00020060072446846097, 0.03649399915991594, 0.25289898830353846,
        -0.05031519764765286, -0.24511799784716443, -0.005586425191179051, -0.0025081674814801218,
        0.0057923664129715495, 0.2511263453349418, 0.04837422270665549, -0.25751579848160905,
        -0.03498873027711022, -0.0001810419134904986, 0.0029304587450098307, 0.25834305091310394,
        0.029196363864138687, -0.2509453034214513, -0.05130468145166535, -0.0008272524314947798,
      ],
      1e-10,
    );
    const gLog = derivative((x) => mul(logSoftmax(x, { axis: 1 }), w), SM_X);
    expectClose(
      gLog,
      [
        0.9902296289310845, 0.6083836902973969, -0.1327311940370187, -0.9495819815225288,
        -0.6546526079671405, 0.28396931614174853, 0.9681809674127576, 0.943838752730912,
        -0.33557702096394393, -0.8923530064391454, -0.835449773375739, 0.0057432287916167595,
        0.8401972192042332, 0.8886750139962829, 0.32902055752827697, -0.5134996902996366,
        -0.9653699624257713, -0.2754608384912459, 0.6613514855109254, 1.0435690070925638,
        0.12517274322153815, -0.613214175505037, -0.9903720430392022, -0.5300693167929272,
      ],
      1e-10,
    );
  });

  it('pass gradcheck on every axis, on size-1 axes and on empty tensors', () => {
    for (const shape of [[5], [2, 3], [2, 3, 4], [1, 4], [3, 1], [0, 3]]) {
      const x = rand64(shape, 11, -3, 3);
      for (let axis = 0; axis < shape.length; axis++) {
        gradcheck((v) => softmax(v, { axis }), [x]);
        gradcheck((v) => logSoftmax(v, { axis }), [x]);
      }
    }
  });

  it('stay finite for logits of ±1e4', () => {
    const big = f64([1e4, -1e4, 0, -1e4, -1e4, -1e4, 1e4, 1e4 - 1, 1e4 - 2], [3, 3]);
    expectClose(
      softmax(big),
      [1, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0.6652409557748218, 0.2447284710547976, 0.09003057317038045],
      1e-12,
    );
    expectClose(
      logSoftmax(big),
      [
        0, -20000, -10000, -1.0986122886681098, -1.0986122886681098, -1.0986122886681098,
        -0.4076059644443804, -1.4076059644443804, -2.4076059644443806,
      ],
      1e-12,
    );
    // Gradient of Σ logSoftmax·w with w = [[1,2,3],[1,0,0],[0,0,1]], from torch.autograd.
    const w = f64([1, 2, 3, 1, 0, 0, 0, 0, 1], [3, 3]);
    expectClose(
      derivative((x) => mul(logSoftmax(x), w), big),
      [
        -5,
        2,
        3,
        2 / 3,
        -1 / 3,
        -1 / 3,
        -0.6652409557748218,
        -0.24472847105479764,
        0.9099694268296196,
      ],
      1e-12,
    );
  });

  it('give NaN for rows holding NaN, +Infinity, or only −Infinity, and leave other rows alone', () => {
    const x = f64([NaN, 0, Infinity, 0, -Infinity, -Infinity, -Infinity, 0], [4, 2]);
    expectClose(softmax(x), [NaN, NaN, NaN, NaN, NaN, NaN, 0, 1]);
    expectClose(logSoftmax(x), [NaN, NaN, NaN, NaN, NaN, NaN, -Infinity, 0]);
  });

  it('treat a scalar as one class and integers as float32', () => {
    expectClose(softmax(f64([2.5], [])), [1]);
    expectClose(logSoftmax(f64([2.5], [])), [0]);
    const y = softmax(tensor([0, 0], { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expectClose(y, [0.5, 0.5]);
  });

  it('reject an axis out of range, naming the op and the axis', () => {
    expect(() => softmax(SM_X, { axis: 3 })).toThrow(
      /softmax: axis out of range for a tensor of rank 3. Received: axis=3/,
    );
    try {
      logSoftmax(SM_X, { axis: -4 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('invalid_argument');
    }
  });
});
