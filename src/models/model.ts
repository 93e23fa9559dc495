import { TensileError, invalidArgument } from '../errors.js';
import { collectLosses } from '../layers/base/context.js';
import { InputLayer } from '../layers/base/input-layer.js';
import { type CallManyOptions, Layer } from '../layers/base/layer.js';
import { deserializeLayer, registerLayer, serializeLayer } from '../layers/base/register.js';
import type { Config, Serialized } from '../layers/base/registry.js';
import {
  type Node,
  type SymbolicShape,
  SymbolicTensor,
  formatShape,
} from '../layers/base/symbolic.js';
import { getLogger } from '../logger.js';
import { cast } from '../ops/elementwise.js';
import { type DType, isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type CompileArgs,
  type EvaluateArgs,
  type FitArgs,
  type ModelData,
  type OnBatchArgs,
  type PredictArgs,
  type TrainableModel,
  compileModel,
  evaluateModel,
  fitModel,
  predictModel,
  predictOnBatchModel,
  resetMetricsModel,
  testOnBatchModel,
  trainOnBatchModel,
} from '../training/model-methods.js';
import { functionalConfig, rebuildGraph } from './functional-config.js';
import { type Graph, checkModelInputs, mapGraph } from './graph.js';
import { type OptimizerView, type SummaryOptions, printSummary } from './summary.js';

/** One symbolic tensor, an array of them, or a record of them by name. */
export type SymbolicStructure =
  SymbolicTensor | readonly SymbolicTensor[] | Readonly<Record<string, SymbolicTensor>>;

export interface ModelArgs {
  inputs: SymbolicStructure;
  outputs: SymbolicStructure;
  /** Default `functional`, `functional_1`, … */
  name?: string;
  trainable?: boolean;
}

/** Flattens a structure to a list and the names its record keys give, if it is a record. */
function flattenStructure(
  s: SymbolicStructure,
  what: string,
): { list: SymbolicTensor[]; keys: string[] | null } {
  if (s instanceof SymbolicTensor) return { list: [s], keys: null };
  if (Array.isArray(s)) return { list: s.slice() as SymbolicTensor[], keys: null };
  if (typeof s === 'object' && s !== null) {
    const entries = Object.entries(s as Record<string, SymbolicTensor>);
    return { list: entries.map(([, v]) => v), keys: entries.map(([k]) => k) };
  }
  throw invalidArgument(
    `Model ${what} must be symbolic tensors from Input() and layer calls. Received: ${String(s)}`,
  );
}

/**
 * A functional model: a graph of layers from `inputs` to `outputs`, built by calling layers on
 * `Input()` tensors. It is itself a layer, so it can be called inside another model; and it
 * trains with compile/fit (src/training).
 * @example
 * const inputs = Input({shape: [28, 28]});
 * const x = new Dense({units: 128, activation: 'relu'}).apply(new Flatten().apply(inputs));
 * const model = new Model({inputs, outputs: new Dense({units: 10}).apply(x)});
 */
export class Model extends Layer implements TrainableModel {
  static override readonly className: string = 'Functional';

  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  inputNames: string[] = [];
  outputNames: string[] = [];
  /** Set by a callback to end fit() after the current batch. */
  stopTraining = false;
  /** The training engine may attach its optimizer here; summary() then counts its variables. */
  optimizer: OptimizerView | null = null;
  /** @internal */
  graph: Graph | null = null;
  /** @internal The keys of `inputs`/`outputs` given as records, so getConfig keeps them. */
  inputKeys: string[] | null = null;
  /** @internal */
  outputKeys: string[] | null = null;

