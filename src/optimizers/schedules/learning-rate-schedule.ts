import { invalidArgument } from '../../errors.js';

/** A JSON-safe value, as every `getConfig()` returns. */
export type ConfigValue =
  number | string | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** A serialized object: the class to rebuild and the arguments for its constructor. */
export interface SerializedObject {
  className: string;
  config: { [key: string]: ConfigValue };
}

/**
 * Maps the optimizer's step count to a learning rate. Pass an instance as `learningRate` to any
 * optimizer: it is called with `iterations` (0 on the first update) before every step.
 *
 * @example
 * const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.9 });
 * const opt = new SGD({ learningRate: lr });
 */
export abstract class LearningRateSchedule {
  /** The registered class name, as `getConfig` / `serializeSchedule` write it. */
  static className = 'LearningRateSchedule';

  /** The learning rate at optimizer step `step` (0-based). */
  abstract call(step: number): number;

  /** The constructor arguments, JSON-safe, so that `fromConfig` rebuilds an equal schedule. */
  abstract getConfig(): { [key: string]: ConfigValue };
}

type ScheduleClass = (new (config: never) => LearningRateSchedule) & { className: string };

const registry = new Map<string, ScheduleClass>();

/** Makes a schedule class known to `deserializeSchedule` (the built-ins register themselves). */
export function registerSchedule(cls: ScheduleClass): void {
  registry.set(cls.className, cls);
}

/** `{className, config}` for a schedule, for optimizer configs and saved files. */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedObject {
  const cls = schedule.constructor as ScheduleClass;
  return { className: cls.className, config: schedule.getConfig() };
}

/** Rebuilds a schedule from `serializeSchedule`'s output. */
export function deserializeSchedule(value: SerializedObject): LearningRateSchedule {
  const cls = registry.get(value.className);
  if (cls === undefined) {
    throw invalidArgument(
      `Unknown learning rate schedule. Expected one of ${[...registry.keys()].join(', ')}. ` +
        `Received: className=${value.className}. ` +
        `Register custom schedules with registerSchedule().`,
    );
  }
  return new cls(value.config as never);
}

/** Checks a required positive number in a schedule's config. */
export function positive(value: unknown, what: string, schedule: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw invalidArgument(
      `${schedule}: ${what} must be a number > 0. Received: ${what}=${String(value)}`,
    );
  }
  return value;
}

/** Checks a required finite number in a schedule's config. */
export function finite(value: unknown, what: string, schedule: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(
      `${schedule}: ${what} must be a finite number. Received: ${what}=${String(value)}`,
    );
  }
  return value;
}
