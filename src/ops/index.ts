export * from './elementwise.js';
export * from './activations.js';
export * from './reduction.js';
export { matmul, type MatmulOptions } from './linalg.js';
// The *Raw helpers of shape.ts and linalg.ts skip autograd; they stay internal.
export { reshape, flatten, transpose, expandDims, squeeze, broadcastTo } from './shape.js';
export * from './shape-join.js';
export * from './indexing.js';
export {
  conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  conv1d,
  type Padding,
  type Size2D,
  type Conv2DOptions,
  type Conv2DTransposeOptions,
  type DepthwiseConv2DOptions,
  type Conv1DOptions,
} from './conv.js';
export * from './pool.js';
export * from './image.js';
export * from './losses.js';
export type { TensorLike } from './util.js';
