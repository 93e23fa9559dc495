export {
  Callback,
  CallbackList,
  type CallbackHooks,
  type CallbackLike,
  type TrainingParams,
} from './callback.js';
export { History } from './history.js';
export { Progbar, type ProgbarOptions } from './progbar.js';
export { ProgbarLogger } from './progbar-logger.js';
export { EarlyStopping, type EarlyStoppingConfig } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointConfig } from './model-checkpoint.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauConfig } from './reduce-lr-on-plateau.js';
export { LearningRateScheduler, type LearningRateSchedulerFn } from './learning-rate-scheduler.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { BackupAndRestore, type BackupAndRestoreConfig } from './backup-and-restore.js';
export { LambdaCallback } from './lambda-callback.js';
export { type MonitorMode } from './monitor.js';
export {
  saveWeightsFile,
  loadWeightsFile,
  snapshotWeights,
  type SaveWeightsOptions,
} from './weights-file.js';
