import { fmtShape, invalidArgument, shapeMismatch } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { checkLearningRate, checkVariable, optionalNumber } from './checks.js';
import { clipGradients, type ClipOptions } from './clip.js';
import { type SlotSpec, SlotStore } from './slots.js';
import {
  type ConfigValue,
  LearningRateSchedule,
  type SerializedObject,
  deserializeSchedule,
  serializeSchedule,
} from './schedules/learning-rate-schedule.js';

/** Options every optimizer takes, with Keras 3's names in camelCase and its defaults. */
export interface OptimizerConfig {
  /** Shown in messages and used to name slot variables. Defaults to the optimizer's Keras name. */
  name?: string;
  /** A rate, or a schedule called with `iterations` before each step. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: before each update, p ← p − p·lr·weightDecay. Default null (off). */
  weightDecay?: number | null;
  /** Rescales each gradient so its L2 norm is at most this. Default null (off). */
  clipnorm?: number | null;
  /** Clips each gradient element to [−clipvalue, clipvalue]. Default null (off). */
  clipvalue?: number | null;
  /** Rescales all gradients together so their joint L2 norm is at most this. Default null. */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the weights. Default false. */
  useEma?: boolean;
  /** avg ← emaMomentum·avg + (1 − emaMomentum)·p. Default 0.99. */
  emaMomentum?: number;
  /** Copy the average into the weights every this many steps; null: only at the end. */
  emaOverwriteFrequency?: number | null;
}

/**
 * Everything an optimizer accumulates: the step count, the learning rate when it is a number,
 * and its slots, by slot name, one tensor per variable in build order (one-element tensors
 * for per-optimizer scalars such as Nadam's `u_product`).
 */
export interface OptimizerState {
  iterations: number;
  learningRate?: number;
  slots: Record<string, Tensor[]>;
}

/** A gradient and the variable it updates. */
export type GradientPair = readonly [grad: Tensor, variable: Variable];

/**
 * The base of every optimizer. `applyGradients` runs Keras 3's sequence: clip the gradients,
 * apply decoupled weight decay, let the subclass update each variable in place, update the EMA
 * of the weights, then increment `iterations`. Slots are built on first use, or by `build`.
 */
export abstract class Optimizer {
  static className = 'Optimizer';

  name: string;
  /** The learning rate or schedule; assigning a number changes the rate from the next step. */
  learningRate: number | LearningRateSchedule;
  /** The number of updates applied so far. */
  iterations = 0;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;

  /** True when the subclass's kernel applies weight decay itself (Adam's fused update). */
  protected fusesWeightDecay = false;
  /** Per-optimizer scalars (Nadam's running product); saved in the state like slots. */
  protected scalars = new Map<string, number>();

  private readonly store: SlotStore;
  private pendingState: OptimizerState | null = null;
  private readonly excludedVars = new Set<Variable>();
  private excludedNames: readonly string[] = [];

