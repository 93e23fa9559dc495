export { Tensor, type NestedArray, type BackwardFn } from './tensor.js';
export { Variable, type VariableOptions } from './variable.js';
export { type DType, type DataArray, type FloatArray, DTYPES } from './dtype.js';
export { type Shape, broadcastShapes } from './shape.js';
export { Random, setSeed } from './random.js';
export {
  type CreateOptions,
  type TensorOptions,
  type RandomOptions,
  tensor,
  full,
  zeros,
  ones,
  zerosLike,
  onesLike,
  arange,
  linspace,
  eye,
  randomUniform,
  randomNormal,
  truncatedNormal,
} from './creation.js';
