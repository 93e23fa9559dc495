// The metrics under their Keras class names, for `metrics.MeanSquaredError` and the like:
// MeanSquaredError, MeanAbsoluteError and CosineSimilarity are also loss classes, so the package
// root exports those metrics with a Metric suffix (MeanSquaredErrorMetric, ...).
export { Metric, type MetricConfig } from './metric.js';
export { Mean, MeanMetricWrapper } from './mean.js';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
} from './accuracy.js';
export {
  MeanSquaredErrorMetric as MeanSquaredError,
  MeanAbsoluteErrorMetric as MeanAbsoluteError,
  CosineSimilarityMetric as CosineSimilarity,
  RootMeanSquaredError,
} from './regression.js';
export { AUC, Precision, Recall } from './confusion.js';
export { FBetaScore, F1Score } from './f-score.js';
export { MeanIoU } from './iou.js';
export { R2Score } from './r2.js';
export { getMetric, FunctionMetric } from './registry.js';
