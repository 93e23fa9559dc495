import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  CosineDecay,
  Lion,
  MeanSquaredError,
  Nadam,
  PolynomialDecay,
  type Optimizer,
  RMSprop,
  SGD,
  Variable,
  add,
  matmul,
  tensor,
  zeros,
} from '../../src/index.js';
import { rand64 } from '../helpers/gradcheck.js';

// End to end with autograd and a Loss: each optimizer fits y = x·[2, −3] + 0.5 from 64 points.
function fit(opt: Optimizer, steps: number): number {
  const x = rand64([64, 2], 11);
  const trueW = tensor([[2], [-3]], { dtype: 'float64' });
  const y = add(matmul(x, trueW), 0.5);
  const w = new Variable(zeros([2, 1], { dtype: 'float64' }), { name: 'w' });
  const b = new Variable(zeros([1], { dtype: 'float64' }), { name: 'b' });
  opt.build([w, b]);
  const loss = new MeanSquaredError();
  let last = Infinity;
  for (let i = 0; i < steps; i++) {
    const value = loss.compute(y, add(matmul(x, w), b));
    last = value.item();
    value.backward();
    opt.applyGradients([
      [w.grad!, w],
      [b.grad!, b],
    ]);
    w.zeroGrad();
    b.zeroGrad();
  }
  return last;
}

const linearDecay = (from: number) =>
  new PolynomialDecay({ initialLearningRate: from, decaySteps: 300, endLearningRate: 1e-5 });

describe('optimizers lower a loss', () => {
  it.each([
    ['SGD', () => new SGD({ learningRate: 0.3 }), 1e-6],
    ['SGD nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 1e-6],
    ['Adam', () => new Adam({ learningRate: 0.05 }), 1e-4],
    [
      'AdamW with a cosine schedule',
      () =>
        new AdamW({
          learningRate: new CosineDecay({
            initialLearningRate: 0.05,
            decaySteps: 300,
            alpha: 0.01,
          }),
          weightDecay: 1e-4,
        }),
      1e-3,
    ],
    // Sign-like steps hover at the rate's size, so these two decay it to the end.
    ['RMSprop', () => new RMSprop({ learningRate: linearDecay(0.05) }), 1e-4],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }), 1e-4],
    // Adadelta's steps start at √ε and grow slowly: it only has to make clear progress here.
    ['Adadelta', () => new Adadelta({ learningRate: 1, epsilon: 1e-4 }), 0.5],
    ['Adamax', () => new Adamax({ learningRate: 0.05 }), 1e-4],
    ['Nadam', () => new Nadam({ learningRate: 0.05 }), 1e-4],
    ['Lion', () => new Lion({ learningRate: linearDecay(0.05) }), 1e-4],
  ] as [string, () => Optimizer, number][])('%s', (_name, make, target) => {
    const start = fit(make(), 1);
    const end = fit(make(), 300);
    expect(start).toBeGreaterThan(1);
    expect(end).toBeLessThan(target);
  });
});
