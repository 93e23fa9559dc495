/**
 * 'accuracy' and 'crossentropy' mean different metrics for different outputs: sparse categorical
 * accuracy for integer labels and several units, binary for one unit, and so on. The loss often
 * says which (sparse_categorical_crossentropy), but a custom loss function does not, and the
 * model's output shape alone cannot tell integer labels from one-hot ones. Keras therefore picks
 * the metric when it first sees a batch; this wrapper does the same.
 */
import { getMetric } from '../metrics/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { MetricLike } from './contracts.js';

/** Whether `name` is one of the names whose metric depends on the output and targets. */
export function dependsOnShapes(name: string): boolean {
  const key = name.toLowerCase();
  return key === 'accuracy' || key === 'acc' || key === 'crossentropy' || key === 'ce';
}

/** A metric named by a shape-dependent name, resolved on the first batch it sees. */
export class DeferredMetric implements MetricLike {
  readonly direction: 'up' | 'down';
  private inner: MetricLike | null = null;

  constructor(
    readonly name: string,
    private readonly lossName: string | undefined,
  ) {
    const key = name.toLowerCase();
    this.direction = key === 'accuracy' || key === 'acc' ? 'up' : 'down';
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    this.inner ??= getMetric(this.name, {
      ...(this.lossName === undefined ? {} : { lossName: this.lossName }),
      outputShape: yPred.shape,
      targetShape: yTrue.shape,
    });
    this.inner.updateState(yTrue, yPred, sampleWeight);
  }

  result(): number {
    return this.inner === null ? 0 : this.inner.result();
  }

  resetState(): void {
    this.inner?.resetState();
  }
}
