export { Metric, type MetricConfig } from './metric.js';
export { Mean, MeanMetricWrapper, type MetricFn } from './mean.js';
export {
  Accuracy,
  BinaryAccuracy,
  type BinaryAccuracyConfig,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type TopKConfig,
} from './accuracy.js';
export {
  MeanSquaredErrorMetric,
  MeanAbsoluteErrorMetric,
  RootMeanSquaredError,
  CosineSimilarityMetric,
  type CosineSimilarityMetricConfig,
} from './regression.js';
export { AUC, type AUCConfig, Precision, Recall, type PrecisionRecallConfig } from './confusion.js';
export { FBetaScore, type FBetaScoreConfig, F1Score, type F1ScoreConfig } from './f-score.js';
export { MeanIoU, type MeanIoUConfig } from './iou.js';
export { R2Score, type R2ScoreConfig } from './r2.js';
export {
  getMetric,
  registerMetric,
  serializeMetric,
  deserializeMetric,
  FunctionMetric,
  type MetricFunction,
  type MetricContext,
} from './registry.js';
export * as metrics from './keras-names.js';
