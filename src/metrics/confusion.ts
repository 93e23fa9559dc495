import { TensileError, fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Metric,
  type MetricConfig,
  alignRanks,
  broadcastData,
  pairOf,
  valuesOf,
} from './metric.js';

/** Keras' `backend.epsilon()`, used for AUC's end thresholds. */
const EPSILON = 1e-7;

/** Flat labels, predictions and weights for confusion counting. */
export interface ConfusionInputs {
  labels: Float64Array;
  preds: Float64Array;
  weights: Float64Array | null;
}

/**
 * Lines up a batch as Keras' update_confusion_matrix_variables does: with `topK`, everything but
 * the k largest predictions of each row becomes −∞; with `classId`, only that class's column is
 * kept. Weights give one value per sample and are spread over the sample's elements.
 */
export function confusionInputs(
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight: Tensor | undefined,
  what: string,
  options: { topK?: number | null; classId?: number | null } = {},
): ConfusionInputs {
  let { t, p, shape } = pairOf(yTrue, yPred, what);
  const classes = shape[shape.length - 1] ?? 1;
  if (options.topK !== undefined && options.topK !== null) keepTopK(p, classes, options.topK);
  if (options.classId !== undefined && options.classId !== null) {
    const c = options.classId;
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
      throw invalidArgument(
        `${what}: classId must be in [0, ${classes - 1}]. Received: classId=${c}`,
      );
    }
    const rows = classes === 0 ? 0 : t.length / classes;
    const tc = new Float64Array(rows);
    const pc = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      tc[r] = t[r * classes + c]!;
      pc[r] = p[r * classes + c]!;
    }
    [t, p, shape] = [tc, pc, shape.slice(0, -1)];
  }
  let weights: Float64Array | null = null;
  if (sampleWeight !== undefined) {
    const w = valuesOf(sampleWeight, what, 'sampleWeight');
    const [vs, aligned] = alignRanks(shape, w.shape);
    // One weight per sample spreads over the sample's elements (trailing axes of size 1).
    const ws =
      aligned.length < vs.length && aligned.length > 0
        ? [...aligned, ...Array<number>(vs.length - aligned.length).fill(1)]
        : aligned;
    if (ws.length > vs.length || ws.some((d, i) => d !== 1 && d !== vs[i])) {
      throw shapeMismatch(
        `${what}: sampleWeight of shape ${fmtShape(w.shape)} does not line up with yTrue ` +
          `of shape ${fmtShape(shape)}. Pass one weight per sample.`,
      );
    }
    weights = broadcastData(w.data, ws, vs);
  }
  return { labels: t, preds: p, weights };
}

function keepTopK(p: Float64Array, classes: number, k: number): void {
  const rows = classes === 0 ? 0 : p.length / classes;
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    order.sort((a, b) => p[base + b]! - p[base + a]! || a - b);
    for (let j = k; j < classes; j++) p[base + order[j]!] = -Infinity;
  }
}

interface ThresholdConfig extends MetricConfig {
  /** Predictions above it count as positive. Default 0.5, or −∞ (top k only) with topK. */
  thresholds?: number;
  /** Count only the k largest predictions of each row as positive. Default null. */
  topK?: number | null;
  /** Compute the metric for this class's column only. Default null. */
  classId?: number | null;
}

/** Shared state of Precision and Recall: weighted TP, FP and FN at one threshold. */
abstract class ThresholdMetric extends Metric {
  readonly thresholds: number;
  readonly topK: number | null;
  readonly classId: number | null;
  protected tp = 0;
  protected fp = 0;
  protected fn = 0;

  constructor(config: ThresholdConfig, defaultName: string) {
    super(config, defaultName, 'up');
    this.topK = config.topK ?? null;
    this.classId = config.classId ?? null;
    this.thresholds = config.thresholds ?? (this.topK === null ? 0.5 : -Infinity);
    if (typeof this.thresholds !== 'number' || Number.isNaN(this.thresholds)) {
      throw new TensileError(
        'not_supported',
        `${defaultName}: thresholds must be one number; lists are not supported yet. ` +
          `Received: thresholds=${String(config.thresholds)}. Create one metric per threshold.`,
      );
    }
    if (this.topK !== null && !(Number.isInteger(this.topK) && this.topK >= 1)) {
      throw invalidArgument(
        `${defaultName}: topK must be an integer >= 1. Received: topK=${this.topK}`,
      );
    }
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { labels, preds, weights } = confusionInputs(yTrue, yPred, sampleWeight, this.name, this);
    for (let i = 0; i < labels.length; i++) {
      const w = weights === null ? 1 : weights[i]!;
      const positive = preds[i]! > this.thresholds;
      if (labels[i] !== 0) {
        if (positive) this.tp += w;
        else this.fn += w;
      } else if (positive) {
        this.fp += w;
      }
    }
  }

