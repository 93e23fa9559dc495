import { invalidArgument } from '../errors.js';
import { getLogger } from '../logger.js';
import type { Logs } from '../training/contracts.js';
import type { TrainableModel } from '../training/model-methods.js';
import { getCompiled } from '../training/state.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Metric names (without `val_`) that improve as they grow. */
const RISING =
  /(^|_)(acc|accuracy|auc|precision|recall|f1_score|fbeta_score|iou|mean_iou|r2_score|fmeasure)(_\d+)?$|accuracy/;
/** Metric names that improve as they shrink. */
const FALLING =
  /(^|_)(loss|mae|mse|rmse|mape|msle|error|crossentropy|hinge|kl_divergence|poisson|logcosh)(_\d+)?$|(loss|error)$/;

/**
 * Whether `monitor` improves upward. 'auto' takes the direction of the compiled metric of that
 * name when it declares one, as Keras 3 does, and otherwise infers it from the name (accuracies,
 * AUC, precision and recall rise; losses and errors fall) and asks for an explicit mode when
 * the name says neither (EarlyStopping, as Keras 3), or falls back to 'min' (ModelCheckpoint,
 * ReduceLROnPlateau, as Keras).
 */
export function risesWhenBetter(
  monitor: string,
  mode: MonitorMode,
  who: string,
  unknown: 'throw' | 'min' = 'throw',
  direction: 'up' | 'down' | null = null,
): boolean {
  if (mode === 'max') return true;
  if (mode === 'min') return false;
  if (mode !== 'auto') {
    throw invalidArgument(
      `${who}: mode must be 'auto', 'min' or 'max'. Received: mode=${String(mode)}.`,
    );
  }
  if (direction !== null) return direction === 'up';
  const name = monitor.replace(/^val_/, '');
  if (RISING.test(name)) return true;
  if (FALLING.test(name) || unknown === 'min') return false;
  throw invalidArgument(
    `${who} received monitor=${monitor} but cannot tell whether that metric should rise or fall. ` +
      `Pass mode: 'max' to track its highest value, or mode: 'min' for its lowest.`,
  );
}

/** The monitored value, or undefined with a warning listing the values that exist. */
export function monitorValue(logs: Logs, monitor: string, who: string): number | undefined {
  const value = logs[monitor];
  if (value === undefined) {
    getLogger().warn(
      `${who} is conditioned on metric '${monitor}', which is not available. ` +
        `Available metrics are: ${Object.keys(logs).join(', ') || 'none'}.`,
    );
  }
  return value;
}

/** The direction the model's compiled metric called `monitor` (without `val_`) declares. */
export function compiledDirection(model: TrainableModel, monitor: string): 'up' | 'down' | null {
  const name = monitor.replace(/^val_/, '');
  if (name === 'loss' || name.endsWith('_loss')) return 'down';
  for (const output of getCompiled(model)?.outputs ?? []) {
    for (const m of [...output.metrics, ...output.weightedMetrics]) {
      if (m.logName === name) return m.metric.direction ?? null;
    }
  }
  return null;
}
