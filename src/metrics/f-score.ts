import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, type MetricConfig, valuesOf } from './metric.js';

/** Keras' `backend.epsilon()`, which F-scores add to every denominator. */
const EPSILON = 1e-7;

export interface FBetaScoreConfig extends MetricConfig {
  /**
   * How per-class scores combine into the one number `result()` returns: 'macro' (default,
   * their plain mean), 'micro' (one score from counts summed over classes) or 'weighted'
   * (mean weighted by each class's true count). `classResults()` gives the per-class scores.
   */
  average?: 'micro' | 'macro' | 'weighted';
  /** Weight of recall relative to precision. Default 1. */
  beta?: number;
  /** Predictions above it count as 1; null (default) marks each row's maximum as the prediction. */
  threshold?: number | null;
}

/**
 * The F-beta score (1 + β²)·P·R / (β²·P + R) from class-wise counts over the epoch, as Keras'
 * FBetaScore. yTrue and yPred are [samples, classes] (one-hot or multi-label).
 *
 * Differs from Keras in one default: Keras' `average=None` makes `result()` a per-class array;
 * here `result()` is always a number (the progress bar and History need one), so the default
 * is 'macro' and the per-class scores come from `classResults()`.
 */
export class FBetaScore extends Metric {
  static override className = 'FBetaScore';
  readonly average: 'micro' | 'macro' | 'weighted';
  readonly beta: number;
  readonly threshold: number | null;
  private tp: Float64Array | null = null;
  private fp: Float64Array | null = null;
  private fn: Float64Array | null = null;
  private support: Float64Array | null = null;

  constructor(config: FBetaScoreConfig = {}, defaultName = 'fbeta_score') {
    super(config, defaultName, 'up');
    this.average = config.average ?? 'macro';
    this.beta = config.beta ?? 1;
    this.threshold = config.threshold ?? null;
    if (!['micro', 'macro', 'weighted'].includes(this.average)) {
      throw invalidArgument(
        `${defaultName}: average must be 'micro', 'macro' or 'weighted'. ` +
          `Received: average=${String(this.average)}`,
      );
    }
    if (!(this.beta > 0))
      throw invalidArgument(`${defaultName}: beta must be > 0. Received: beta=${this.beta}`);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const what = `${this.name}.updateState`;
    const yt = valuesOf(yTrue, what, 'yTrue');
    const yp = valuesOf(yPred, what, 'yPred');
    if (
      yp.shape.length !== 2 ||
      yt.shape.length !== 2 ||
      yt.shape[0] !== yp.shape[0] ||
      yt.shape[1] !== yp.shape[1]
    ) {
      throw shapeMismatch(
        `${what}: yTrue and yPred must both have shape [samples, classes]. Received: ` +
          `yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yp.shape)}.`,
      );
    }
    const [rows, classes] = yp.shape as [number, number];
    const w = sampleWeight === undefined ? null : valuesOf(sampleWeight, what, 'sampleWeight').data;
    if (w !== null && w.length !== rows && w.length !== 1) {
      throw shapeMismatch(
        `${what}: sampleWeight needs one weight per sample (${rows}). Received ${w.length}.`,
      );
    }
    if (this.tp === null || this.tp.length !== classes) {
      if (this.tp !== null) {
        throw shapeMismatch(
          `${what}: yPred had ${this.tp.length} classes before and now has ${classes}.`,
        );
      }
      [this.tp, this.fp, this.fn, this.support] = [0, 1, 2, 3].map(
        () => new Float64Array(classes),
      ) as [Float64Array, Float64Array, Float64Array, Float64Array];
    }
    const [tp, fp, fn, support] = [this.tp, this.fp!, this.fn!, this.support!];
    for (let r = 0; r < rows; r++) {
      const base = r * classes;
      const weight = w === null ? 1 : w.length === 1 ? w[0]! : w[r]!;
      let cut = this.threshold;
      if (cut === null) {
        cut = -Infinity;
        for (let c = 0; c < classes; c++) cut = Math.max(cut, yp.data[base + c]!);
      }
      for (let c = 0; c < classes; c++) {
        const p = yp.data[base + c]!;
        // Without a threshold the row's maxima are the predictions, unless they are 0.
        const predicted = this.threshold === null ? p >= cut && Math.abs(p) > 1e-9 : p > cut;
        const truth = yt.data[base + c]!;
        const pv = predicted ? 1 : 0;
        tp[c]! += pv * truth * weight;
        fp[c]! += pv * (1 - truth) * weight;
        fn[c]! += (1 - pv) * truth * weight;
        support[c]! += truth * weight;
      }
    }
  }

  private score(tp: number, fp: number, fn: number): number {
    const precision = tp / (tp + fp + EPSILON);
    const recall = tp / (tp + fn + EPSILON);
    const b2 = this.beta * this.beta;
    return ((precision * recall) / (b2 * precision + recall + EPSILON)) * (1 + b2);
  }

  /** The score of each class (empty before the first update). */
  classResults(): number[] {
    if (this.tp === null) return [];
    return Array.from(this.tp, (tp, c) => this.score(tp, this.fp![c]!, this.fn![c]!));
  }

  result(): number {
    if (this.tp === null) return 0;
    if (this.average === 'micro') {
      const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);
      return this.score(sum(this.tp), sum(this.fp!), sum(this.fn!));
    }
    const scores = this.classResults();
    if (this.average === 'weighted') {
      const total = this.support!.reduce((s, x) => s + x, 0);
      return scores.reduce((s, f, c) => s + (f * this.support![c]!) / (total + EPSILON), 0);
    }
    return scores.reduce((s, f) => s + f, 0) / scores.length;
  }

  resetState(): void {
    for (const a of [this.tp, this.fp, this.fn, this.support]) a?.fill(0);
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

export type F1ScoreConfig = Omit<FBetaScoreConfig, 'beta'>;

/** The F1 score 2·P·R / (P + R): FBetaScore with β = 1. */
export class F1Score extends FBetaScore {
  static override className = 'F1Score';
  constructor(config: F1ScoreConfig = {}) {
    super({ ...config, beta: 1 }, 'f1_score');
  }
  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { average: this.average, threshold: this.threshold };
  }
}
