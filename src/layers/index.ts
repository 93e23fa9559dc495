export * from './base/index.js';
export {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationIdentifier,
} from './activations.js';
export { Dense, type DenseArgs } from './core/dense.js';
export {
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  type ReshapeArgs,
  type PermuteArgs,
  type RepeatVectorArgs,
} from './core/reshaping.js';
export {
  Activation,
  Identity,
  Rescaling,
  type ActivationArgs,
  type RescalingArgs,
} from './core/activation.js';
export { Dropout, type DropoutArgs } from './core/dropout.js';
export { Embedding, Masking, type EmbeddingArgs, type MaskingArgs } from './core/embedding.js';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum } from './merging/merge.js';
export { Concatenate, Dot, type ConcatenateArgs, type DotArgs } from './merging/concatenate.js';
// The function forms whose names the ops do not already take; `layers.add`, `layers.maximum`
// and `layers.minimum` are in the `layers` namespace (see namespace.ts).
export { subtract, multiply, average, concatenate, dot } from './merging/functions.js';