  resetState(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return {
      thresholds: Number.isFinite(this.thresholds) ? this.thresholds : null,
      topK: this.topK,
      classId: this.classId,
    };
  }
}

/** TP / (TP + FP): the share of predicted positives that are positive (0 before any). */
export class Precision extends ThresholdMetric {
  static override className = 'Precision';
  constructor(config: ThresholdConfig = {}) {
    super(config, 'precision');
  }
  result(): number {
    return this.tp + this.fp === 0 ? 0 : this.tp / (this.tp + this.fp);
  }
}

/** TP / (TP + FN): the share of positives predicted positive (0 before any). */
export class Recall extends ThresholdMetric {
  static override className = 'Recall';
  constructor(config: ThresholdConfig = {}) {
    super(config, 'recall');
  }
  result(): number {
    return this.tp + this.fn === 0 ? 0 : this.tp / (this.tp + this.fn);
  }
}

export type { ThresholdConfig as PrecisionRecallConfig };

export interface AUCConfig extends MetricConfig {
  /** Number of thresholds evenly spread over [0, 1], ends included. Default 200. */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR' (precision-recall). */
  curve?: 'ROC' | 'PR';
  /** 'interpolation' (default), 'minoring' (lower bound) or 'majoring' (upper bound). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1] instead of numThresholds. */
  thresholds?: number[] | null;
  /** yPred holds logits: a sigmoid is applied first. Default false. */
  fromLogits?: boolean;
}

/**
 * Area under the ROC (or PR) curve, approximated as Keras does: confusion counts at fixed
 * thresholds (−ε, 1/(n−1), …, (n−2)/(n−1), 1+ε), then a Riemann sum: trapezoids for ROC
 * ('interpolation'), and for PR the interpolation of Davis & Goadrich (ICML 2006) in Keras'
 * closed form. Labels and predictions are flattened, so multi-label data counts every pair.
 *
 * @example
 * const auc = new AUC({ numThresholds: 3 });
 * auc.updateState(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
 * auc.result(); // 0.75
 */
export class AUC extends Metric {
  static override className = 'AUC';
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly fromLogits: boolean;
  private readonly given: number[] | null;
  private readonly cuts: Float64Array;
  private tp: Float64Array;
  private fp: Float64Array;
  private tn: Float64Array;
  private fn: Float64Array;

