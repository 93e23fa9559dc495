export {
  Optimizer,
  type OptimizerConfig,
  type OptimizerState,
  type GradientPair,
} from './optimizer.js';
export { type SlotSpec } from './slots.js';
export { SGD, type SGDConfig } from './sgd.js';
export { Adam, AdamW, type AdamConfig } from './adam.js';
export { RMSprop, type RMSpropConfig } from './rmsprop.js';
export { Adagrad, type AdagradConfig } from './adagrad.js';
export { Adadelta, type AdadeltaConfig } from './adadelta.js';
export { Adamax, type AdamaxConfig } from './adamax.js';
export { Nadam, type NadamConfig } from './nadam.js';
export { Lion, type LionConfig } from './lion.js';
export {
  getOptimizer,
  registerOptimizer,
  serializeOptimizer,
  deserializeOptimizer,
} from './registry.js';
export * from './schedules/index.js';
