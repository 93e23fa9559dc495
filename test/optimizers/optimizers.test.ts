import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  Lion,
  Nadam,
  type Optimizer,
  RMSprop,
  SGD,
  Variable,
  div,
  square,
  tensor,
} from '../../src/index.js';

// Fixed weights and three gradients shared with test/optimizers/keras_reference.py, which
// transcribes Keras 3's update_step formulas into float64 numpy and printed the expected rows.
const P0 = [0.5, -1.2, 2.0];
const GRADS = [
  [0.1, -0.3, 0.7],
  [-0.2, 0.05, 0.4],
  [0.3, 0.3, -0.1],
];

function weight(values: number[] = P0, dtype: 'float64' | 'float32' = 'float64'): Variable {
  return new Variable(tensor(values, { dtype }), { name: 'dense/kernel' });
}

function grad(values: number[], dtype: 'float64' | 'float32' = 'float64') {
  return tensor(values, { dtype });
}

/** Runs three steps and returns the weights after each. */
function trajectory(opt: Optimizer, dtype: 'float64' | 'float32' = 'float64'): number[][] {
  const w = weight(P0, dtype);
  return GRADS.map((g) => {
    opt.applyGradients([[grad(g, dtype), w]]);
    return Array.from(w.values);
  });
}

function expectRows(actual: number[][], expected: number[][], rtol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) =>
    row.forEach((x, i) => {
      const e = expected[r]![i]!;
      if (Math.abs(x - e) > 1e-15 + rtol * Math.abs(e)) {
        throw new Error(`step ${r + 1}, element ${i}: got ${x}, expected ${e}`);
      }
    }),
  );
}

const CASES: [string, () => Optimizer, number[][]][] = [
  [
    'SGD',
    () => new SGD({ learningRate: 0.1 }),
    [
      [0.49, -1.17, 1.93],
      [0.51, -1.175, 1.89],
      [0.48, -1.205, 1.9],
    ],
  ],
  [
    'SGD momentum 0.9',
    () => new SGD({ learningRate: 0.1, momentum: 0.9 }),
    [
      [0.49, -1.17, 1.93],
      [0.501, -1.148, 1.827],
      [0.4809, -1.1582, 1.7443],
    ],
  ],
  [
    'SGD nesterov',
    () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    [
      [0.481, -1.143, 1.867],
      [0.5109, -1.1282, 1.7343],
      [0.46281, -1.16738, 1.66987],
    ],
  ],
  // Step 1 by hand: m = 0.1·g, v = 0.001·g², α = 0.1·√0.001/0.1 = 0.0316228, so the step is
  // α·0.1·g/(0.0316228·|g| + 1e-7) ≈ 0.1·sign(g), short of it by the ε term after √v.
  [
    'Adam',
    () => new Adam({ learningRate: 0.1 }),
    [
      [0.40000316217766335, -1.1000010540814424, 1.9000004517519107],
      [0.43661299708821527, -1.0461478591000364, 1.8048971935951712],
      [0.4022891792104047, -1.0614079395335831, 1.7398121442876315],
    ],
  ],
  [
    'Adam beta2 0.5',
    () => new Adam({ learningRate: 0.1, beta2: 0.5 }),
    [
      [0.40000014142115625, -1.1000000471404299, 1.9000000202030467],
      [0.4334256610379285, -1.0349320224522536, 1.795671836849313],
      [0.40417273274712545, -1.0496950020804505, 1.7080977449496193],
    ],
  ],
  // With β2 = 0.5, v of elements 1 and 2 falls at step 2, so amsgrad's max(v̂, v) differs.
  [
    'Adam amsgrad',
    () => new Adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true }),
    [
      [0.40000014142115625, -1.1000000471404299, 1.9000000202030467],
      [0.4334256610379285, -1.0527292147388245, 1.8051513763929352],
      [0.40417273274712545, -1.0674921943670215, 1.74748042509614],
    ],
  ],
  [
    'AdamW',
    () => new AdamW({ learningRate: 0.1 }),
    [
      [0.3998031621776634, -1.0995210540814424, 1.8992004517519108],
      [0.4362530758233442, -1.0452280506784037, 1.8033375134144705],
      [0.4017547567152043, -1.0600700398916791, 1.737531129101565],
    ],
  ],
  [
    'RMSprop',
    () => new RMSprop({ learningRate: 0.1 }),
    [
      [0.1837880441857075, -0.8837739907894443, 1.683772556664062],
      [0.46949941449272176, -0.9384912286587526, 1.5206092891175558],
      [0.21043650034732114, -1.1719341185274705, 1.5632145490880078],
    ],
  ],
  [
    'RMSprop centered momentum',
    () => new RMSprop({ learningRate: 0.1, momentum: 0.5, centered: true }),
    [
      [0.1666851836421181, -0.8666687242607836, 1.6666670445949734],
      [0.28933343970440084, -0.7563785690008451, 1.320197772085995],
      [0.08760177049070877, -0.9354151825886624, 1.1924878990687524],
    ],
  ],
  [
    'Adagrad',
    () => new Adagrad({ learningRate: 0.1 }),
    [
      [0.4698488792472754, -1.1311752979505927, 1.9088677700364933],
      [0.521488639983457, -1.1425713526365426, 1.8626797515805245],
      [0.4602514091716326, -1.199014594749605, 1.8741505375193956],
    ],
  ],
  [
    'Adadelta',
    () => new Adadelta({ learningRate: 1 }),
    [
      [0.4985859278377735, -1.198585802150849, 1.9985857893237682],
      [0.5003836679424739, -1.1989228963787453, 1.9975742676506574],
      [0.49821941356153215, -1.2003653784091561, 1.9978597125448307],
    ],
  ],
  [
    'Adamax',
    () => new Adamax({ learningRate: 0.1 }),
    [
      [0.4000000999999, -1.1000000333333222, 1.9000000142857123],
      [0.4289474539472757, -1.06136491987016, 1.8224788952185342],
      [0.404224214955883, -1.0739110411493742, 1.7787964299736452],
    ],
  ],
  [
    'Nadam',
    () => new Nadam({ learningRate: 0.1 }),
    [
      [0.393721325947797, -1.0937212550953712, 1.8937212348518038],
      [0.48188784412989727, -1.1034125394529106, 1.8367526178938882],
      [0.3987155831601333, -1.17407154566458, 1.8390376568330373],
    ],
  ],
  // Lion's step is lr·sign(...): ±0.1 per element, computable by hand.
  [
    'Lion',
    () => new Lion({ learningRate: 0.1 }),
    [
      [0.4, -1.1, 1.9],
      [0.5, -1.2, 1.8],
      [0.4, -1.3, 1.9],
    ],
  ],
];

