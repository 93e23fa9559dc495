export {
  LearningRateSchedule,
  registerSchedule,
  serializeSchedule,
  deserializeSchedule,
} from './learning-rate-schedule.js';
export {
  ExponentialDecay,
  type ExponentialDecayConfig,
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayConfig,
  PolynomialDecay,
  type PolynomialDecayConfig,
  InverseTimeDecay,
  type InverseTimeDecayConfig,
} from './decays.js';
export {
  CosineDecay,
  type CosineDecayConfig,
  CosineDecayRestarts,
  type CosineDecayRestartsConfig,
} from './cosine.js';