  constructor(config: OptimizerConfig, defaults: { name: string; learningRate: number }) {
    const what = (this.constructor as typeof Optimizer).className;
    this.name = config.name ?? defaults.name;
    this.store = new SlotStore(this.name);
    this.learningRate = checkLearningRate(config.learningRate ?? defaults.learningRate, what);
    this.weightDecay = optionalNumber(config.weightDecay, 'weightDecay', what);
    this.clipnorm = optionalNumber(config.clipnorm, 'clipnorm', what);
    this.clipvalue = optionalNumber(config.clipvalue, 'clipvalue', what);
    this.globalClipnorm = optionalNumber(config.globalClipnorm, 'globalClipnorm', what);
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c !== null);
    if (clips.length > 1) {
      throw invalidArgument(
        `${what}: only one of clipnorm, clipvalue and globalClipnorm can be set. Received: ` +
          `clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      );
    }
    this.useEma = config.useEma ?? false;
    this.emaMomentum = config.emaMomentum ?? 0.99;
    if (!(this.emaMomentum >= 0 && this.emaMomentum <= 1)) {
      throw invalidArgument(
        `${what}: emaMomentum must be in [0, 1]. Received: emaMomentum=${this.emaMomentum}`,
      );
    }
    const every = config.emaOverwriteFrequency ?? null;
    if (every !== null && !(Number.isInteger(every) && every >= 1)) {
      throw invalidArgument(
        `${what}: emaOverwriteFrequency must be an integer >= 1 or null. ` +
          `Received: emaOverwriteFrequency=${every}`,
      );
    }
    this.emaOverwriteFrequency = every;
  }

  /** The slots this optimizer keeps per variable, as configured. */
  protected abstract slotSpecs(): SlotSpec[];

  /** Updates one variable in place from its (clipped) gradient, at learning rate `lr`. */
  protected abstract updateStep(
    grad: FloatArray,
    variable: Variable,
    index: number,
    lr: number,
  ): void;

  /** Called once per step before the per-variable updates (Nadam advances its product here). */
  protected beforeUpdates(): void {}

  /** The subclass's own hyperparameters for getConfig. */
  protected abstract ownConfig(): { [key: string]: ConfigValue };

  /** The learning rate the next step will use. */
  currentLearningRate(): number {
    const lr = this.learningRate;
    return typeof lr === 'number' ? lr : lr.call(this.iterations);
  }

  /**
   * Creates the slots for `variables`; variables already known are skipped, so calling it again
   * with more variables extends the optimizer. `applyGradients` builds on first use.
   */
  build(variables: readonly Variable[]): void {
    for (const variable of variables) checkVariable(variable, this.name);
    this.store.add(variables, this.allSlotSpecs());
    // A state restored before build waits until every variable it describes is known.
    const pending = this.pendingState;
    const known = this.store.variables.length;
    if (pending !== null && Object.values(pending.slots).every((l) => l.length <= known)) {
      this.pendingState = null;
      this.store.restore(pending.slots);
    }
  }

  /** The subclass's slots, after the EMA averages that the base class keeps (Keras' order). */
  private allSlotSpecs(): SlotSpec[] {
    const specs = this.slotSpecs();
    return this.useEma ? [{ name: 'average', initial: 0 }, ...specs] : specs;
  }

  /** True once `build` (or a first `applyGradients`) created the slots. */
  get built(): boolean {
    return this.store.variables.length > 0;
  }

  /**
   * Excludes variables from weight decay, by identity or by any of `varNames` appearing in the
   * variable's name (e.g. `['bias']`), as Keras' `exclude_from_weight_decay`.
   */
  excludeFromWeightDecay(options: {
    varList?: readonly Variable[];
    varNames?: readonly string[];
  }): void {
    for (const v of options.varList ?? []) this.excludedVars.add(v);
    this.excludedNames = [...this.excludedNames, ...(options.varNames ?? [])];
  }

  /** The weight decay that applies to `variable`: 0 when off or excluded. */
  protected decayFor(variable: Variable): number {
    if (this.weightDecay === null || this.weightDecay === 0) return 0;
    if (this.excludedVars.has(variable)) return 0;
    const name = variable.name ?? '';
    if (this.excludedNames.some((n) => name.includes(n))) return 0;
    return this.weightDecay;
  }

  /** The storage of slot `name` for the variable at `index`. */
  protected slot(name: string, index: number): FloatArray {
    return this.store.get(name, index);
  }

  /** Applies one update to each variable from its gradient; see the class comment for the order. */
  applyGradients(pairs: ReadonlyArray<GradientPair>): void {
    if (pairs.length === 0) return;
    const variables = pairs.map((p) => p[1]);
    this.build(variables);
    const lr = this.currentLearningRate();
    const clip: ClipOptions = {
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
    const grads = clipGradients(pairs, clip, this.name);

    if (!this.fusesWeightDecay) {
      for (const variable of variables) {
        const decay = this.decayFor(variable);
        if (decay === 0) continue;
        const p = variable.values;
        const factor = 1 - lr * decay;
        for (let i = 0; i < p.length; i++) p[i] = p[i]! * factor;
      }
    }

    this.beforeUpdates();
    for (let k = 0; k < pairs.length; k++) {
      const variable = variables[k]!;
      this.updateStep(grads[k]!, variable, this.store.indexOf(variable)!, lr);
    }
    if (this.useEma) this.updateAverages();
    this.iterations += 1;
  }

  /** Keras' EMA: the first step copies the weights; later ones blend with emaMomentum. */
  private updateAverages(): void {
    const momentum = this.iterations === 0 ? 0 : this.emaMomentum;
    const overwrite =
      this.emaOverwriteFrequency !== null &&
      (this.iterations + 1) % this.emaOverwriteFrequency === 0;
    const variables = this.store.variables;
    for (let k = 0; k < variables.length; k++) {
      const p = variables[k]!.values;
      const avg = this.slot('average', k);
      for (let i = 0; i < p.length; i++) avg[i] = momentum * avg[i]! + (1 - momentum) * p[i]!;
      if (overwrite) p.set(avg);
    }
  }

  /** With useEma, copies the moving averages into `variables` (fit does this after training). */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    for (const variable of variables) {
      const k = this.store.indexOf(variable);
      if (k !== undefined) variable.values.set(this.slot('average', k));
    }
  }

  /** A copy of the optimizer's state, for checkpoints; see OptimizerState. */
  getState(): OptimizerState {
    const slots = this.store.snapshot();
    for (const [name, value] of this.scalars)
      slots[name] = [new Tensor(Float64Array.of(value), [])];
    const state: OptimizerState = { iterations: this.iterations, slots };
    if (typeof this.learningRate === 'number') state.learningRate = this.learningRate;
    return state;
  }

  /**
   * Restores a state from `getState`. Slots are copied into an optimizer already built on the
   * same variables (same order and shapes); before `build`, they are kept and applied then.
   */
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw invalidArgument(
        `${this.name}.setState: iterations must be an integer >= 0. Received: iterations=${state.iterations}`,
      );
    }
    this.iterations = state.iterations;
    if (state.learningRate !== undefined && typeof this.learningRate === 'number') {
      this.learningRate = checkLearningRate(state.learningRate, this.name) as number;
    }
    const perVariable: Record<string, Tensor[]> = {};
    for (const [name, list] of Object.entries(state.slots)) {
      if (this.scalars.has(name))
        this.scalars.set(name, list[0]?.values[0] ?? this.scalars.get(name)!);
      else perVariable[name] = list;
    }
    if (!this.built && Object.keys(perVariable).length > 0) {
      this.pendingState = { iterations: state.iterations, slots: perVariable };
      return;
    }
    this.store.restore(perVariable);
  }

  /**
   * The state as Keras 3 lists `optimizer.variables` (the order of its weight files): the
   * iteration count (int32 here, int64 in Keras), the learning rate unless it is a schedule
   * (float64 here so that a round trip is exact; Keras stores float32),
   * the EMA averages, then the slots, one slot after another or interleaved as Keras creates
   * them, then per-optimizer scalars. These are copies.
   */
  getWeights(): Tensor[] {
    return this.orderedState().map((t) => new Tensor(t.values.slice(), t.shape));
  }

  /** Restores `getWeights()` output into an optimizer built on the same variables. */
  setWeights(weights: readonly Tensor[]): void {
    const mine = this.orderedState();
    if (weights.length !== mine.length) {
      throw invalidArgument(
        `${this.name}.setWeights: expected ${mine.length} tensors (build the optimizer on the same ` +
          `variables first). Received ${weights.length}.`,
      );
    }
    weights.forEach((w, k) => {
      if (!shapesEqual(w.shape, mine[k]!.shape)) {
        throw shapeMismatch(
          `${this.name}.setWeights: weight ${k} has shape ${fmtShape(w.shape)}, expected ` +
            `${fmtShape(mine[k]!.shape)}.`,
        );
      }
    });
    let k = 0;
    this.iterations = weights[k++]!.values[0]!;
    if (typeof this.learningRate === 'number') this.learningRate = weights[k++]!.values[0]!;
    for (const slot of this.slotOrder()) slot.values.set(weights[k++]!.values);
    for (const name of this.scalars.keys()) this.scalars.set(name, weights[k++]!.values[0]!);
  }

  /** The number of scalars in the optimizer's state, as summary() reports "Optimizer params". */
  countParams(): number {
    return this.orderedState().reduce((n, t) => n + t.size, 0);
  }

  private orderedState(): Tensor[] {
    const out: Tensor[] = [new Tensor(Int32Array.of(this.iterations), [])];
    if (typeof this.learningRate === 'number') {
      out.push(new Tensor(Float64Array.of(this.learningRate), []));
    }
    out.push(...this.slotOrder());
    for (const value of this.scalars.values()) out.push(new Tensor(Float64Array.of(value), []));
    return out;
  }

  private slotOrder(): Variable[] {
    return this.store.ordered(this.allSlotSpecs());
  }

  /** The hyperparameters, JSON-safe; `fromConfig` rebuilds an equal optimizer (without state). */
  getConfig(): { [key: string]: ConfigValue } {
    const lr = this.learningRate;
    return {
      name: this.name,
      learningRate: typeof lr === 'number' ? lr : (serializeSchedule(lr) as unknown as ConfigValue),
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      useEma: this.useEma,
      emaMomentum: this.emaMomentum,
      emaOverwriteFrequency: this.emaOverwriteFrequency,
      ...this.ownConfig(),
    };
  }

  /** Rebuilds an optimizer of this class from `getConfig()`'s output. */
  static fromConfig<T extends Optimizer>(
    this: new (config: never) => T,
    config: { [key: string]: ConfigValue },
  ): T {
    const copy: { [key: string]: unknown } = { ...config };
    const lr = copy['learningRate'];
    if (lr !== null && typeof lr === 'object')
      copy['learningRate'] = deserializeSchedule(lr as SerializedObject);
    return new this(copy as never);
  }
}
