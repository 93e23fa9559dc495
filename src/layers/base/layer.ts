import { TensileError, invalidArgument } from '../../errors.js';
import { cast } from '../../ops/elementwise.js';
import {
  type Regularizer,
  type RegularizerIdentifier,
  getRegularizer,
  serializeRegularizer,
} from '../../regularizers/regularizers.js';
import { type DType, checkDType, isFloat } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import { getMask, reportLoss, setMask } from './context.js';
import { type InputSpec, checkInputSpecs } from './input-spec.js';
import { classNameOf, toSnakeCase, uniqueName } from './naming.js';
import type { Config, JsonValue } from './registry.js';
import { Node, type SymbolicShape, SymbolicTensor } from './symbolic.js';
import { traceOutputShapes, withTraceDtypes } from './trace.js';
import { type WeightOptions, WeightStore } from './weights.js';

export type { WeightOptions } from './weights.js';

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique name; Keras' automatic `dense`, `dense_1`, … when omitted. */
  name?: string;
  /** False freezes the layer: its weights get no gradients and count as non-trainable. */
  trainable?: boolean;
  /** dtype of the weights and of float outputs. Default 'float32'. */
  dtype?: DType;
  /** Shape of one sample (no batch dimension), so a Sequential model can build at once. */
  inputShape?: readonly (number | null)[];
  /** Fixed batch size that goes with `inputShape`. */
  batchSize?: number;
  /** A penalty on the layer's output, added to the training loss. */
  activityRegularizer?: RegularizerIdentifier;
}

/** What `call` receives besides its input. */
export interface CallOptions {
  /** True inside fit(): Dropout drops, BatchNormalization uses batch statistics. */
  training: boolean;
  /** The input's mask, when a masking layer upstream attached one. */
  mask: Tensor | null;
}

/** What `callMany` receives: one mask per input. */
export interface CallManyOptions {
  training: boolean;
  masks: readonly (Tensor | null)[];
}

/** Options of `apply`: `training` defaults to false; `mask` overrides the attached mask. */
export interface ApplyOptions {
  training?: boolean;
  mask?: Tensor | null;
}

/**
 * The base of every layer and model. A subclass creates its weights in `build(inputShape)` with
 * `addWeight`, computes in `call(x, options)`, says what comes out in `computeOutputShape`, and
 * lists its constructor options in `getConfig()`; see src/layers/README.md.
 *
 * Layers build lazily: the first `apply` on a symbolic tensor (functional API) or a concrete
 * tensor (eager use) calls `build` with the input's shape, batch dimension null.
 */
export abstract class Layer {
  static readonly className: string = 'Layer';

  readonly name: string;
  built = false;
  /** Checked on every call once set (usually in build); mismatches name the layer and shapes. */
  inputSpec: (InputSpec | null)[] | null = null;
  /** True when the layer passes an input mask through unchanged (Dense, Activation, …). */
  supportsMasking = false;
  /** Float inputs are cast to the layer's dtype, as Keras' autocast. */
  protected autocast = true;
  /** The calls of this layer on symbolic tensors, in order. */
  readonly inboundNodes: Node[] = [];
  /** The input shapes the layer was built with, batch dimension null. */
  buildShapes: SymbolicShape[] | null = null;
  /** The input dtypes of the call that built the layer, when known. */
  protected buildDtypes: readonly DType[] | null = null;
  /** `[batchSize, ...inputShape]` when the constructor got `inputShape`. */
  readonly batchInputShape: SymbolicShape | null;
  activityRegularizer: Regularizer | null;
  /** Losses added by the last eager call (activity regularization). */
  losses: Tensor[] = [];

  private dtypeValue: DType;
  private trainableFlag: boolean;
  private readonly store = new WeightStore();
  private readonly sublayers: Layer[] = [];
  /** The layer that tracks this one with its path, read when weights are named at build. */
  private parentLayer: Layer | null = null;
  private building = false;
  private readonly buildManyHook: (shapes: readonly SymbolicShape[]) => void;

