import { invalidArgument } from '../errors.js';
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
      `${optimizer}: only float variables can be optimized. Received: ${variable.name ?? 'variable'} ` +
        `with dtype=${variable.dtype}.`,
    );
  }
}
