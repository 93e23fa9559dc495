export {
  MaxPooling1D,
  MaxPooling2D,
  AveragePooling1D,
  AveragePooling2D,
  type PoolingArgs,
} from './pooling.js';
export {
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  type GlobalPoolingArgs,
} from './global-pooling.js';