describe('optimizer updates match Keras 3', () => {
  it.each(CASES)('%s: three steps in float64', (_name, make, expected) => {
    expectRows(trajectory(make()), expected);
  });

  it.each(CASES)(
    '%s: float32 variables follow within float32 precision',
    (_name, make, expected) => {
      expectRows(trajectory(make(), 'float32'), expected, 1e-5);
    },
  );

  it('counts iterations', () => {
    const opt = new Adam();
    trajectory(opt);
    expect(opt.iterations).toBe(3);
  });

  it("reproduces Keras' RMSprop docstring example through minimize: 10 → 9.683772", () => {
    // loss = var²/2, so the gradient is var itself: v = 0.1·100, step = 0.1·10/√(10 + 1e-7).
    const w = weight([10]);
    const loss = new RMSprop({ learningRate: 0.1 }).minimize(() => div(square(w), 2), [w]);
    expect(loss).toBe(50);
    expect(w.values[0]).toBeCloseTo(9.683772, 6);
    expect(w.grad).toBeNull();
  });

  it('uses Keras 3 defaults', () => {
    expect(new SGD().getConfig()).toMatchObject({
      learningRate: 0.01,
      momentum: 0,
      nesterov: false,
    });
    expect(new Adam().getConfig()).toMatchObject({
      name: 'adam',
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      weightDecay: null,
      useEma: false,
      emaMomentum: 0.99,
    });
    expect(new AdamW().weightDecay).toBe(0.004);
    expect(new RMSprop().getConfig()).toMatchObject({ rho: 0.9, momentum: 0, centered: false });
    expect(new Adagrad().getConfig()).toMatchObject({ initialAccumulatorValue: 0.1 });
    expect(new Adadelta().getConfig()).toMatchObject({ learningRate: 0.001, rho: 0.95 });
    expect(new Lion().getConfig()).toMatchObject({ beta1: 0.9, beta2: 0.99 });
  });
});
