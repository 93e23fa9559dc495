import { invalidArgument } from '../errors.js';
import type {
  ConfigValue,
  SerializedObject,
} from '../optimizers/schedules/learning-rate-schedule.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, type LossConfig } from './loss.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './losses.js';

/** A per-sample loss function, as src/ops/losses.ts defines them. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Turns a plain function into a Loss with the usual reductions and sample weights. */
export class LossFunctionWrapper extends Loss {
  static override className = 'LossFunctionWrapper';
  readonly fn: LossFn;

  constructor(fn: LossFn, config: LossConfig = {}) {
    super(config, fn.name || 'loss');
    if (typeof fn !== 'function') {
      throw invalidArgument(`LossFunctionWrapper needs a function. Received: fn=${String(fn)}`);
    }
    this.fn = fn;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }

  protected override ownConfig(): { [key: string]: ConfigValue } {
    return { fn: this.fn.name };
  }
}

type LossClass = (new (config: never) => Loss) & { className: string };

const classes = new Map<string, LossClass>();
const aliases = new Map<string, string>();

/**
 * Makes a loss class known to getLoss and deserializeLoss by its className, its snake_case
 * form and any extra aliases (all matched case-insensitively, camelCase or snake_case).
 */
export function registerLoss(cls: LossClass, extraAliases: readonly string[] = []): void {
  classes.set(cls.className, cls);
  for (const alias of [cls.className, ...extraAliases])
    aliases.set(normalize(alias), cls.className);
}

registerLoss(MeanSquaredError, ['mse']);
registerLoss(MeanAbsoluteError, ['mae']);
registerLoss(MeanAbsolutePercentageError, ['mape']);
registerLoss(MeanSquaredLogarithmicError, ['msle']);
registerLoss(Huber, ['huber_loss']);
registerLoss(LogCosh, ['logcosh']);
registerLoss(BinaryCrossentropy);
registerLoss(CategoricalCrossentropy);
registerLoss(SparseCategoricalCrossentropy);
registerLoss(KLDivergence, ['kld', 'kullback_leibler_divergence']);
registerLoss(Poisson);
registerLoss(Hinge);
registerLoss(SquaredHinge);
registerLoss(CategoricalHinge);
registerLoss(CosineSimilarity);

/** 'sparseCategoricalCrossentropy' or 'SparseCategoricalCrossentropy' → snake_case. */
function normalize(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The canonical Keras snake_case name of a loss identifier, or undefined when unknown. */
export function lossKerasName(name: string): string | undefined {
  const className = aliases.get(normalize(name));
  return className === undefined ? undefined : normalize(className);
}

/** `{className, config}` for a loss. */
export function serializeLoss(loss: Loss): SerializedObject {
  return { className: (loss.constructor as typeof Loss).className, config: loss.getConfig() };
}

/** Rebuilds a loss from serializeLoss's output. Wrapped custom functions cannot be rebuilt. */
export function deserializeLoss(value: SerializedObject): Loss {
  return new (lookup(value.className))(value.config as never);
}

function lookup(name: string): LossClass {
  const className = aliases.get(normalize(name));
  const cls = className === undefined ? undefined : classes.get(className);
  if (cls === undefined) {
    throw invalidArgument(
      `Unknown loss. Expected a Loss, a function or one of 'mse', 'mae', 'huber', ` +
        `'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', ` +
        `'kl_divergence', 'hinge', 'cosine_similarity' (or their class names). ` +
        `Received: loss=${name}`,
    );
  }
  return cls;
}

/**
 * Resolves what compile() accepts for `loss`: a Loss (returned as is), a Keras name in
 * snake_case or camelCase ('mse', 'sparse_categorical_crossentropy', 'binaryCrossentropy', ...)
 * or class name, a per-sample function (wrapped), or a serialized `{className, config}`.
 *
 * @example
 * getLoss('sparse_categorical_crossentropy'); // a SparseCategoricalCrossentropy
 */
export function getLoss(identifier: string | Loss | LossFn | SerializedObject): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string') return new (lookup(identifier))({} as never);
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (
    identifier !== null &&
    typeof identifier === 'object' &&
    typeof identifier.className === 'string'
  ) {
    return deserializeLoss(identifier);
  }
  throw invalidArgument(
    `getLoss expects a name such as 'mse', a Loss, a function or {className, config}. ` +
      `Received: loss=${String(identifier)}`,
  );
}
