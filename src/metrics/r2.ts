import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import { getLogger } from '../logger.js';
import type { ConfigValue } from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import { Metric, type MetricConfig, alignRanks, broadcastData, valuesOf } from './metric.js';

export interface R2ScoreConfig extends MetricConfig {
  /** How outputs' scores combine: 'uniform_average' (default) or 'variance_weighted_average'. */
  classAggregation?: 'uniform_average' | 'variance_weighted_average';
  /** Independent regressors for the adjusted R²; 0 (default) gives the plain R². */
  numRegressors?: number;
}

/**
 * The coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² per output column, over the
 * epoch, as Keras' R2Score (yTrue and yPred shaped [samples, outputs]; [samples] is one output).
 * An output whose targets never vary scores 0, or NaN when also predicted exactly (as Keras).
 *
 * @example
 * const r2 = new R2Score();
 * r2.updateState(tensor([[1], [4], [3]]), tensor([[2], [4], [4]]));
 * r2.result(); // 4/7
 */
export class R2Score extends Metric {
  static override className = 'R2Score';
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average';
  readonly numRegressors: number;
  private sum: Float64Array | null = null;
  private squaredSum: Float64Array | null = null;
  private residual: Float64Array | null = null;
  private count: Float64Array | null = null;
  private numSamples = 0;

  constructor(config: R2ScoreConfig = {}) {
    super(config, 'r2_score', 'up');
    this.classAggregation = config.classAggregation ?? 'uniform_average';
    this.numRegressors = config.numRegressors ?? 0;
    if (!['uniform_average', 'variance_weighted_average'].includes(this.classAggregation)) {
      throw invalidArgument(
        `R2Score: classAggregation must be 'uniform_average' or 'variance_weighted_average'. ` +
          `Received: classAggregation=${String(this.classAggregation)}`,
      );
    }
    if (!(Number.isInteger(this.numRegressors) && this.numRegressors >= 0)) {
      throw invalidArgument(
        `R2Score: numRegressors must be an integer >= 0. ` +
          `Received: numRegressors=${this.numRegressors}`,
      );
    }
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const what = `${this.name}.updateState`;
    const yt = valuesOf(yTrue, what, 'yTrue');
    const yp = valuesOf(yPred, what, 'yPred');
    let [ts, ps] = alignRanks(yt.shape, yp.shape);
    if (ts.length === 1 && ps.length === 1)
      [ts, ps] = [
        [ts[0]!, 1],
        [ps[0]!, 1],
      ];
    if (ts.length !== 2 || ps.length !== 2 || ts[0] !== ps[0] || ts[1] !== ps[1]) {
      throw shapeMismatch(
        `${what}: yTrue and yPred must have shape [samples, outputs]. Received: ` +
          `yTrue.shape=${fmtShape(yt.shape)}, yPred.shape=${fmtShape(yp.shape)}.`,
      );
    }
    const [rows, outputs] = ts as [number, number];
    if (this.sum === null) {
      [this.sum, this.squaredSum, this.residual, this.count] = [0, 1, 2, 3].map(
        () => new Float64Array(outputs),
      ) as [Float64Array, Float64Array, Float64Array, Float64Array];
    } else if (this.sum.length !== outputs) {
      throw shapeMismatch(
        `${what}: yPred had ${this.sum.length} outputs before and now has ${outputs}.`,
      );
    }
    let w: Float64Array | null = null;
    if (sampleWeight !== undefined) {
      const sw = valuesOf(sampleWeight, what, 'sampleWeight');
      // One weight per sample spreads over that sample's outputs.
      const ws = sw.shape.length === 1 ? [sw.shape[0]!, 1] : sw.shape;
      if (ws.length > 2 || ws.some((d, i) => d !== 1 && d !== ts[i])) {
        throw shapeMismatch(
          `${what}: sampleWeight of shape ${fmtShape(sw.shape)} does not fit yTrue of shape ` +
            `${fmtShape(ts)}. Pass one weight per sample.`,
        );
      }
      w = broadcastData(sw.data, ws, ts);
    }
    const [sum, squaredSum, residual, count] = [
      this.sum,
      this.squaredSum!,
      this.residual!,
      this.count!,
    ];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < outputs; c++) {
        const i = r * outputs + c;
        const weight = w === null ? 1 : w[i]!;
        const y = yt.data[i]!;
        const d = y - yp.data[i]!;
        sum[c]! += y * weight;
        squaredSum[c]! += y * y * weight;
        residual[c]! += d * d * weight;
        count[c]! += weight;
      }
    }
    // Keras counts elements here, not rows; the adjusted R² uses it as n.
    this.numSamples += rows * outputs;
  }

  /** The R² of each output column (empty before the first update; result() is then 0). */
  classResults(): number[] {
    if (this.sum === null) return [];
    return Array.from(this.sum, (s, c) => {
      const total = this.squaredSum![c]! - (s * s) / this.count![c]!;
      const score = 1 - this.residual![c]! / total;
      return Number.isFinite(score) || Number.isNaN(score) ? score : 0;
    });
  }

  result(): number {
    const scores = this.classResults();
    if (scores.length === 0 || this.numSamples === 0) return 0;
    let r2: number;
    if (this.classAggregation === 'uniform_average') {
      r2 = scores.reduce((a, b) => a + b, 0) / scores.length;
    } else {
      let weighted = 0;
      let weights = 0;
      scores.forEach((score, c) => {
        const total = this.squaredSum![c]! - (this.sum![c]! * this.sum![c]!) / this.count![c]!;
        weighted += total * score;
        weights += total;
      });
      r2 = weighted / weights;
    }
    const p = this.numRegressors;
    const n = this.numSamples;
    if (p === 0) return r2;
    if (p >= n - 1) {
      getLogger().warn(
        `${this.name}: adjusted R² needs more samples than regressors + 1 ` +
          `(samples=${n}, numRegressors=${p}); reporting the plain R².`,
      );
      return r2;
    }
    return 1 - ((1 - r2) * (n - 1)) / (n - p - 1);
  }

  resetState(): void {
    for (const a of [this.sum, this.squaredSum, this.residual, this.count]) a?.fill(0);
    this.numSamples = 0;
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
