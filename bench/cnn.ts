/**
 * Workload C: one training step of the small CNN, Conv2D(32, 3, relu) > MaxPool2D(2) >
 * Conv2D(64, 3, relu) > MaxPool2D(2) > Flatten > Dense(10, softmax), on 28×28×1 images, batch
 * 64, sparse categorical cross-entropy and Adam 1e-3, in samples per second. Written with the
 * ops, like the MLP step (see mlp.ts).
 */
import {
  Variable,
  add,
  conv2d,
  matmul,
  maxPool2d,
  oneHot,
  randomNormal,
  relu,
  reshape,
  tensor,
  zeros,
} from '../src/index.js';
import { type BenchContext, WORKLOADS, emit, trainingRate } from './harness.js';
import { adamFor, crossEntropy, glorotUniform } from './mlp.js';

export function benchCnn(ctx: BenchContext): void {
  const cfg = WORKLOADS.cnn;
  const [h, w, c] = cfg.input_hwc as [number, number, number];
  const x = randomNormal([cfg.batch, h, w, c], { seed: 8 });
  const labels = Int32Array.from({ length: cfg.batch }, (_, i) => (i * 7 + 3) % 10);
  const y = oneHot(tensor(labels, { shape: [cfg.batch] }), 10);

  const k1 = glorotUniform([3, 3, c, 32], 9);
  const b1 = new Variable(zeros([32]));
  const k2 = glorotUniform([3, 3, 32, 64], 10);
  const b2 = new Variable(zeros([64]));
  // 28 → conv 26 → pool 13 → conv 11 → pool 5: 5·5·64 features into the classifier.
  const flat = 5 * 5 * 64;
  const w3 = glorotUniform([flat, 10], 11);
  const b3 = new Variable(zeros([10]));
  const update = adamFor([k1, b1, k2, b2, w3, b3], cfg.lr);

  const losses: number[] = [];
  const step = (): void => {
    let t = maxPool2d(relu(add(conv2d(x, k1), b1)), { poolSize: 2 });
    t = maxPool2d(relu(add(conv2d(t, k2), b2)), { poolSize: 2 });
    const logits = add(matmul(reshape(t, [cfg.batch, flat]), w3), b3);
    const loss = crossEntropy(logits, y);
    loss.backward();
    update();
    losses.push(loss.item());
  };
  const rates = trainingRate(ctx, cfg, step);
  emit(ctx, 'cnn_train', rates, 'samples/s', {
    loss_first: Math.round(losses[0]! * 1e4) / 1e4,
    loss_last: Math.round(losses[losses.length - 1]! * 1e4) / 1e4,
    note: 'step written with ops (conv2d, maxPool2d, relu, matmul, oneHot loss, adamUpdate)',
  });
}
