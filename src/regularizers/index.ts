export {
  Regularizer,
  L1,
  L2,
  L1L2,
  l1,
  l2,
  l1l2,
  getRegularizer,
  serializeRegularizer,
  type RegularizerIdentifier,
} from './regularizers.js';
