import { TensileError, fmtShape, invalidArgument } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { accumulateGradients } from './accumulate.js';
import { checkBaseConfig, checkLearningRate, checkVariable } from './checks.js';
import { checkGradient, clipGradients, type ClipOptions } from './clip.js';
import { type SlotSpec, SlotStore, checkSameShapes } from './slots.js';
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
  /**
   * Update only every this many calls, with the mean of the gradients since the last update;
   * `iterations` then counts updates, and schedules see every call. Default null (off).
   */
  gradientAccumulationSteps?: number | null;
}

/**
 * Everything an optimizer accumulates: the step count, the learning rate when it is a number,
 * and its slots, by slot name, one tensor per variable in build order (one-element tensors
 * for per-optimizer scalars such as Nadam's `u_product`).
 */
export interface OptimizerState {
  /** applyGradients calls so far: `iterations`, unless gradients are accumulated. */
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
  private rate: number | LearningRateSchedule;
  /** Every applyGradients call so far (Keras' `_iterations`). */
  private calls = 0;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly gradientAccumulationSteps: number | null;

  /** True when the subclass's kernel applies weight decay itself (Adam's fused update). */
  protected fusesWeightDecay = false;
  /** Per-optimizer scalars (Nadam's running product); saved in the state like slots. */
  protected scalars = new Map<string, number>();

  private readonly store: SlotStore;
  /** Reused buffers for gradients that must be copied (clipping, or a dtype cast). */
  private readonly gradientScratch = new Map<Variable, FloatArray>();
  private pendingState: OptimizerState | null = null;
  private readonly excludedVars = new Set<Variable>();
  private excludedNames: readonly string[] = [];

  constructor(config: OptimizerConfig, defaults: { name: string; learningRate: number }) {
    const what = (this.constructor as typeof Optimizer).className;
    this.name = config.name ?? defaults.name;
    this.store = new SlotStore(this.name);
    this.rate = checkLearningRate(config.learningRate ?? defaults.learningRate, what);
    const checked = checkBaseConfig(config, what);
    this.weightDecay = checked.weightDecay;
    this.clipnorm = checked.clipnorm;
    this.clipvalue = checked.clipvalue;
    this.globalClipnorm = checked.globalClipnorm;
    this.useEma = checked.useEma;
    this.emaMomentum = checked.emaMomentum;
    this.emaOverwriteFrequency = checked.emaOverwriteFrequency;
    this.gradientAccumulationSteps = checked.gradientAccumulationSteps;
  }

  /**
   * The number of updates applied so far: the calls of applyGradients, divided by
   * gradientAccumulationSteps when accumulating. Bias corrections use it.
   */
  get iterations(): number {
    const every = this.gradientAccumulationSteps;
    return every === null ? this.calls : Math.floor(this.calls / every);
  }

  set iterations(value: number) {
    this.calls = value * (this.gradientAccumulationSteps ?? 1);
  }

  /** The learning rate or schedule; a number assigned here applies from the next step. */
  get learningRate(): number | LearningRateSchedule {
    return this.rate;
  }

  set learningRate(value: number | LearningRateSchedule) {
    this.rate = checkLearningRate(value, `${this.name}.learningRate`);
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
    return typeof lr === 'number' ? lr : lr.call(this.calls);
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
    // Keras' base build adds these two per variable, interleaved, before the subclass's slots.
    const base: SlotSpec[] = [];
    if (this.useEma) base.push({ name: 'average', initial: 0 });
    if (this.gradientAccumulationSteps !== null) {
      base.push({ name: 'gradient_accumulator', initial: 0, interleaved: base.length > 0 });
    }
    return [...base, ...this.slotSpecs()];
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
    const every = this.gradientAccumulationSteps;
    if (every !== null) {
      for (const [g, v] of pairs) checkGradient(g, v, this.name);
      const averaged = accumulateGradients(
        pairs,
        (v) => this.slot('gradient_accumulator', this.store.indexOf(v)!),
        every,
        (this.calls + 1) % every === 0,
      );
      if (averaged === null) {
        if (this.useEma) this.updateAverages();
        this.calls += 1;
        return;
      }
      pairs = averaged;
    }
    const lr = this.currentLearningRate();
    const clip: ClipOptions = {
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
    const grads = clipGradients(pairs, clip, this.name, this.gradientScratch);

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
    this.calls += 1;
  }

  /**
   * One step on a loss: evaluates `loss()`, backpropagates into `variables`, applies the
   * gradients (variables that got none are skipped) and returns the loss value, as TF.js'
   * `optimizer.minimize` and Keras' `optimizer.minimize(loss, var_list)`.
   *
   * @example
   * const w = new Variable(tensor([10]));
   * new RMSprop({ learningRate: 0.1 }).minimize(() => div(square(w), 2), [w]); // w → 9.683772
   */
  minimize(loss: () => Tensor, variables: readonly Variable[]): number {
    for (const v of variables) v.grad = null;
    const value = loss();
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw invalidArgument(
        `${this.name}.minimize: the loss function must return a scalar Tensor. Received: ` +
          `${value instanceof Tensor ? `shape=${fmtShape(value.shape)}` : String(value)}.`,
      );
    }
    if (value.requiresGrad) value.backward();
    const pairs: GradientPair[] = [];
    for (const v of variables) if (v.grad !== null) pairs.push([v.grad, v]);
    if (pairs.length === 0) {
      throw new TensileError(
        'no_gradient',
        `${this.name}.minimize: no gradient reached any of the ${variables.length} variables. ` +
          `Check that the loss is computed from them.`,
      );
    }
    this.applyGradients(pairs);
    for (const v of variables) v.grad = null;
    return value.values[0]!;
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
    const state: OptimizerState = { iterations: this.calls, slots };
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
        `${this.name}.setState: iterations must be an integer >= 0. ` +
          `Received: iterations=${state.iterations}`,
      );
    }
    this.calls = state.iterations;
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
    checkSameShapes(`${this.name}.setWeights`, this.orderedState(), weights);
    let k = 0;
    this.calls = weights[k++]!.values[0]!;
    if (typeof this.learningRate === 'number') this.learningRate = weights[k++]!.values[0]!;
    for (const slot of this.slotOrder()) slot.values.set(weights[k++]!.values);
    for (const name of this.scalars.keys()) this.scalars.set(name, weights[k++]!.values[0]!);
  }

  /** The number of scalars in the optimizer's state, as summary() reports "Optimizer params". */
  countParams(): number {
    return this.orderedState().reduce((n, t) => n + t.size, 0);
  }

  private orderedState(): Tensor[] {
    const out: Tensor[] = [new Tensor(Int32Array.of(this.calls), [])];
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
      gradientAccumulationSteps: this.gradientAccumulationSteps,
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
