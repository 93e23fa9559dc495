/**
 * Everything layer-related under one name, as Keras' `keras.layers`: `layers.Dense`,
 * `layers.add([a, b])`, `layers.maximum([...])`. The package root should export this module as
 * `layers`; the merge functions add/maximum/minimum live only here because the root's `add`,
 * `maximum` and `minimum` are the elementwise ops. Each layer folder adds its index here.
 */
export * from './index.js';
export * from './convolutional/index.js';
export * from './pooling/index.js';
export * from './reshaping/index.js';
export * from './normalization/index.js';
export * from './regularization/index.js';
export * from './recurrent/index.js';
export * from './attention/index.js';
export { add, maximum, minimum } from './merging/functions.js';
