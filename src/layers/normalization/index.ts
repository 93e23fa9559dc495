export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export {
  LayerNormalization,
  GroupNormalization,
  type LayerNormalizationArgs,
  type GroupNormalizationArgs,
} from './layer-normalization.js';
