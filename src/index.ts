/**
 * Tensile: tensors, reverse-mode autograd and Keras' model API for TypeScript.
 */
export * from './tensor/index.js';
export * from './autograd/index.js';
export * from './backend/index.js';
export * from './ops/index.js';
export { TensileError, type TensileErrorCode } from './errors.js';
export { type Logger, setLogger, getLogger } from './logger.js';
export * from './layers/index.js';
export * from './layers/convolutional/index.js';
export * from './layers/pooling/index.js';
export * from './layers/reshaping/index.js';
export * from './layers/normalization/index.js';
export * from './layers/regularization/index.js';
export * from './layers/recurrent/index.js';
export * from './layers/attention/index.js';
export * from './models/index.js';
export * from './optimizers/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './callbacks/index.js';
export * from './data/index.js';
export * from './datasets/index.js';
export * from './training/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as layers from './layers/namespace.js';
