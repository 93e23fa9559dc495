import { invalidArgument } from '../../errors.js';
import {
  type Constraint,
  type ConstraintIdentifier,
  getConstraint,
} from '../../constraints/constraints.js';
import {
  type Initializer,
  type InitializerIdentifier,
  getInitializer,
} from '../../initializers/initializer.js';
import {
  type Regularizer,
  type RegularizerIdentifier,
  getRegularizer,
} from '../../regularizers/regularizers.js';
import type { Config, JsonValue } from './registry.js';

/**
 * Helpers for layer constructors: validate options the same way everywhere, and turn
 * initializers, regularizers and constraints into config entries and back.
 */

/** A positive integer option, e.g. Dense's units. */
export function positiveInt(layer: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidArgument(
      `${layer}: ${name} must be a positive integer. Received: ${name}=${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function initializerOf(
  id: InitializerIdentifier | undefined,
  fallback: string,
): Initializer {
  return getInitializer(id ?? fallback);
}

export function regularizerOf(id: RegularizerIdentifier | null | undefined): Regularizer | null {
  return id === undefined || id === null ? null : getRegularizer(id);
}

export function constraintOf(id: ConstraintIdentifier | null | undefined): Constraint | null {
  return id === undefined || id === null ? null : getConstraint(id);
}

/**
 * The config entry for an initializer, regularizer or constraint: `{className, config}` or null.
 */
export function serialized(obj: { className: string; getConfig(): Config } | null): JsonValue {
  return obj === null ? null : { className: obj.className, config: obj.getConfig() };
}