  constructor(args: LayerArgs = {}) {
    const cls = this.constructor as typeof Layer;
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) {
      throw invalidArgument(`Layer names must be non-empty strings. Received: name=${args.name}`);
    }
    this.name = args.name ?? uniqueName(toSnakeCase(classNameOf(cls)));
    this.dtypeValue = checkDType(args.dtype ?? 'float32');
    this.trainableFlag = args.trainable ?? true;
    this.batchInputShape =
      args.inputShape === undefined ? null : [args.batchSize ?? null, ...args.inputShape];
    this.activityRegularizer =
      args.activityRegularizer === undefined ? null : getRegularizer(args.activityRegularizer);

    // As Keras wraps build(): a direct `layer.build(shape)` marks the layer built too, so the
    // first call does not build it a second time.
    // Inside a build in progress the hooks run directly (buildMany's default calls build).
    const build = this.build;
    const buildMany = this.buildMany;
    this.buildManyHook = (shapes) => buildMany.call(this, shapes);
    this.build = (shape) =>
      this.building
        ? build.call(this, shape)
        : this.maybeBuild([shape], () => build.call(this, shape));
    this.buildMany = (shapes) =>
      this.building
        ? this.buildManyHook(shapes)
        : this.maybeBuild(shapes, () => this.buildManyHook(shapes));
  }

  /** The registered class name, e.g. `Dense`. */
  get className(): string {
    return classNameOf(this.constructor as typeof Layer);
  }

  /** dtype of the weights and of float outputs. */
  get dtype(): DType {
    return this.dtypeValue;
  }

  /** For models, whose dtype follows the graph they wrap rather than a constructor option. */
  protected setDtype(dtype: DType): void {
    this.dtypeValue = dtype;
  }

  /** `outer/inner` for a layer tracked inside another; the name otherwise. */
  get path(): string {
    return this.parentLayer === null ? this.name : `${this.parentLayer.path}/${this.name}`;
  }

  // ---- hooks for subclasses -------------------------------------------------------------------

  /** Creates the weights from the input shape (batch dimension null). Default: none. */
  build(_inputShape: SymbolicShape): void {}

  /** Several-input layers override this instead of `build`. */
  buildMany(inputShapes: readonly SymbolicShape[]): void {
    this.build(this.onlyOne(inputShapes, 'build'));
  }

  /** The computation of a one-input, one-output layer. */
  call(_x: Tensor, _options: CallOptions): Tensor {
    throw new TensileError(
      'not_supported',
      `Layer ${this.name} (${this.className}) implements neither call() nor callMany().`,
    );
  }

  /** Several-input or several-output layers override this instead of `call`. */
  callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    const x = this.onlyOne(xs, 'call');
    return [this.call(x, { training: options.training, mask: options.masks[0] ?? null })];
  }

  /**
   * The output shape for an input shape, both with a null batch dimension. The default runs
   * `call` once on zeros (batch 1) to find out; layers override it to say it directly.
   */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return traceOutputShapes(this, [inputShape])[0]!;
  }

  /** Several-input or several-output layers override this instead of `computeOutputShape`. */
  computeOutputShapes(inputShapes: readonly SymbolicShape[]): SymbolicShape[] {
    if (inputShapes.length !== 1) return traceOutputShapes(this, inputShapes);
    return [this.computeOutputShape(inputShapes[0]!)];
  }

  /**
   * dtype of the outputs: the layer's dtype. Layers that only move values around (Flatten,
   * Reshape, Identity, …) override it to keep integer inputs integer.
   */
  computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  /** Several-output layers whose outputs differ in dtype override this: one dtype per output. */
  computeOutputDtypes(inputDtypes: readonly DType[], outputCount: number): DType[] {
    return new Array<DType>(outputCount).fill(this.computeOutputDtype(inputDtypes));
  }

  /** For shape-only layers: the layer's dtype for float inputs, the input's dtype otherwise. */
  protected passThroughDtype(inputDtypes: readonly DType[]): DType {
    const first = inputDtypes[0] ?? this.dtype;
    return isFloat(first) ? this.dtype : first;
  }

  /** The output's mask: the input mask passes through layers that support masking. */
  computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return this.supportsMasking ? mask : null;
  }

  /** Several-input or several-output layers override this instead: one mask per output. */
  computeMasks(xs: readonly Tensor[], masks: readonly (Tensor | null)[]): (Tensor | null)[] {
    return xs.length === 1 ? [this.computeMask(xs[0]!, masks[0] ?? null)] : [null];
  }

  /** The constructor options, JSON-safe, such that `fromConfig(getConfig())` rebuilds the layer. */
  getConfig(): Config {
    const config: Config = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape !== null) {
      config['inputShape'] = this.batchInputShape.slice(1) as JsonValue[];
      if (this.batchInputShape[0] !== null) config['batchSize'] = this.batchInputShape[0]!;
    }
    if (this.activityRegularizer !== null) {
      config['activityRegularizer'] = serializeRegularizer(
        this.activityRegularizer,
      ) as unknown as JsonValue;
    }
    return config;
  }

  /** Rebuilds a layer from `getConfig()`'s output. */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    return new this(config as never);
  }

  /**
   * The symbolic output of this layer's one call in a graph (Keras' `layer.output`), e.g. to
   * build a feature extractor from a model's inner layers.
   * @throws TensileError when the layer was called at several places or never.
   */
  get output(): SymbolicTensor {
    const outs = this.onlyNode('output').outputs;
    if (outs.length !== 1) {
      throw invalidArgument(
        `Layer ${this.name} has ${outs.length} outputs; use layer.outputsOf(0).`,
      );
    }
    return outs[0]!;
  }

  /** The symbolic input of this layer's one call in a graph (Keras' `layer.input`). */
  get input(): SymbolicTensor {
    const ins = this.onlyNode('input').inputs;
    if (ins.length !== 1) {
      throw invalidArgument(`Layer ${this.name} has ${ins.length} inputs; use layer.inboundNodes.`);
    }
    return ins[0]!;
  }

  /** All symbolic outputs of the layer's call number `nodeIndex`. */
  outputsOf(nodeIndex: number): SymbolicTensor[] {
    const node = this.inboundNodes[nodeIndex];
    if (node === undefined) {
      throw invalidArgument(
        `Layer ${this.name} has ${this.inboundNodes.length} call(s) in graphs. ` +
          `Received: nodeIndex=${nodeIndex}`,
      );
    }
    return node.outputs.slice();
  }

  private onlyNode(what: string): Node {
    if (this.inboundNodes.length !== 1) {
      throw invalidArgument(
        `Layer ${this.name} (${this.className}) has been called ${this.inboundNodes.length} ` +
          `times in graphs, so layer.${what} is ambiguous. Use layer.outputsOf(nodeIndex).`,
      );
    }
    return this.inboundNodes[0]!;
  }

  // ---- weights ---------------------------------------------------------------------------------

  /** Creates a weight, named `<layer path>/<name>`, and tracks it. Call it from `build`. */
  addWeight(options: WeightOptions): Variable {
    return this.store.add(`${this.path}/${options.name}`, options, this.dtype, this.trainableFlag);
  }

  /**
   * Tracks a layer used inside this one, so its weights count as this layer's. Its weights are
   * named under this layer's path (`outer/inner/kernel`) unless `nestPath` is false (models).
   */
  protected track<L extends Layer>(layer: L, nestPath = true): L {
    if (!this.sublayers.includes(layer)) {
      this.sublayers.push(layer);
      if (nestPath) layer.parentLayer = this;
    }
    return layer;
  }

  /** Stops tracking a layer (Sequential.pop). */
  protected untrack(layer: Layer): void {
    const i = this.sublayers.indexOf(layer);
    if (i >= 0) this.sublayers.splice(i, 1);
  }

  /** The layers tracked inside this one (a model's layers, a wrapper's inner layer). */
  get trackedLayers(): readonly Layer[] {
    return this.sublayers;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** Freezing a layer freezes its sublayers and every weight they own. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    this.store.setTrainable(value);
    for (const l of this.sublayers) l.trainable = value;
  }

  /** All weights: own trainable, own non-trainable, then sublayers'. No duplicates. */
  get weights(): Variable[] {
    const own = this.store.variables();
    const seen = new Set<Variable>(own);
    for (const l of this.sublayers) {
      for (const w of l.weights) {
        if (!seen.has(w)) {
          seen.add(w);
          own.push(w);
        }
      }
    }
    return own;
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  /** The weights' values as copies, in `weights` order. */
  getWeights(): Tensor[] {
    this.assertBuilt('getWeights()');
    return this.weights.map((w) => new Tensor(w.values.slice(), w.shape));
  }

  /** Overwrites the weights in `weights` order; count and shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    this.assertBuilt('setWeights()');
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw invalidArgument(
        `Layer ${this.name} has ${weights.length} weights; setWeights() received ` +
          `${values.length}. Pass one tensor per weight, in the order of layer.weights.`,
      );
    }
    // All shapes are checked before any weight changes, so a bad list leaves the layer as it was.
    weights.forEach((w, i) => {
      const v = values[i];
      const same =
        v instanceof Tensor &&
        v.shape.length === w.shape.length &&
        v.shape.every((d, k) => d === w.shape[k]);
      if (!same) {
        throw new TensileError(
          'shape_mismatch',
          `Layer ${this.name}: setWeights() received values[${i}] of shape ` +
            `${v instanceof Tensor ? JSON.stringify(v.shape) : String(v)} ` +
            `for weight ${w.name ?? i} ` +
            `of shape ${JSON.stringify(w.shape)}. Pass one tensor per weight, in the order of ` +
            'layer.weights (as getWeights() returns them).',
        );
      }
    });
    weights.forEach((w, i) => w.assign(values[i]!));
  }

  /** The number of scalars in all weights. */
  countParams(): number {
    this.assertBuilt('countParams()');
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The weight penalties of this layer and its sublayers, computed from the current values. */
  regularizationLosses(): Tensor[] {
    return [
      ...this.store.regularizationLosses(),
      ...this.sublayers.flatMap((l) => l.regularizationLosses()),
    ];
  }

  /** Projects every constrained weight in place; the training engine calls it after each step. */
  applyConstraints(): void {
    this.store.applyConstraints();
    for (const l of this.sublayers) l.applyConstraints();
  }

  /** Records a loss of this call (e.g. an activity penalty) for the training engine. */
  addLoss(loss: Tensor): void {
    this.losses.push(loss);
    reportLoss(loss);
  }

  protected assertBuilt(what: string): void {
    if (!this.built) {
      throw new TensileError(
        'not_built',
        `Layer ${this.name} (${this.className}) has not been built yet, so ${what} has no ` +
          `weights to work on. Call the layer on an input first, or build it with ` +
          `layer.build(inputShape).`,
      );
    }
  }

  // ---- calling ---------------------------------------------------------------------------------

  /**
   * Calls the layer. On symbolic tensors (from `Input`) it records a graph node and returns
   * symbolic outputs; on tensors it computes, and autograd records the computation.
   * @throws TensileError when the layer returns several outputs (use `applyMany`).
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: ApplyOptions): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], options?: ApplyOptions): Tensor;
  apply(
    inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[],
    options: ApplyOptions = {},
  ): SymbolicTensor | Tensor {
    const outputs = this.applyMany(inputs as never, options) as (SymbolicTensor | Tensor)[];
    if (outputs.length !== 1) {
      throw invalidArgument(
        `Layer ${this.name} (${this.className}) returns ${outputs.length} outputs; use ` +
          `applyMany() to receive them as an array.`,
      );
    }
    return outputs[0]!;
  }

  /** Like `apply`, returning every output as an array. */
  applyMany(
    inputs: SymbolicTensor | readonly SymbolicTensor[],
    options?: ApplyOptions,
  ): SymbolicTensor[];
  applyMany(inputs: Tensor | readonly Tensor[], options?: ApplyOptions): Tensor[];
  applyMany(
    inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[],
    options: ApplyOptions = {},
  ): (SymbolicTensor | Tensor)[] {
    const list = Array.isArray(inputs)
      ? (inputs as (SymbolicTensor | Tensor)[])
      : [inputs as SymbolicTensor | Tensor];
    if (list.length === 0) {
      throw invalidArgument(`Layer ${this.name} (${this.className}) was called with no inputs.`);
    }
    if (list.every((x) => x instanceof SymbolicTensor)) {
      return this.callSymbolic(list as SymbolicTensor[], options);
    }
    if (list.every((x) => x instanceof Tensor)) return this.callEager(list as Tensor[], options);
    throw invalidArgument(
      `Layer ${this.name} (${this.className}) was called on a mix of symbolic tensors and ` +
        `tensors, or on something else. Pass only Input()-derived tensors or only Tensors.`,
    );
  }

  /**
   * @internal Builds from input shapes once. `dtypes`, when the caller knows them, are kept in
   * `buildDtypes` for the build to read (a Sequential model gives its Input the data's dtype).
   */
  maybeBuild(shapes: readonly SymbolicShape[], hook?: () => void, dtypes?: readonly DType[]): void {
    if (this.built || this.building) return;
    this.buildDtypes = dtypes ?? null;
    this.building = true;
    try {
      this.withLayerContext(hook ?? (() => this.buildManyHook(shapes)));
    } finally {
      this.building = false;
    }
    this.buildShapes = shapes.map((s) => s.slice());
    this.built = true;
  }

  /** @internal Runs a node's computation on concrete tensors: no build, no graph recording. */
  invoke(xs: readonly Tensor[], training: boolean, masks?: readonly (Tensor | null)[]): Tensor[] {
    return this.callEager(xs, { training }, masks);
  }

  private callSymbolic(xs: SymbolicTensor[], options: ApplyOptions): SymbolicTensor[] {
    const shapes = xs.map((x) => x.shape);
    this.maybeBuild(
      shapes,
      undefined,
      xs.map((x) => x.dtype),
    );
    this.checkInputs(shapes);
    const inDtypes = xs.map((x) => x.dtype);
    // A traced call sees the dtypes an eager call would, after autocast.
    const castDtypes = inDtypes.map((d) => (this.autocasts(d) ? this.dtype : d));
    const { value: outShapes, traced } = withTraceDtypes(this, castDtypes, () =>
      this.withLayerContext(() => this.computeOutputShapes(shapes)),
    );
    const dtypes = traced ?? this.computeOutputDtypes(inDtypes, outShapes.length);
    const node = new Node(this, xs, this.inboundNodes.length, options.training);
    node.outputs = outShapes.map((s, i) => new SymbolicTensor(s, dtypes[i]!, node, i));
    this.inboundNodes.push(node);
    return node.outputs.slice();
  }

  private callEager(
    inputs: readonly Tensor[],
    options: ApplyOptions,
    givenMasks?: readonly (Tensor | null)[],
  ): Tensor[] {
    const xs = inputs.map((x) => (this.autocasts(x.dtype) ? cast(x, this.dtype) : x));
    this.maybeBuild(
      xs.map((x) => [null, ...x.shape.slice(1)]),
      undefined,
      xs.map((x) => x.dtype),
    );
    this.checkInputs(xs.map((x) => x.shape));
    const masks =
      givenMasks ??
      (options.mask !== undefined && xs.length === 1 ? [options.mask] : inputs.map(getMask));
    const training = options.training ?? false;

    this.losses = [];
    const outputs = this.withLayerContext(() => this.callMany(xs, { training, masks }));
    this.computeMasks(xs, masks).forEach((mask, i) => {
      if (mask !== null && outputs[i] !== undefined) setMask(outputs[i]!, mask);
    });
    if (this.activityRegularizer !== null) {
      for (const y of outputs) this.addLoss(this.activityRegularizer.call(y));
    }
    return outputs;
  }

  /** Keras' autocast: float inputs of another float dtype are cast to the layer's. */
  private autocasts(dtype: DType): boolean {
    return this.autocast && isFloat(dtype) && isFloat(this.dtype) && dtype !== this.dtype;
  }

  private checkInputs(shapes: readonly SymbolicShape[]): void {
    if (this.inputSpec === null) return;
    checkInputSpecs(this.inputSpec, shapes, `${this.name} (${this.className})`);
  }

  /** Adds the layer's name to shape and argument errors thrown by its own hooks. */
  private withLayerContext<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TensileError && e.code !== 'internal' && !e.message.includes(this.name)) {
        const wrapped = new TensileError(
          e.code,
          `Layer ${this.name} (${this.className}): ${e.message}`,
        );
        if (e.stack !== undefined) wrapped.stack = e.stack;
        throw wrapped;
      }
      throw e;
    }
  }

  private onlyOne<T>(items: readonly T[], what: string): T {
    if (items.length !== 1) {
      throw invalidArgument(
        `Layer ${this.name} (${this.className}) takes one input, but ${what} received ` +
          `${items.length}. Merge several tensors first, e.g. with concatenate([...]).`,
      );
    }
    return items[0]!;
  }

  toString(): string {
    return `${this.className}(name=${this.name})`;
  }
}