  constructor(config: AUCConfig = {}) {
    super(config, 'auc', 'up');
    const extra = config as { multiLabel?: unknown; labelWeights?: unknown };
    if (extra.multiLabel === true || (extra.labelWeights ?? null) !== null) {
      throw new TensileError(
        'not_supported',
        `AUC: multiLabel and labelWeights are not supported yet; labels are flattened into one ` +
          `curve. Received: multiLabel=${String(extra.multiLabel)}. Use one AUC per label instead.`,
      );
    }
    this.curve = config.curve ?? 'ROC';
    this.summationMethod = config.summationMethod ?? 'interpolation';
    this.fromLogits = config.fromLogits ?? false;
    if (this.curve !== 'ROC' && this.curve !== 'PR') {
      throw invalidArgument(
        `AUC: curve must be 'ROC' or 'PR'. Received: curve=${String(this.curve)}`,
      );
    }
    if (!['interpolation', 'minoring', 'majoring'].includes(this.summationMethod)) {
      throw invalidArgument(
        `AUC: summationMethod must be 'interpolation', 'minoring' or 'majoring'. ` +
          `Received: summationMethod=${String(this.summationMethod)}`,
      );
    }
    let inner: number[];
    if (config.thresholds !== undefined && config.thresholds !== null) {
      this.given = config.thresholds.slice().sort((a, b) => a - b);
      inner = this.given;
      this.numThresholds = inner.length + 2;
    } else {
      this.given = null;
      const n = config.numThresholds ?? 200;
      if (!(Number.isInteger(n) && n > 1)) {
        throw invalidArgument(
          `AUC: numThresholds must be an integer > 1. Received: numThresholds=${n}`,
        );
      }
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    }
    this.cuts = Float64Array.from([-EPSILON, ...inner, 1 + EPSILON]);
    const t = this.numThresholds;
    [this.tp, this.fp, this.tn, this.fn] = [0, 1, 2, 3].map(() => new Float64Array(t)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
  }

  /** The thresholds, end points included. */
  get thresholdValues(): number[] {
    return Array.from(this.cuts);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { labels, preds, weights } = confusionInputs(yTrue, yPred, sampleWeight, this.name);
    const t = this.numThresholds;
    // An element is predicted positive at threshold j exactly when j < below, the number of
    // thresholds under its prediction, so one histogram per class and suffix sums suffice.
    const pos = new Float64Array(t + 1);
    const neg = new Float64Array(t + 1);
    for (let i = 0; i < labels.length; i++) {
      let p = preds[i]!;
      if (this.fromLogits) p = 1 / (1 + Math.exp(-p));
      const below = countBelow(this.cuts, p);
      const w = weights === null ? 1 : weights[i]!;
      if (labels[i] !== 0) pos[below]! += w;
      else neg[below]! += w;
    }
    let posAbove = 0;
    let negAbove = 0;
    let posTotal = 0;
    let negTotal = 0;
    for (let c = 0; c <= t; c++) {
      posTotal += pos[c]!;
      negTotal += neg[c]!;
    }
    for (let j = t - 1; j >= 0; j--) {
      posAbove += pos[j + 1]!;
      negAbove += neg[j + 1]!;
      this.tp[j]! += posAbove;
      this.fn[j]! += posTotal - posAbove;
      this.fp[j]! += negAbove;
      this.tn[j]! += negTotal - negAbove;
    }
  }

  result(): number {
    if (this.curve === 'PR' && this.summationMethod === 'interpolation')
      return this.interpolatePR();
    const n = this.numThresholds;
    const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const recall = ratio(this.tp[j]!, this.tp[j]! + this.fn[j]!);
      if (this.curve === 'ROC') {
        x[j] = ratio(this.fp[j]!, this.fp[j]! + this.tn[j]!);
        y[j] = recall;
      } else {
        x[j] = recall;
        y[j] = ratio(this.tp[j]!, this.tp[j]! + this.fp[j]!);
      }
    }
    let area = 0;
    for (let j = 0; j < n - 1; j++) {
      const a = y[j]!;
      const b = y[j + 1]!;
      const height =
        this.summationMethod === 'interpolation'
          ? (a + b) / 2
          : this.summationMethod === 'minoring'
            ? Math.min(a, b)
            : Math.max(a, b);
      area += (x[j]! - x[j + 1]!) * height;
    }
    return area;
  }

  /** Keras' interpolate_pr_auc: precision interpolated through TP and P = TP + FP. */
  private interpolatePR(): number {
    const noNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    let area = 0;
    for (let j = 0; j < this.numThresholds - 1; j++) {
      const dtp = this.tp[j]! - this.tp[j + 1]!;
      const pA = this.tp[j]! + this.fp[j]!;
      const pB = this.tp[j + 1]! + this.fp[j + 1]!;
      const slope = noNan(dtp, Math.max(pA - pB, 0));
      const intercept = this.tp[j + 1]! - slope * pB;
      const ratio = pA > 0 && pB > 0 ? noNan(pA, Math.max(pB, 0)) : 1;
      area += noNan(
        slope * (dtp + intercept * Math.log(ratio)),
        Math.max(this.tp[j + 1]! + this.fn[j + 1]!, 0),
      );
    }
    return area;
  }

  resetState(): void {
    for (const a of [this.tp, this.fp, this.tn, this.fn]) a.fill(0);
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    const config: { [key: string]: ConfigValue } = {
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: this.summationMethod,
      fromLogits: this.fromLogits,
    };
    if (this.given !== null) config['thresholds'] = this.given.slice();
    return config;
  }
}

/** The number of sorted thresholds strictly below p (NaN counts as below none). */
function countBelow(cuts: Float64Array, p: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
