import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  Nadam,
  type Optimizer,
  PiecewiseConstantDecay,
  RMSprop,
  SGD,
  TensileError,
  Variable,
  getOptimizer,
  serializeOptimizer,
  deserializeOptimizer,
  tensor,
} from '../../src/index.js';

const P0 = [0.5, -1.2, 2.0];
const GRADS = [
  [0.1, -0.3, 0.7],
  [-0.2, 0.05, 0.4],
  [0.3, 0.3, -0.1],
];

function weight(values: number[] = P0, name = 'dense/kernel'): Variable {
  return new Variable(tensor(values, { dtype: 'float64' }), { name });
}

const g64 = (values: number[]) => tensor(values, { dtype: 'float64' });

function expectValues(actual: ArrayLike<number>, expected: number[], rtol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(actual[i]! - e) <= 1e-15 + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${e}`);
    }
  }
}

function steps(opt: Optimizer, w: Variable, grads = GRADS): void {
  for (const g of grads) opt.applyGradients([[g64(g), w]]);
}

describe('weight decay', () => {
  it('decays SGD weights by p·lr·wd before the step (keras_reference.py: sgd wd 0.1)', () => {
    const w = weight();
    steps(new SGD({ learningRate: 0.1, weightDecay: 0.1 }), w);
    expectValues(w.values, [0.4651485, -1.1699058, 1.842391]);
  });

  it('step 1 by hand: p·(1 − 0.1·0.1) − 0.1·g', () => {
    const w = weight();
    new SGD({ learningRate: 0.1, weightDecay: 0.1 }).applyGradients([[g64(GRADS[0]!), w]]);
    expectValues(w.values, [0.5 * 0.99 - 0.01, -1.2 * 0.99 + 0.03, 2 * 0.99 - 0.07]);
  });

  it('skips variables excluded by name', () => {
    const kernel = weight([1, 1], 'dense/kernel');
    const bias = weight([1, 1], 'dense/bias');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    opt.excludeFromWeightDecay({ varNames: ['bias'] });
    const plain = weight([1, 1], 'other/bias');
    const noDecay = new Adam({ learningRate: 0.1 });
    opt.applyGradients([
      [g64([0.1, 0.2]), kernel],
      [g64([0.1, 0.2]), bias],
    ]);
    noDecay.applyGradients([[g64([0.1, 0.2]), plain]]);
    expectValues(bias.values, Array.from(plain.values));
    // The kernel also decays: 1 − 1·0.1·0.5 = 0.95 before the same Adam step.
    expectValues(kernel.values, [0.95 + plain.values[0]! - 1, 0.95 + plain.values[1]! - 1]);
  });
});

describe('gradient clipping', () => {
  it('clipnorm rescales each gradient to norm ≤ clipnorm (keras_reference.py)', () => {
    const w = weight();
    steps(new SGD({ learningRate: 0.1, clipnorm: 0.5 }), w);
    expectValues(w.values, [0.4834905544509588, -1.2154716633528764, 1.9244338811567117]);
  });

  it('clipvalue clamps each element', () => {
    const w = weight();
    steps(new SGD({ learningRate: 0.1, clipvalue: 0.25 }), w);
    expectValues(w.values, [0.485, -1.205, 1.96]);
  });

  it('globalClipnorm scales all gradients by clip/‖all‖ when the joint norm is larger', () => {
    // Gradients [3,0] and [0,4]: joint norm 5, clip 1 → both scaled by 0.2.
    const a = weight([0, 0], 'a');
    const b = weight([0, 0], 'b');
    new SGD({ learningRate: 1, globalClipnorm: 1 }).applyGradients([
      [g64([3, 0]), a],
      [g64([0, 4]), b],
    ]);
    expectValues(a.values, [-0.6, 0]);
    expectValues(b.values, [0, -0.8]);
  });

  it('globalClipnorm leaves small gradients alone and turns non-finite norms into NaN', () => {
    const a = weight([0, 0], 'a');
    const opt = new SGD({ learningRate: 1, globalClipnorm: 10 });
    opt.applyGradients([[g64([3, 4]), a]]);
    expectValues(a.values, [-3, -4]);
    opt.applyGradients([[g64([Infinity, 0]), a]]);
    expect(Number.isNaN(a.values[0]) && Number.isNaN(a.values[1])).toBe(true);
  });

  it("never modifies the caller's gradient tensors", () => {
    const g = g64([3, 4]);
    new SGD({ clipnorm: 1 }).applyGradients([[g, weight([0, 0])]]);
    expect(Array.from(g.values)).toEqual([3, 4]);
  });
});

describe('EMA of the weights', () => {
  it('averages with momentum 0 on the first step, then emaMomentum (keras_reference.py)', () => {
    const w = weight();
    const opt = new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 });
    steps(opt, w);
    expectValues(w.values, [0.48, -1.205, 1.9]);
    expectValues(opt.getState().slots['average']![0]!.values, [0.4908, -1.17395, 1.9234]);
    opt.finalizeVariableValues([w]);
    expectValues(w.values, [0.4908, -1.17395, 1.9234]);
  });

  it('overwrites the weights with the average every emaOverwriteFrequency steps', () => {
    // By hand: p1 = [0.49,-1.17,1.93] = avg1; p2 = [0.51,-1.175,1.89];
    // avg2 = 0.9·p1 + 0.1·p2 = [0.492,-1.1705,1.926] replaces p2; p3 = avg2 − 0.1·g3.
    const w = weight();
    const opt = new SGD({
      learningRate: 0.1,
      useEma: true,
      emaMomentum: 0.9,
      emaOverwriteFrequency: 2,
    });
    steps(opt, w, GRADS.slice(0, 2));
    expectValues(w.values, [0.492, -1.1705, 1.926]);
    steps(opt, w, GRADS.slice(2));
    expectValues(w.values, [0.462, -1.2005, 1.936]);
  });

  it('finalizeVariableValues does nothing without useEma', () => {
    const w = weight();
    const opt = new SGD({ learningRate: 0.1 });
    steps(opt, w);
    opt.finalizeVariableValues([w]);
    expectValues(w.values, [0.48, -1.205, 1.9]);
  });
});

describe('learning rate', () => {
  it('follows a schedule called with the iteration count before each step', () => {
    // PiecewiseConstantDecay([0], [0.1, 0.01]): step at iterations 0 uses 0.1, then 0.01.
    const w = weight();
    const opt = new SGD({
      learningRate: new PiecewiseConstantDecay({ boundaries: [0], values: [0.1, 0.01] }),
    });
    expect(opt.currentLearningRate()).toBe(0.1);
    steps(opt, w, GRADS.slice(0, 2));
    expect(opt.currentLearningRate()).toBe(0.01);
    expectValues(w.values, [0.5 - 0.01 + 0.002, -1.2 + 0.03 - 0.0005, 2 - 0.07 - 0.004]);
  });

  it('takes a new number assigned to learningRate from the next step', () => {
    const w = weight([1]);
    const opt = new SGD({ learningRate: 0.1 });
    opt.applyGradients([[g64([1]), w]]);
    opt.learningRate = 0.5;
    opt.applyGradients([[g64([1]), w]]);
    expectValues(w.values, [1 - 0.1 - 0.5]);
  });
});

describe('gradient accumulation', () => {
  it('updates every N calls with the mean gradient, and counts updates in iterations', () => {
    // (g1 + g2)/2 = [−0.05, −0.125, 0.55], so p = P0 − 0.1·that after the second call.
    const w = weight();
    const opt = new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    steps(opt, w, GRADS.slice(0, 1));
    expectValues(w.values, P0);
    expect(opt.iterations).toBe(0);
    steps(opt, w, GRADS.slice(1, 2));
    expectValues(w.values, [0.505, -1.1875, 1.945]);
    expect(opt.iterations).toBe(1);
    steps(opt, w, GRADS.slice(2));
    expectValues(w.values, [0.505, -1.1875, 1.945]);
  });

  it('gives Adam the bias correction of its first update', () => {
    const accumulated = weight();
    steps(
      new Adam({ learningRate: 0.1, gradientAccumulationSteps: 2 }),
      accumulated,
      GRADS.slice(0, 2),
    );
    const single = weight();
    steps(new Adam({ learningRate: 0.1 }), single, [[-0.05, -0.125, 0.55]]);
    expectValues(accumulated.values, Array.from(single.values));
  });

  it('evaluates schedules at the call count, as Keras does', () => {
    // The update happens at the second call (0-based count 1), where the rate is already 0.01.
    const w = weight();
    const opt = new SGD({
      learningRate: new PiecewiseConstantDecay({ boundaries: [0], values: [0.1, 0.01] }),
      gradientAccumulationSteps: 2,
    });
    steps(opt, w, GRADS.slice(0, 2));
    expectValues(w.values, [0.5005, -1.19875, 1.9945]);
  });

  it('saves the accumulators in the state', () => {
    const original = new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const w1 = weight();
    steps(original, w1, GRADS.slice(0, 1));
    const state = original.getState();
    expect(state.iterations).toBe(1);
    expectValues(state.slots['gradient_accumulator']![0]!.values, GRADS[0]!);
    const restored = new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const w2 = weight();
    restored.setState(state);
    steps(restored, w2, GRADS.slice(1, 2));
    expectValues(w2.values, [0.505, -1.1875, 1.945]);
  });

  it('rejects fewer than 2 steps', () => {
    expect(() => new SGD({ gradientAccumulationSteps: 1 })).toThrow(
      /must be an integer >= 2 or null. Received: gradientAccumulationSteps=1/,
    );
  });
});

describe('state', () => {
  const makers: [string, () => Optimizer][] = [
    ['Adam amsgrad', () => new Adam({ learningRate: 0.1, amsgrad: true })],
    ['Nadam', () => new Nadam({ learningRate: 0.1 })],
    ['RMSprop centered', () => new RMSprop({ learningRate: 0.1, centered: true, momentum: 0.5 })],
    ['SGD with EMA', () => new SGD({ learningRate: 0.1, momentum: 0.9, useEma: true })],
  ];

  it.each(makers)('%s: a restored optimizer continues exactly like the original', (_n, make) => {
    const original = make();
    const w1 = weight();
    steps(original, w1, GRADS.slice(0, 2));
    const state = original.getState();
    expect(state.iterations).toBe(2);

    // Restore before build: the state waits for the variables.
    const restored = make();
    const w2 = weight(Array.from(w1.values));
    restored.setState(state);
    steps(original, w1, GRADS.slice(2));
    steps(restored, w2, GRADS.slice(2));
    expectValues(w2.values, Array.from(w1.values), 0);
    expect(restored.iterations).toBe(3);
  });

  it('getState returns copies that later steps do not change', () => {
    const opt = new Adam();
    const w = weight();
    steps(opt, w, GRADS.slice(0, 1));
    const state = opt.getState();
    const before = Array.from(state.slots['momentum']![0]!.values);
    steps(opt, w, GRADS.slice(1));
    expect(Array.from(state.slots['momentum']![0]!.values)).toEqual(before);
    expect(Object.keys(state.slots).sort()).toEqual(['momentum', 'velocity']);
    expect(state.learningRate).toBe(0.001);
  });

  it('rejects a state whose shapes do not match', () => {
    const opt = new Adam();
    steps(opt, weight(), GRADS.slice(0, 1));
    const other = new Adam();
    steps(other, weight([1, 2]), [[0.1, 0.1]]);
    expect(() => other.setState(opt.getState())).toThrow(
      /slot momentum\[0\] has shape \[3\], expected \[2\]/,
    );
  });
});

describe('Keras-ordered weights', () => {
  function built(opt: Optimizer): Variable[] {
    const vars = [weight([1, 2, 3], 'a'), weight([4, 5], 'b')];
    opt.applyGradients([
      [g64([0.1, 0.2, 0.3]), vars[0]!],
      [g64([0.4, 0.5]), vars[1]!],
    ]);
    return vars;
  }

  it('counts 2·P + 2 for Adam, as Keras summary() reports', () => {
    const opt = new Adam();
    built(opt);
    expect(opt.countParams()).toBe(2 * 5 + 2);
    const shapes = opt.getWeights().map((w) => w.shape.join('x'));
    // iteration, learning_rate, then momentum and velocity interleaved per variable.
    expect(shapes).toEqual(['', '', '3', '3', '2', '2']);
    expect(opt.getWeights()[0]!.values[0]).toBe(1);
    expect(opt.getWeights()[1]!.values[0]).toBeCloseTo(0.001, 9);
  });

  it('lists non-interleaved slots one after the other, and EMA averages first', () => {
    const opt = new RMSprop({ momentum: 0.5, useEma: true });
    built(opt);
    const w = opt.getWeights();
    expect(w.map((t) => t.size)).toEqual([1, 1, 3, 2, 3, 2, 3, 2]);
    // The EMA averages equal the weights after one step; the velocity is 0.1·g².
    expect(Array.from(w[5]!.values)).toEqual(
      [0.1 * 0.4 * 0.4, 0.1 * 0.5 * 0.5].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('counts no learning rate under a schedule and one u_product for Nadam', () => {
    const opt = new Nadam({
      learningRate: new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }),
    });
    built(opt);
    expect(opt.countParams()).toBe(2 * 5 + 1 + 1);
  });

  it('setWeights restores a copy that then continues identically', () => {
    const a = new Nadam({ learningRate: 0.1 });
    const va = built(a);
    const b = new Nadam({ learningRate: 0.1 });
    const vb = [weight(Array.from(va[0]!.values), 'a'), weight(Array.from(va[1]!.values), 'b')];
    b.build(vb);
    b.setWeights(a.getWeights());
    for (const [opt, vars] of [
      [a, va],
      [b, vb],
    ] as const) {
      opt.applyGradients([
        [g64([0.3, -0.2, 0.1]), vars[0]!],
        [g64([-0.4, 0.5]), vars[1]!],
      ]);
    }
    expectValues(vb[0]!.values, Array.from(va[0]!.values), 0);
    expectValues(vb[1]!.values, Array.from(va[1]!.values), 0);
    expect(() => b.setWeights(a.getWeights().slice(1))).toThrow(/expected 7 tensors/);
  });
});

describe('config and lookup', () => {
  it.each(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion'])(
    'getOptimizer(%s) round-trips through getConfig / fromConfig',
    (name) => {
      const opt = getOptimizer(name);
      expect((opt.constructor as typeof Optimizer).className.toLowerCase()).toBe(name);
      const copy = deserializeOptimizer(JSON.parse(JSON.stringify(serializeOptimizer(opt))));
      expect(copy.getConfig()).toEqual(opt.getConfig());
    },
  );

  it('accepts instances and Keras class names in any case', () => {
    const opt = new SGD();
    expect(getOptimizer(opt)).toBe(opt);
    expect(getOptimizer('RMSprop')).toBeInstanceOf(RMSprop);
  });

  it('serializes a schedule inside the config', () => {
    const opt = new SGD({
      learningRate: new PiecewiseConstantDecay({ boundaries: [10], values: [0.1, 0.01] }),
      momentum: 0.9,
      clipnorm: 1,
    });
    const copy = SGD.fromConfig(JSON.parse(JSON.stringify(opt.getConfig())));
    expect(copy.getConfig()).toEqual(opt.getConfig());
    copy.iterations = 11;
    expect(copy.currentLearningRate()).toBe(0.01);
  });

  it('names the unknown optimizer', () => {
    expect(() => getOptimizer('adamx')).toThrow(TensileError);
    try {
      getOptimizer('adamx');
    } catch (e) {
      expect((e as TensileError).code).toBe('invalid_argument');
      expect((e as TensileError).message).toMatch(
        /Unknown optimizer.*'adam'.*Received: optimizer=adamx/,
      );
    }
  });
});

describe('bad input', () => {
  it('allows only one clipping option', () => {
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue/);
  });

  it('rejects a negative learning rate, also when assigned later', () => {
    expect(() => new Adam({ learningRate: -1 })).toThrow(/learningRate must be a number >= 0.*-1/);
    const opt = new Adam();
    expect(() => {
      opt.learningRate = Number.NaN;
    }).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(opt.learningRate).toBe(0.001);
  });

  it('names the variable when a gradient has the wrong shape', () => {
    const opt = new SGD();
    expect(() => opt.applyGradients([[g64([1, 2]), weight()]])).toThrow(
      expect.objectContaining({
        code: 'shape_mismatch',
        message: expect.stringMatching(/dense\/kernel has shape \[2\]/),
      }),
    );
  });

  it('validates EMA options', () => {
    expect(() => new SGD({ useEma: true, emaMomentum: 1.5 })).toThrow(
      /emaMomentum must be in \[0, 1\]/,
    );
    expect(() => new SGD({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(
      /emaOverwriteFrequency must be an integer >= 1 or null. Received: emaOverwriteFrequency=0/,
    );
  });

  it('minimize says when no variable received a gradient', () => {
    const unused = weight([1]);
    expect(() => new SGD().minimize(() => tensor(3, { dtype: 'float64' }), [unused])).toThrow(
      expect.objectContaining({ code: 'no_gradient' }),
    );
  });

  it('checks gradient shapes also while accumulating', () => {
    const opt = new SGD({ gradientAccumulationSteps: 2 });
    expect(() => opt.applyGradients([[g64([1, 2]), weight()]])).toThrow(
      expect.objectContaining({ code: 'shape_mismatch' }),
    );
  });

  it('rejects plain tensors as variables', () => {
    const opt = new SGD();
    expect(() => opt.applyGradients([[g64([1]), g64([1]) as unknown as Variable]])).toThrow(
      /plain Tensor as the variable/,
    );
  });
});
