export { BaseConv, type ConvArgs } from './base-conv.js';
export { Conv1D, Conv2D } from './conv.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './conv-transpose.js';
export {
  DepthwiseConv2D,
  SeparableConv2D,
  type DepthwiseConv2DArgs,
  type SeparableConv2DArgs,
} from './depthwise.js';
