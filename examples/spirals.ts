/**
 * A two-layer network trained by plain gradient descent on two interleaved spirals, the
 * classic problem a linear model cannot solve. The loss is L = (1/N)·Σ Lᵢ, the mean
 * cross-entropy, and every step is w ← w − η·∇L, with the gradient from autograd.
 *
 * Run: npm run example:spirals
 */
import {
  type Tensor,
  Random,
  add,
  argMax,
  equal,
  logSumExp,
  matmul,
  maximum,
  mean,
  mul,
  noGrad,
  randomNormal,
  sub,
  sum,
  tensor,
  zeros,
} from '../src/index.js';

const POINTS_PER_CLASS = 100;
const HIDDEN = 64;
const LEARNING_RATE = 0.5;
const MAX_STEPS = 20_000;

/** Points on two spirals, one class each, turned half a revolution apart, with a little noise. */
function makeSpirals(n: number, seed: number): { x: Tensor; y: Int32Array; oneHot: Tensor } {
  const rng = new Random(seed);
  const xs: number[][] = [];
  const labels: number[] = [];
  const oneHot: number[][] = [];
  for (let cls = 0; cls < 2; cls++) {
    for (let i = 0; i < n; i++) {
      const t = (i / n) * 3 * Math.PI + 0.3; // 1.5 turns
      const angle = t + cls * Math.PI;
      const r = t / (3 * Math.PI);
      xs.push([
        r * Math.cos(angle) + rng.normal() * 0.01,
        r * Math.sin(angle) + rng.normal() * 0.01,
      ]);
      labels.push(cls);
      oneHot.push(cls === 0 ? [1, 0] : [0, 1]);
    }
  }
  return { x: tensor(xs), y: Int32Array.from(labels), oneHot: tensor(oneHot) };
}

function main(): void {
  const { x, y, oneHot } = makeSpirals(POINTS_PER_CLASS, 42);
  const params = {
    w1: randomNormal([2, HIDDEN], { seed: 1, stddev: 2, requiresGrad: true }),
    b1: zeros([HIDDEN], { requiresGrad: true }),
    w2: randomNormal([HIDDEN, 2], { seed: 2, stddev: Math.sqrt(1 / HIDDEN), requiresGrad: true }),
    b2: zeros([2], { requiresGrad: true }),
  };

  const forward = (input: Tensor): Tensor => {
    const hidden = maximum(add(matmul(input, params.w1), params.b1), 0); // ReLU
    return add(matmul(hidden, params.w2), params.b2);
  };
  const accuracy = (): number =>
    noGrad(() => {
      const predicted = argMax(forward(x), { axis: 1 });
      return mean(equal(predicted, tensor(y, { shape: [y.length] }))).item();
    });

  const started = performance.now();
  let step = 0;
  let acc = 0;
  for (; step < MAX_STEPS; step++) {
    // Mean cross-entropy from logits: log Σ e^z − z_true for each point.
    const logits = forward(x);
    const loss = mean(sub(logSumExp(logits, { axis: 1 }), sum(mul(logits, oneHot), { axis: 1 })));
    loss.backward();
    noGrad(() => {
      for (const p of Object.values(params)) {
        const g = p.grad!.values;
        const v = p.values;
        for (let i = 0; i < v.length; i++) v[i] = v[i]! - LEARNING_RATE * g[i]!;
        p.zeroGrad();
      }
    });
    if (step % 500 === 0 || step === MAX_STEPS - 1) {
      acc = accuracy();
      console.log(
        `step ${String(step).padStart(5)}  loss ${loss.item().toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%`,
      );
      if (acc === 1) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${acc === 1 ? 'Reached' : 'Did not reach'} 100% training accuracy after ${step} steps ` +
      `(${seconds.toFixed(1)} s, ${(step / seconds).toFixed(0)} steps/s).`,
  );
  if (acc !== 1) process.exitCode = 1;
}

main();
