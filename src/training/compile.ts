import { invalidArgument } from '../errors.js';
import { isLossLike, isMetricLike } from './contracts.js';
import type { CompileConfig, MetricSpec, TrainableModel } from './model-methods.js';
import { metricLogName, resolveLoss, resolveMetric, resolveOptimizer } from './resolve.js';
import { type CompiledOutput, type NamedMetric, setCompiled } from './state.js';

/**
 * compile(): resolves the optimizer, one loss and weight per output, and the metrics of each
 * output, then stores them beside the model. Calling it again replaces everything, as in Keras.
 */
export function compile(model: TrainableModel, config: CompileConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw invalidArgument(
      `compile expects an object such as {optimizer: 'adam', loss: 'mse'}. ` +
        `Received: ${String(config)}.`,
    );
  }
  const names = model.outputNames;
  const optimizer = resolveOptimizer(config.optimizer ?? 'rmsprop');
  const lossSpecs = perOutput(config.loss, names, 'loss', true);
  const weights = perOutput(config.lossWeights, names, 'lossWeights', false);

  const outputs: CompiledOutput[] = [];
  const taken = new Set<string>(['loss']);
  for (let i = 0; i < names.length; i++) {
    const outputName = names[i]!;
    const spec = lossSpecs[i];
    const where = names.length === 1 ? 'loss' : `loss for output '${outputName}'`;
    const loss = spec === undefined || spec === null ? null : resolveLoss(spec, where);
    const weight = weights[i] ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw invalidArgument(
        `compile: lossWeights must be finite numbers. Received: lossWeights for ` +
          `'${outputName}'=${String(weight)}.`,
      );
    }
    const lossName = typeof spec === 'string' ? spec : (loss?.name ?? undefined);
    const prefix = names.length === 1 ? '' : `${outputName}_`;
    const lossLogName = names.length === 1 || loss === null ? null : unique(`${prefix}loss`, taken);
    const metrics = namedMetrics(
      metricSpecs(config.metrics, names, i),
      lossName,
      prefix,
      '',
      taken,
    );
    const weightedMetrics = namedMetrics(
      metricSpecs(config.weightedMetrics, names, i),
      lossName,
      prefix,
      'weighted_',
      taken,
    );
    outputs.push({ outputName, loss, lossWeight: weight, lossLogName, metrics, weightedMetrics });
  }
  setCompiled(model, { optimizer, outputs });
  // Model exposes `optimizer` as Keras does (summary() counts its variables); set it when present.
  if ('optimizer' in model) (model as { optimizer: unknown }).optimizer = optimizer;
}

/**
 * Spreads a per-output setting over the outputs: one value for all (when `broadcast`), an
 * array with one entry per output, or a record keyed by output name.
 */
function perOutput<T>(
  spec: T | readonly (T | null)[] | Record<string, T | null> | undefined,
  names: readonly string[],
  what: string,
  broadcast: boolean,
): (T | null | undefined)[] {
  if (spec === undefined || spec === null) return names.map(() => undefined);
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) {
      throw invalidArgument(
        `compile: ${what} as an array needs one entry per output (${names.length}: ` +
          `${names.join(', ')}). Received: ${spec.length} entries. ` +
          `Use null for an output without one.`,
      );
    }
    return spec.slice() as (T | null)[];
  }
  if (isPlainRecord(spec) && !isLossLike(spec)) {
    checkKeys(spec, names, what);
    return names.map((n) => (spec as Record<string, T | null>)[n]);
  }
  if (!broadcast) {
    throw invalidArgument(
      `compile: ${what} must be an array (one per output) or a record keyed by output name. ` +
        `Received: ${what}=${String(spec)}.`,
    );
  }
  return names.map(() => spec as T);
}

/** The metric specs of output `index`, from compile's `metrics` or `weightedMetrics`. */
function metricSpecs(
  spec: CompileConfig['metrics'],
  names: readonly string[],
  index: number,
): readonly MetricSpec[] {
  if (spec === undefined || spec === null) return [];
  if (Array.isArray(spec)) {
    const nested = spec.some((s) => Array.isArray(s) || s === null);
    if (names.length === 1 && !nested) return spec as MetricSpec[];
    if (spec.length !== names.length) {
      throw invalidArgument(
        `compile: with ${names.length} outputs (${names.join(', ')}), metrics as an array needs ` +
          `one entry per output (a metric, a list of metrics, or null). Received: ${spec.length} ` +
          `entries. A record keyed by output name also works.`,
      );
    }
    const entry = spec[index];
    return entry === null || entry === undefined
      ? []
      : Array.isArray(entry)
        ? entry
        : [entry as MetricSpec];
  }
  if (isMetricLike(spec)) return names.length === 1 ? [spec] : [];
  if (isPlainRecord(spec)) {
    checkKeys(spec, names, 'metrics');
    const entry = (spec as Record<string, MetricSpec | MetricSpec[]>)[names[index]!];
    return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
  }
  throw invalidArgument(
    `compile: metrics must be an array or a record. Received: metrics=${String(spec)}. ` +
      `Wrap a single metric in a list, e.g. metrics: ['accuracy'].`,
  );
}

function namedMetrics(
  specs: readonly MetricSpec[],
  lossName: string | undefined,
  prefix: string,
  clashPrefix: string,
  taken: Set<string>,
): NamedMetric[] {
  return specs.map((spec) => {
    const metric = resolveMetric(spec, lossName, 'metrics');
    let logName = prefix + metricLogName(spec, metric);
    if (clashPrefix !== '' && taken.has(logName))
      logName = prefix + clashPrefix + metricLogName(spec, metric);
    return { logName: unique(logName, taken), metric };
  });
}

/** Reserves `name`, or `name_1`, `name_2`… when it is already used, as Keras numbers duplicates. */
function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let k = 1; taken.has(candidate); k++) candidate = `${name}_${k}`;
  taken.add(candidate);
  return candidate;
}

function isPlainRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

function checkKeys(record: Record<string, unknown>, names: readonly string[], what: string): void {
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      throw invalidArgument(
        `compile: ${what} names an output the model does not have. Received: key '${key}'. ` +
          `The outputs are: ${names.join(', ')}.`,
      );
    }
  }
}
