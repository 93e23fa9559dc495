export {
  Dataset,
  type BatchOptions,
  type Cardinality,
  type ShuffleOptions,
  isDataset,
} from './dataset.js';
export { type TensorStructure } from './structure.js';
