/**
 * Small stand-ins for the training tests: a linear model that implements TrainableModel
 * directly (so these tests do not depend on the layers), a mean-squared-error loss with Keras'
 * weighting, a mean-absolute-error metric, and a stream that captures progress output.
 */
import '../../src/backend/index.js';
import { matmul } from '../../src/ops/linalg.js';
import { add, abs, mul, square, sub } from '../../src/ops/elementwise.js';
import { mean, sum } from '../../src/ops/reduction.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Variable } from '../../src/tensor/variable.js';
import { randomNormal, tensor } from '../../src/tensor/creation.js';
import type { LossLike, MetricLike, TrainableModel } from '../../src/training/index.js';

/** y = x·W + b for each output head; records the inputs of every forward pass. */
export class LinearModel implements TrainableModel {
  readonly name = 'linear';
  readonly inputNames = ['x'];
  readonly outputNames: string[];
  stopTraining = false;
  readonly kernels: Variable[];
  readonly biases: Variable[];
  /** Every forward pass: the first input's rows and the training flag. */
  readonly calls: { rows: number[][]; training: boolean }[] = [];

  constructor(inputs: number, outputs: number, heads: string[] = ['dense'], seed?: number) {
    this.outputNames = heads;
    this.kernels = heads.map(
      (h, i) =>
        new Variable(
          randomNormal([inputs, outputs], seed === undefined ? {} : { seed: seed + i }),
          {
            name: `${h}/kernel`,
          },
        ),
    );
    this.biases = heads.map(
      (h) =>
        new Variable(tensor(new Float32Array(outputs), { shape: [outputs] }), {
          name: `${h}/bias`,
        }),
    );
  }

  get trainableWeights(): Variable[] {
    return this.kernels.flatMap((k, i) => [k, this.biases[i]!]);
  }

  get nonTrainableWeights(): Variable[] {
    return [];
  }

  forward(inputs: readonly Tensor[], training: boolean): { outputs: Tensor[]; losses: Tensor[] } {
    const x = inputs[0]!;
    this.calls.push({ rows: x.toArray() as number[][], training });
    return { outputs: this.kernels.map((k, i) => add(matmul(x, k), this.biases[i]!)), losses: [] };
  }

  getWeights(): Tensor[] {
    return this.trainableWeights.map((v) => new Tensor(v.values.slice(), v.shape));
  }

  setWeights(weights: readonly Tensor[]): void {
    this.trainableWeights.forEach((v, i) => v.assign(weights[i]!));
  }
}

/** Keras' MSE with 'sum_over_batch_size': Σᵢ wᵢ·mean_j (ŷᵢⱼ − yᵢⱼ)² / N. */
export const mse: LossLike = {
  name: 'mean_squared_error',
  compute(yTrue, yPred, sampleWeight) {
    const perSample = mean(square(sub(yPred, yTrue)), { axis: -1 });
    const weighted = sampleWeight === undefined ? perSample : mul(perSample, sampleWeight);
    return mul(sum(weighted), 1 / perSample.size);
  },
};

/** The mean absolute error over all elements seen since the last reset. */
export function maeMetric(name = 'mae'): MetricLike {
  let total = 0;
  let count = 0;
  return {
    name,
    updateState(yTrue, yPred) {
      total += sum(abs(sub(yPred, yTrue))).item();
      count += yTrue.size;
    },
    result: () => (count === 0 ? 0 : total / count),
    resetState() {
      total = 0;
      count = 0;
    },
  };
}

/** A write-only stream that keeps what is written. */
export class CaptureStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A learnable regression task: y = x·[2, −3]ᵀ + 1 with a little noise. */
export function linearTask(n: number, seed = 1): { x: Tensor; y: Tensor } {
  const x = randomNormal([n, 2], { seed });
  const noise = randomNormal([n, 1], { seed: seed + 100, stddev: 0.01 });
  const y = add(add(matmul(x, tensor([[2], [-3]])), 1), noise);
  return { x, y };
}