  /**
   * `new Model({inputs, outputs})` wires a functional model. A subclass may instead pass only
   * `{name}`, create its layers with `this.track(new Dense(...))` and override `call`, as a
   * subclassed Keras model; it builds on its first call.
   */
  constructor(args: ModelArgs | { name?: string; trainable?: boolean } = {}) {
    super({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    this.autocast = false;
    // A subclassed model has one input and one output until its own call says otherwise.
    this.inputNames = ['input_1'];
    this.outputNames = ['output_1'];
    if ('inputs' in args || 'outputs' in args) {
      const a = args as ModelArgs;
      if (a.inputs === undefined || a.outputs === undefined) {
        throw invalidArgument(
          'new Model() needs both inputs and outputs, e.g. new Model({inputs, outputs}).',
        );
      }
      this.initGraph(a.inputs, a.outputs);
    }
  }

  /** @internal Wires the graph; Sequential calls it again whenever its layers change. */
  protected initGraph(inputs: SymbolicStructure, outputs: SymbolicStructure): void {
    const ins = flattenStructure(inputs, 'inputs');
    const outs = flattenStructure(outputs, 'outputs');
    outs.list.forEach((o, i) => {
      if (!(o instanceof SymbolicTensor)) {
        throw invalidArgument(
          `Model outputs[${i}] is not a symbolic tensor. Received: ${String(o)}`,
        );
      }
    });
    this.inputs = checkModelInputs(ins.list);
    this.outputs = outs.list;
    this.graph = mapGraph(this.inputs, this.outputs);

    const used = new Set(this.graph.executionOrder.map((n) => n.layer));
    for (const x of this.inputs) {
      if (!used.has(x.layer)) {
        getLogger().warn(`Model ${this.name}: input ${x.layer.name} is not used by any output.`);
      }
    }
    this.inputKeys = ins.keys;
    this.outputKeys = outs.keys;
    this.inputNames = ins.keys ?? this.inputs.map((x) => x.layer.name);
    this.outputNames = outs.keys ?? this.outputs.map((x) => x.layer.name);
    for (const l of this.graph.layers) {
      if (!(l instanceof InputLayer)) this.track(l, false);
    }
    // A model created frozen freezes the layers it wires in.
    if (!this.trainable) this.trainable = false;
    this.buildShapes = this.inputs.map((x) => x.shape);
    this.setDtype(graphDtype(this.inputs, this.outputs));
    this.built = true;
  }

  /**
   * The model's layers: Keras' order, InputLayers included (Sequential leaves them out). A
   * subclass without a graph lists the layers it tracked.
   */
  get layers(): Layer[] {
    return this.graph === null ? this.trackedLayers.slice() : this.graph.layers.slice();
  }

  /** The model's own input (Keras' `model.input`); `inputs` lists several. */
  override get input(): SymbolicTensor {
    this.assertHasGraph('input');
    if (this.inputs.length !== 1) {
      throw invalidArgument(
        `Model ${this.name} has ${this.inputs.length} inputs; ` +
          `use model.inputs instead of model.input.`,
      );
    }
    return this.inputs[0]!;
  }

  /** The model's own output (Keras' `model.output`); `outputs` lists several. */
  override get output(): SymbolicTensor {
    this.assertHasGraph('output');
    if (this.outputs.length !== 1) {
      throw invalidArgument(
        `Model ${this.name} has ${this.outputs.length} outputs; ` +
          `use model.outputs instead of model.output.`,
      );
    }
    return this.outputs[0]!;
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found =
      typeof nameOrIndex === 'number'
        ? layers[nameOrIndex]
        : layers.find((l) => l.name === nameOrIndex);
    if (found === undefined) {
      throw invalidArgument(
        `Model ${this.name} has no layer ${JSON.stringify(nameOrIndex)}. Layers: ` +
          `${layers.map((l) => l.name).join(', ')}.`,
      );
    }
    return found;
  }

  // ---- running ---------------------------------------------------------------------------------

  /** TrainableModel: runs on concrete tensors; returns outputs and this pass's penalties. */
  forward(inputs: readonly Tensor[], training: boolean): { outputs: Tensor[]; losses: Tensor[] } {
    if (!this.built) {
      this.maybeBuild(
        inputs.map((x) => [null, ...x.shape.slice(1)]),
        undefined,
        inputs.map((x) => x.dtype),
      );
    }
    const { value, losses } = collectLosses(() =>
      this.graph === null ? this.invoke(inputs, training) : this.runGraph(inputs, training),
    );
    return { outputs: value, losses: [...losses, ...this.regularizationLosses()] };
  }

  /** A graph model runs its graph; a subclass without one runs its own `call`. */
  override callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    if (this.graph === null && !this.isSequential) return super.callMany(xs, options);
    return this.runGraph(xs, options.training);
  }

  /** @internal Evaluates every node in order on concrete tensors. */
  runGraph(inputs: readonly Tensor[], training: boolean): Tensor[] {
    const graph = this.requireGraph();
    this.checkInputCount(inputs.length);
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((s, i) => {
      const x = inputs[i]!;
      checkCompatible(s.shape, x.shape, `input ${this.inputNames[i]} of model ${this.name}`);
      values.set(s, x.dtype === s.dtype ? x : cast(x, s.dtype));
    });
    for (const node of graph.executionOrder) {
      if (node.layer instanceof InputLayer) continue;
      const xs = node.inputs.map((t) => values.get(t)!);
      const ys = node.layer.invoke(xs, node.training ?? training);
      node.outputs.forEach((t, i) => values.set(t, ys[i]!));
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  override computeOutputShapes(inputShapes: readonly SymbolicShape[]): SymbolicShape[] {
    // A subclassed model finds its output shape by running its call once.
    if (this.graph === null && !this.isSequential) return super.computeOutputShapes(inputShapes);
    const graph = this.requireGraph();
    this.checkInputCount(inputShapes.length);
    const shapes = new Map<SymbolicTensor, SymbolicShape>();
    this.inputs.forEach((s, i) => {
      checkCompatible(
        s.shape,
        inputShapes[i] ?? [],
        `input ${this.inputNames[i]} of model ${this.name}`,
      );
      shapes.set(s, inputShapes[i]!);
    });
    for (const node of graph.executionOrder) {
      if (node.layer instanceof InputLayer) continue;
      const out = node.layer.computeOutputShapes(node.inputs.map((t) => shapes.get(t)!));
      node.outputs.forEach((t, i) => shapes.set(t, out[i]!));
    }
    return this.outputs.map((t) => shapes.get(t)!);
  }

  override computeOutputDtypes(inputDtypes: readonly DType[], outputCount: number): DType[] {
    if (this.graph === null) return super.computeOutputDtypes(inputDtypes, outputCount);
    return this.outputs.map((t) => t.dtype);
  }

  /** A subclassed or unbuilt model has no symbolic ends to hand out. */
  private assertHasGraph(what: string): void {
    if (this.graph !== null) return;
    throw new TensileError(
      'not_built',
      `Model ${this.name} (${this.className}) has no model.${what}: ` +
        (this.isSequential
          ? 'it is not built yet. Start it with an Input(), or call it on data first.'
          : 'it is subclassed, so its call() is code, not a graph. Call it on an Input() ' +
            'inside a functional model, and take the symbolic tensors from there.'),
    );
  }

  /** Calling a model on symbolic tensors or on data, the count must match `inputs`. */
  private checkInputCount(received: number): void {
    if (received === this.inputs.length) return;
    throw invalidArgument(
      `Model ${this.name} expects ${this.inputs.length} ` +
        `input(s) (${this.inputNames.join(', ')}), ` +
        `but received ${received}. Pass one tensor per input, in the order of model.inputs.`,
    );
  }

  private requireGraph(): Graph {
    if (this.graph === null) {
      throw new TensileError(
        'not_built',
        `Model ${this.name} has no layers wired yet. Add an Input or call the model on data first.`,
      );
    }
    return this.graph;
  }

  /** The nodes of this model (Keras' `_nodes_by_depth` values), for summary's Connected to. */
  get nodes(): Set<Node> {
    return new Set(this.graph?.executionOrder ?? []);
  }

  /** @internal Depth → nodes, 0 at the outputs. */
  get nodesByDepth(): ReadonlyMap<number, readonly Node[]> {
    return this.graph?.nodesByDepth ?? new Map();
  }

  /** @internal True for Sequential, whose summary is always a chain. */
  get isSequential(): boolean {
    return false;
  }

  // ---- inspection ------------------------------------------------------------------------------

  /** Prints Keras 3's summary table (or hands it to `printFn`). */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  override getConfig(): Config {
    if (this.graph === null && !this.isSequential) {
      throw new TensileError(
        'not_supported',
        `Model ${this.name} (${this.className}) is subclassed: its call() is code, not a graph, ` +
          'so there is no config to save. Override getConfig() and fromConfig() and register ' +
          'the class with registerLayer(), or build the model with the functional API.',
      );
    }
    return functionalConfig(this);
  }

  /** Rebuilds a functional model (layers and wiring) from `getConfig()`'s output. */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const { inputs, outputs } = rebuildGraph(config);
    return new Model({
      inputs,
      outputs,
      name: config['name'] as string,
      trainable: config['trainable'] as boolean,
    }) as unknown as T;
  }

  /** The architecture as JSON (Keras' `to_json`): `{className, config}`, no weights. */
  toJSON(): string {
    return JSON.stringify(serializeLayer(this));
  }

  // ---- training: forwarded to src/training ----------------------------------------------------

  compile(...args: CompileArgs): void {
    return compileModel(this, ...args);
  }

  fit(...args: FitArgs): ReturnType<typeof fitModel> {
    return fitModel(this, ...args);
  }

  evaluate(...args: EvaluateArgs): ReturnType<typeof evaluateModel> {
    return evaluateModel(this, ...args);
  }

  predict(...args: PredictArgs): ReturnType<typeof predictModel> {
    return predictModel(this, ...args);
  }

  trainOnBatch(...args: OnBatchArgs): ReturnType<typeof trainOnBatchModel> {
    return trainOnBatchModel(this, ...args);
  }

  testOnBatch(...args: OnBatchArgs): ReturnType<typeof testOnBatchModel> {
    return testOnBatchModel(this, ...args);
  }

  /** Clears the running loss and metric states, as Keras' `reset_metrics()`. */
  resetMetrics(): void {
    resetMetricsModel(this);
  }

  predictOnBatch(x: ModelData): ReturnType<typeof predictOnBatchModel> {
    return predictOnBatchModel(this, x);
  }
}

/**
 * A functional model's dtype: what it computes in, read off its graph rather than defaulted, so
 * a model on a float64 Input with float64 layers is a float64 model. The first float output
 * decides; failing that the first float input; failing that float32.
 */
function graphDtype(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): DType {
  const float = (ts: readonly SymbolicTensor[]): DType | undefined =>
    ts.find((t) => isFloat(t.dtype))?.dtype;
  return float(outputs) ?? float(inputs) ?? 'float32';
}

/** Throws when a tensor's shape cannot feed a symbolic one (rank, or a fixed size differs). */
export function checkCompatible(expected: SymbolicShape, got: SymbolicShape, what: string): void {
  const ok =
    expected.length === got.length &&
    expected.every((d, i) => d === null || got[i] === null || d === got[i]);
  if (!ok) {
    const hint =
      got.length === expected.length - 1
        ? ' The batch axis is missing: a single sample needs a leading axis of size 1, e.g. ' +
          `reshape(x, ${JSON.stringify([1, ...got])}).`
        : got.length !== expected.length
          ? ` The model takes inputs of rank ${expected.length}; reshape the data, or build ` +
            'the model on an Input of the shape the data has.'
          : ' Pass data whose sizes match the Input the model was built on, or build it on an ' +
            'Input with null where sizes vary.';
    throw new TensileError(
      'shape_mismatch',
      `Incompatible shape for ${what}: expected ${formatShape(expected)}, received ` +
        `${formatShape(got)}.${hint}`,
    );
  }
}

registerLayer(Model);

/** Rebuilds a model from `model.toJSON()` (Keras' `model_from_json`), with fresh weights. */
export function modelFromJSON(json: string): Model {
  const layer = deserializeLayer(JSON.parse(json) as Serialized);
  if (!(layer instanceof Model)) {
    throw invalidArgument(`modelFromJSON: the JSON describes a ${layer.className}, not a model.`);
  }
  return layer;
}

/**
 * A new model with the same architecture and freshly initialized weights (Keras'
 * `clone_model`); copy the weights with `clone.setWeights(model.getWeights())`.
 */
export function cloneModel(model: Model): Model {
  return modelFromJSON(model.toJSON());
}
