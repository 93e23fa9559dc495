/**
 * The work of one batch: a training step (forward in training mode, losses, backward, optimizer
 * update, metrics) and an evaluation step, with the running loss and metric values that the
 * logs report. One Stepper serves one fit/evaluate call.
 */
import { noGrad } from '../autograd/engine.js';
import { TensileError, fmtShape } from '../errors.js';
import { add, mul } from '../ops/elementwise.js';
import { lossKerasName } from '../losses/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Logs } from './contracts.js';
import type { Batch } from './data-adapter.js';
import type { TrainableModel } from './model-methods.js';
import type { CompiledModel } from './state.js';

/** A batch-size-weighted running mean, as Keras' loss tracker. */
class RunningMean {
  private total = 0;
  private count = 0;
  add(value: number, weight: number): void {
    this.total += value * weight;
    this.count += weight;
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

export class Stepper {
  private readonly lossTracker = new RunningMean();
  private readonly outputTrackers: (RunningMean | null)[];
  private trainable: readonly Variable[];
  /** Reused between steps: the optimizer gets the same arrays, holding fresh gradients. */
  private readonly pairs: [Tensor, Variable][] = [];
  private readonly pairCache: [Tensor, Variable][] = [];

  constructor(
    private readonly model: TrainableModel,
    private readonly compiled: CompiledModel,
  ) {
    this.outputTrackers = compiled.outputs.map((o) =>
      o.lossLogName === null ? null : new RunningMean(),
    );
    this.trainable = model.trainableWeights;
    // Building up front gives the slots the weights' order, which saved optimizer states rely on.
    compiled.optimizer.build?.(this.trainable);
  }

  /** Re-reads the trainable weights, for a Stepper kept across calls (the on-batch methods). */
  refreshWeights(): void {
    this.trainable = this.model.trainableWeights;
    this.compiled.optimizer.build?.(this.trainable);
  }

  /** One gradient step on `batch`; updates the running loss and metrics. */
  trainStep(batch: Batch): void {
    const { outputs, losses } = this.model.forward(batch.inputs, true);
    const total = this.totalLoss(batch, outputs, losses);
    const trainable = this.trainable;
    for (let i = 0; i < trainable.length; i++) trainable[i]!.grad = null;
    if (total.requiresGrad) {
      total.backward();
      const pairs = this.pairs;
      pairs.length = 0;
      for (let i = 0; i < trainable.length; i++) {
        const v = trainable[i]!;
        if (v.grad === null) continue;
        const pair = (this.pairCache[i] ??= [v.grad, v]);
        pair[0] = v.grad;
        pair[1] = v;
        pairs.push(pair);
      }
      if (pairs.length > 0) {
        this.compiled.optimizer.applyGradients(pairs);
        this.model.applyConstraints?.();
      }
      for (let i = 0; i < trainable.length; i++) trainable[i]!.grad = null;
    }
    this.updateMetrics(batch, outputs);
  }

  /** Loss and metrics on `batch`, in inference mode. */
  testStep(batch: Batch): void {
    noGrad(() => {
      const { outputs, losses } = this.model.forward(batch.inputs, false);
      this.totalLoss(batch, outputs, losses);
      this.updateMetrics(batch, outputs);
    });
  }

  resetMetrics(): void {
    this.lossTracker.reset();
    for (const t of this.outputTrackers) t?.reset();
    for (const o of this.compiled.outputs) {
      for (const m of o.metrics) m.metric.resetState();
      for (const m of o.weightedMetrics) m.metric.resetState();
    }
  }

  /** The running values: loss, per-output losses, then metrics, as Keras orders them. */
  logs(): Logs {
    const logs: Logs = { loss: this.lossTracker.result() };
    const outputs = this.compiled.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const name = outputs[i]!.lossLogName;
      if (name !== null) logs[name] = this.outputTrackers[i]!.result();
    }
    for (const o of outputs) {
      for (const m of o.metrics) logs[m.logName] = m.metric.result();
      for (const m of o.weightedMetrics) logs[m.logName] = m.metric.result();
    }
    return logs;
  }

  /** Σ weightᵢ·lossᵢ over the outputs, plus the regularization losses of the pass. */
  private totalLoss(batch: Batch, outputs: readonly Tensor[], extra: readonly Tensor[]): Tensor {
    const compiled = this.compiled.outputs;
    if (outputs.length !== compiled.length) {
      throw new TensileError(
        'internal',
        `internal error, please report: model ${this.model.name} returned ${outputs.length} ` +
          `outputs but has ${compiled.length} output names`,
      );
    }
    let total: Tensor | null = null;
    for (let i = 0; i < compiled.length; i++) {
      const c = compiled[i]!;
      if (c.loss === null) continue;
      const target = batch.targets[i];
      if (target === null || target === undefined) {
        throw new TensileError(
          'invalid_argument',
          `Output '${c.outputName}' has a loss but no target was given for it. Pass y for every ` +
            `output that has a loss (the outputs are: ${this.model.outputNames.join(', ')}).`,
        );
      }
      const weights = batch.weights[i] ?? undefined;
      checkLabels(c.outputName, c.loss.name, target, outputs[i]!);
      let value = c.loss.compute(target, outputs[i]!, weights);
      if (c.lossWeight !== 1) value = mul(value, c.lossWeight);
      if (value.size !== 1) {
        throw new TensileError(
          'invalid_argument',
          `The loss of output '${c.outputName}' must be a scalar. ` +
            `Received: shape=${fmtShape(value.shape)}.`,
        );
      }
      this.outputTrackers[i]?.add(value.values[0]!, batch.size);
      total = total === null ? value : add(total, value);
    }
    for (const extraLoss of extra) total = total === null ? extraLoss : add(total, extraLoss);
    if (total === null) {
      throw new TensileError(
        'invalid_argument',
        `Model ${this.model.name} has no loss to minimize: compile it with a loss, e.g. ` +
          `model.compile({optimizer: 'adam', loss: 'mse'}).`,
      );
    }
    this.lossTracker.add(total.values[0]!, batch.size);
    return total;
  }

  private updateMetrics(batch: Batch, outputs: readonly Tensor[]): void {
    const compiled = this.compiled.outputs;
    noGrad(() => {
      for (let i = 0; i < compiled.length; i++) {
        const c = compiled[i]!;
        if (c.metrics.length === 0 && c.weightedMetrics.length === 0) continue;
        const target = batch.targets[i];
        if (target === null || target === undefined) continue;
        const out = outputs[i]!;
        for (const m of c.metrics) m.metric.updateState(target, out);
        const w = batch.weights[i] ?? undefined;
        for (const m of c.weightedMetrics) m.metric.updateState(target, out, w);
      }
    });
  }
}

/**
 * Catches the two label mix-ups Keras users make most, before the loss fails with a shape error
 * that does not say which output or what to change: one-hot rows given to the sparse loss, and
 * class indices given to the categorical one.
 */
function checkLabels(output: string, lossName: string, target: Tensor, pred: Tensor): void {
  const loss = lossKerasName(lossName);
  const classes = pred.shape[pred.rank - 1] ?? 0;
  if (loss === 'sparse_categorical_crossentropy') {
    if (target.rank === pred.rank && classes > 1 && target.shape[target.rank - 1] === classes) {
      throw new TensileError(
        'shape_mismatch',
        `Output '${output}': loss=sparse_categorical_crossentropy expects class indices, one ` +
          `per sample, but the labels look one-hot. Received: y.shape=${fmtShape(target.shape)}, ` +
          `prediction shape=${fmtShape(pred.shape)}. Use loss 'categorical_crossentropy' for ` +
          `one-hot labels, or pass the class indices (shape ${fmtShape(pred.shape.slice(0, -1))}).`,
      );
    }
  } else if (loss === 'categorical_crossentropy' && classes > 1) {
    if (target.rank === pred.rank - 1 || (target.rank === pred.rank && target.shape.at(-1) === 1)) {
      throw new TensileError(
        'shape_mismatch',
        `Output '${output}': loss=categorical_crossentropy expects one-hot labels of the ` +
          `prediction's shape, but the labels look like class indices. Received: ` +
          `y.shape=${fmtShape(target.shape)}, prediction shape=${fmtShape(pred.shape)}. Use loss ` +
          `'sparse_categorical_crossentropy' for integer labels, or one-hot encode them.`,
      );
    }
  }
}
