/**
 * Workload B: one training step of the 784-128-10 MLP (relu, softmax, sparse categorical
 * cross-entropy, Adam 1e-3, batch 128), in samples per second.
 *
 * The step is written with the ops, not Keras layers (those are being written at the same
 * time): matmul, bias add, relu, logSoftmax, the loss as −mean(Σ oneHot·logp), backward(),
 * then the backend's adamUpdate kernel on each parameter. It does what model.trainOnBatch does
 * in the peers, reading the loss back every step.
 */
import {
  type FloatArray,
  type Tensor,
  Variable,
  add,
  getBackend,
  logSoftmax,
  matmul,
  mean,
  mul,
  neg,
  oneHot,
  randomNormal,
  randomUniform,
  relu,
  sum,
  tensor,
  zeros,
} from '../src/index.js';
import { type BenchContext, WORKLOADS, emit, trainingRate } from './harness.js';

/**
 * Keras' default kernel initializer, glorot uniform: uniform in ±√(6 / (fanIn + fanOut)), where
 * a conv kernel (kh, kw, in, out) counts its receptive field kh·kw in both fans.
 */
export function glorotUniform(shape: number[], seed: number): Variable {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = receptive * shape[shape.length - 2]!;
  const fanOut = receptive * shape[shape.length - 1]!;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return new Variable(randomUniform(shape, { minval: -limit, maxval: limit, seed }));
}

/** Adam (Keras 3 defaults: β1 0.9, β2 0.999, ε 1e-7) over a fixed list of parameters. */
export function adamFor(params: Variable[], lr: number): () => void {
  const slots = params.map((p) => ({
    p,
    m: new Float32Array(p.size),
    v: new Float32Array(p.size),
  }));
  let step = 0;
  return () => {
    step += 1;
    const h = { lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step, weightDecay: 0 };
    for (const s of slots) {
      const g = s.p.grad;
      if (g === null) continue;
      getBackend().adamUpdate(s.p.values as FloatArray, g.values as FloatArray, s.m, s.v, null, h);
      s.p.grad = null;
    }
  };
}

/** Sparse categorical cross-entropy on logits: −mean over the batch of log softmax at the label. */
export function crossEntropy(logits: Tensor, labelsOneHot: Tensor): Tensor {
  return neg(mean(sum(mul(logSoftmax(logits), labelsOneHot), { axis: -1 })));
}

export function benchMlp(ctx: BenchContext): void {
  const cfg = WORKLOADS.mlp;
  const [nIn, nHidden, nOut] = cfg.layers as [number, number, number];
  const x = randomNormal([cfg.batch, nIn], { seed: 3 });
  const labels = Int32Array.from({ length: cfg.batch }, (_, i) => (i * 7 + 3) % nOut);
  const y = oneHot(tensor(labels, { shape: [cfg.batch] }), nOut);

  const w1 = glorotUniform([nIn, nHidden], 4);
  const b1 = new Variable(zeros([nHidden]));
  const w2 = glorotUniform([nHidden, nOut], 5);
  const b2 = new Variable(zeros([nOut]));
  const update = adamFor([w1, b1, w2, b2], cfg.lr);

  const losses: number[] = [];
  const step = (): void => {
    const hidden = relu(add(matmul(x, w1), b1));
    const loss = crossEntropy(add(matmul(hidden, w2), b2), y);
    loss.backward();
    update();
    losses.push(loss.item());
  };
  const rates = trainingRate(ctx, cfg, step);
  emit(ctx, 'mlp_train', rates, 'samples/s', {
    // The same batch every step, so a falling loss shows the step trains.
    loss_first: Math.round(losses[0]! * 1e4) / 1e4,
    loss_last: Math.round(losses[losses.length - 1]! * 1e4) / 1e4,
    note: 'step written with ops (matmul, add, relu, logSoftmax, oneHot loss, adamUpdate)',
  });
}
