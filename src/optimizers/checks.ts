import { invalidArgument } from '../errors.js';
import type { OptimizerConfig } from './optimizer.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';

// Argument checks shared by the optimizers' constructors and applyGradients.

export function checkLearningRate(value: unknown, what: string): number | LearningRateSchedule {
  if (value instanceof LearningRateSchedule) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(
      `${what}: learningRate must be a number >= 0 or a LearningRateSchedule. ` +
        `Received: learningRate=${String(value)}`,
    );
  }
  return value;
}

export function optionalNumber(
  value: number | null | undefined,
  name: string,
  what: string,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(
      `${what}: ${name} must be a number >= 0 or null. Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

export function checkVariable(variable: unknown, optimizer: string): void {
  if (!(variable instanceof Variable)) {
    throw invalidArgument(
      `${optimizer}: applyGradients needs [gradient, Variable] pairs. Received a ` +
        `${variable instanceof Tensor ? 'plain Tensor' : typeof variable} as the variable. ` +
        `Wrap weights in new Variable(...).`,
    );
  }
  if (!isFloat(variable.dtype)) {
    throw invalidArgument(
      `${optimizer}: only float variables can be optimized. Received: ` +
        `${variable.name ?? 'variable'} with dtype=${variable.dtype}.`,
    );
  }
}

/** The base options, validated, with Keras 3's defaults filled in. */
export function checkBaseConfig(config: OptimizerConfig, what: string) {
  const weightDecay = optionalNumber(config.weightDecay, 'weightDecay', what);
  const clipnorm = optionalNumber(config.clipnorm, 'clipnorm', what);
  const clipvalue = optionalNumber(config.clipvalue, 'clipvalue', what);
  const globalClipnorm = optionalNumber(config.globalClipnorm, 'globalClipnorm', what);
  if ([clipnorm, clipvalue, globalClipnorm].filter((c) => c !== null).length > 1) {
    throw invalidArgument(
      `${what}: only one of clipnorm, clipvalue and globalClipnorm can be set. Received: ` +
        `clipnorm=${clipnorm}, clipvalue=${clipvalue}, globalClipnorm=${globalClipnorm}`,
    );
  }
  const emaMomentum = config.emaMomentum ?? 0.99;
  if (!(emaMomentum >= 0 && emaMomentum <= 1)) {
    throw invalidArgument(
      `${what}: emaMomentum must be in [0, 1]. Received: emaMomentum=${emaMomentum}`,
    );
  }
  const emaOverwriteFrequency = config.emaOverwriteFrequency ?? null;
  if (
    emaOverwriteFrequency !== null &&
    !(Number.isInteger(emaOverwriteFrequency) && emaOverwriteFrequency >= 1)
  ) {
    throw invalidArgument(
      `${what}: emaOverwriteFrequency must be an integer >= 1 or null. ` +
        `Received: emaOverwriteFrequency=${emaOverwriteFrequency}`,
    );
  }
  const useEma = config.useEma ?? false;
  const gradientAccumulationSteps = config.gradientAccumulationSteps ?? null;
  if (
    gradientAccumulationSteps !== null &&
    !(Number.isInteger(gradientAccumulationSteps) && gradientAccumulationSteps >= 2)
  ) {
    throw invalidArgument(
      `${what}: gradientAccumulationSteps must be an integer >= 2 or null. ` +
        `Received: gradientAccumulationSteps=${gradientAccumulationSteps}`,
    );
  }
  return {
    gradientAccumulationSteps,
    weightDecay,
    clipnorm,
    clipvalue,
    globalClipnorm,
    useEma,
    emaMomentum,
    emaOverwriteFrequency,
  };
}
