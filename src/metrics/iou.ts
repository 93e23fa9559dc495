import { TensileError, fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, type MetricConfig, type Values, valuesOf } from './metric.js';

export interface MeanIoUConfig extends MetricConfig {
  /** The number of classes; labels must lie in [0, numClasses). */
  numClasses: number;
  /** A label left out of the confusion matrix (such as "void"). Default null. */
  ignoreClass?: number | null;
  /** yTrue holds class indices (default) rather than one-hot rows. */
  sparseYTrue?: boolean;
  /** yPred holds class indices (default, as Keras), not scores: set false for softmax outputs. */
  sparseYPred?: boolean;
  /** The class axis used when a side is not sparse. Default −1. */
  axis?: number;
}

/**
 * Mean intersection over union, as Keras' MeanIoU: a weighted confusion matrix (rows: true
 * class, columns: predicted) accumulates over the epoch; IoU_c = TP_c / (row_c + col_c − TP_c),
 * averaged over the classes whose denominator is not 0.
 *
 * @example
 * const iou = new MeanIoU({ numClasses: 2 });
 * const labels = (v: number[]) => tensor(v, { dtype: 'int32' });
 * iou.updateState(labels([0, 0, 1, 1]), labels([0, 1, 0, 1]));
 * iou.result(); // 1/3
 */
export class MeanIoU extends Metric {
  static override className = 'MeanIoU';
  readonly numClasses: number;
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  private readonly matrix: Float64Array;

  constructor(config: MeanIoUConfig) {
    // Keras names it by snake-casing the class name, hence 'mean_io_u'.
    super(config, 'mean_io_u', 'up');
    const n = config?.numClasses;
    if (!(Number.isInteger(n) && n >= 1)) {
      throw invalidArgument(
        `MeanIoU: numClasses must be an integer >= 1. Received: numClasses=${String(n)}`,
      );
    }
    this.numClasses = n;
    this.ignoreClass = config.ignoreClass ?? null;
    this.sparseYTrue = config.sparseYTrue ?? true;
    this.sparseYPred = config.sparseYPred ?? true;
    this.axis = config.axis ?? -1;
    if (this.axis !== -1) {
      throw new TensileError(
        'not_supported',
        `MeanIoU: only the last axis can be the class axis for now. Received: axis=${this.axis}. ` +
          `Move the class axis last.`,
      );
    }
    this.matrix = new Float64Array(n * n);
  }

  /** The accumulated confusion matrix as rows (true class) of columns (predicted class). */
  confusionMatrix(): number[][] {
    const n = this.numClasses;
    return Array.from({ length: n }, (_, r) =>
      Array.from(this.matrix.subarray(r * n, (r + 1) * n)),
    );
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const what = `${this.name}.updateState`;
    const t = this.sparseYTrue
      ? valuesOf(yTrue, what, 'yTrue')
      : argMaxLast(valuesOf(yTrue, what, 'yTrue'));
    const p = this.sparseYPred
      ? valuesOf(yPred, what, 'yPred')
      : argMaxLast(valuesOf(yPred, what, 'yPred'));
    const count = sizeOf(t.shape);
    if (sizeOf(p.shape) !== count) {
      throw shapeMismatch(
        `${what}: yTrue and yPred must hold one class per element. Received: yTrue.shape=` +
          `${fmtShape(yTrue.shape)}, yPred.shape=${fmtShape(yPred.shape)} ` +
          `(sparseYTrue=${this.sparseYTrue}, sparseYPred=${this.sparseYPred}).`,
      );
    }
    const w = sampleWeight === undefined ? null : valuesOf(sampleWeight, what, 'sampleWeight').data;
    const per = w === null || w.length === 0 ? 1 : count / w.length;
    if (w !== null && !Number.isInteger(per)) {
      throw shapeMismatch(
        `${what}: ${w.length} sample weights do not divide ${count} labels evenly.`,
      );
    }
    const n = this.numClasses;
    for (let i = 0; i < count; i++) {
      const truth = Math.trunc(t.data[i]!);
      if (truth === this.ignoreClass) continue;
      const pred = Math.trunc(p.data[i]!);
      if (!(truth >= 0 && truth < n && pred >= 0 && pred < n)) {
        throw invalidArgument(
          `${what}: class indices must be in [0, ${n - 1}]. Received: yTrue=${t.data[i]}, ` +
            `yPred=${p.data[i]} at flat index ${i}. Check numClasses, or set sparseYPred: false ` +
            `for scores.`,
        );
      }
      this.matrix[truth * n + pred]! += w === null ? 1 : w[Math.floor(i / per)]!;
    }
  }

  result(): number {
    const n = this.numClasses;
    let sum = 0;
    let valid = 0;
    for (let c = 0; c < n; c++) {
      let row = 0;
      let col = 0;
      for (let k = 0; k < n; k++) {
        row += this.matrix[c * n + k]!;
        col += this.matrix[k * n + c]!;
      }
      const tp = this.matrix[c * n + c]!;
      const denominator = row + col - tp;
      if (denominator !== 0) {
        sum += tp / denominator;
        valid++;
      }
    }
    return valid === 0 ? 0 : sum / valid;
  }

  resetState(): void {
    this.matrix.fill(0);
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return {
      numClasses: this.numClasses,
      ignoreClass: this.ignoreClass,
      sparseYTrue: this.sparseYTrue,
      sparseYPred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

function argMaxLast(x: Values): Values {
  const classes = x.shape[x.shape.length - 1] ?? 1;
  const rows = classes === 0 ? 0 : sizeOf(x.shape) / classes;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (x.data[r * classes + c]! > x.data[r * classes + best]!) best = c;
    out[r] = best;
  }
  return { data: out, shape: x.shape.slice(0, -1) };
}
