import { TensileError, invalidArgument } from '../errors.js';
import { InputLayer } from '../layers/base/input-layer.js';
import { Layer } from '../layers/base/layer.js';
import { deserializeLayer, registerLayer, serializeLayer } from '../layers/base/register.js';
import type { Config, JsonValue, Serialized } from '../layers/base/registry.js';
import { type SymbolicShape, SymbolicTensor } from '../layers/base/symbolic.js';
import { type DType, isFloat } from '../tensor/dtype.js';
import { Model } from './model.js';

export interface SequentialArgs {
  /** The layers in order; the first may be an `Input(...)` or an InputLayer. */
  layers?: readonly (Layer | SymbolicTensor)[];
  /** Default `sequential`, `sequential_1`, … */
  name?: string;
  trainable?: boolean;
}

/**
 * A plain stack of one-input, one-output layers. With an `Input` first (or `inputShape` on the
 * first layer) it is built at once and each `add` is shape-checked; otherwise it builds on its
 * first call, from the data's shape.
 * @example
 * const model = new Sequential({layers: [Input({shape: [784]}), new Dense({units: 10})]});
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;

  /** From `{layers, name}`, or from the list of layers alone as Keras' `Sequential([...])`. */
  constructor(argsOrLayers: SequentialArgs | readonly (Layer | SymbolicTensor)[] = {}) {
    const args: SequentialArgs = Array.isArray(argsOrLayers)
      ? { layers: argsOrLayers }
      : (argsOrLayers as SequentialArgs);
    super({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    for (const l of args.layers ?? []) this.add(l);
  }

  /** The layers, without the InputLayer (as Keras). */
  override get layers(): Layer[] {
    return this.stack.slice();
  }

  override get isSequential(): boolean {
    return true;
  }

  /** Appends a layer (or, first of all, an `Input`) and rewires the model if its input is known. */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.layer instanceof InputLayer)) {
        throw invalidArgument(
          'Sequential.add() takes layers, or an Input() as the first element. Received a ' +
            `tensor from layer ${layer.layer.name}; use the functional API for graphs.`,
        );
      }
      layer = layer.layer;
    }
    if (!(layer instanceof Layer)) {
      throw invalidArgument(`Sequential.add() takes a Layer. Received: ${String(layer)}`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputLayer !== null) {
        throw invalidArgument(
          `An InputLayer can only come first in a Sequential model; ${this.name} already has ` +
            `${this.inputLayer !== null ? 'one' : 'layers'}.`,
        );
      }
      this.inputLayer = layer;
      return;
    }
    if (this.stack.includes(layer)) {
      throw invalidArgument(`Layer ${layer.name} is already in Sequential model ${this.name}.`);
    }
    this.stack.push(layer);
    this.track(layer, false);
    try {
      this.rewire();
    } catch (e) {
      this.stack.pop();
      this.untrack(layer);
      this.rewire();
      throw e;
    }
  }

  /** Removes the last layer. */
  pop(): Layer {
    const last = this.stack.pop();
    if (last === undefined) {
      throw invalidArgument(`Sequential model ${this.name} has no layers to pop.`);
    }
    this.untrack(last);
    this.dropStaleNodes([last]);
    this.rewire();
    return last;
  }

  /** Builds for inputs of this shape (batch first, null where unknown). */
  override build(inputShape: SymbolicShape): void {
    if (this.inputLayer === null) {
      this.inputLayer = new InputLayer({
        batchShape: inputShape,
        dtype: this.inputDtype(this.buildDtypes?.[0]),
      });
    }
    this.rewire();
    if (this.graph === null) {
      throw new TensileError(
        'not_built',
        `Sequential model ${this.name} has no layers to build. Add layers with model.add(...) ` +
          'before calling it.',
      );
    }
  }

  /**
   * The dtype of the Input a Sequential model makes for itself: integer data (token ids for an
   * Embedding) stays integer; float data takes the first layer's float dtype, so a float64 stack
   * is fed float64 rather than rounded through float32 on the way in.
   */
  private inputDtype(dataDtype: DType | undefined): DType {
    if (dataDtype !== undefined && !isFloat(dataDtype)) return dataDtype;
    const first = this.stack[0] === undefined ? undefined : dtypeTaken(this.stack[0]);
    return first !== undefined && isFloat(first) ? first : (dataDtype ?? 'float32');
  }

  /** Wires Input → layers as a functional graph when the input shape is known. */
  private rewire(): void {
    const first = this.stack[0];
    if (this.inputLayer === null && first?.batchInputShape) {
      this.inputLayer = new InputLayer({
        batchShape: first.batchInputShape,
        dtype: this.inputDtype(undefined),
      });
    }
    // A built one-input model first (Keras' Sequential([encoder, ...])) says the input shape.
    if (this.inputLayer === null && first instanceof Model && first.graph !== null) {
      if (first.inputs.length === 1) {
        this.inputLayer = new InputLayer({
          batchShape: first.inputs[0]!.shape,
          dtype: first.inputs[0]!.dtype,
        });
      }
    }
    if (this.inputLayer === null || this.stack.length === 0) {
      this.graph = null;
      this.built = false;
      // Until the first call builds it, the model still has one input and one output; the
      // training engine reads their names before its first forward pass.
      this.inputNames = [`${this.name}_input`];
      this.outputNames = this.stack.length === 0 ? [] : [this.stack[this.stack.length - 1]!.name];
      return;
    }
    this.dropStaleNodes(this.stack);
    // A layer that rejects its input leaves no half-made nodes behind.
    const before = this.stack.map((l) => l.inboundNodes.length);
    try {
      let x = this.inputLayer.output;
      for (const layer of this.stack) {
        const outs = layer.applyMany(x);
        if (outs.length !== 1) {
          throw invalidArgument(
            `All layers of a Sequential model must have one output; ${layer.name} has ` +
              `${outs.length}. Use the functional API.`,
          );
        }
        x = outs[0]!;
      }
      this.initGraph(this.inputLayer.output, x);
    } catch (e) {
      this.stack.forEach(
        (l, i) => (l.inboundNodes.length = Math.min(l.inboundNodes.length, before[i]!)),
      );
      throw e;
    }
  }

  /**
   * Forgets the nodes of the previous wiring, so each layer keeps one node per model and
   * `layer.output` stays unambiguous. Only trailing nodes go: a layer also called elsewhere
   * since then keeps everything, which leaves node indices intact.
   */
  private dropStaleNodes(layers: readonly Layer[]): void {
    const stale = this.nodes;
    if (stale.size === 0) return;
    for (const layer of layers) {
      const nodes = layer.inboundNodes;
      while (nodes.length > 0 && stale.has(nodes[nodes.length - 1]!)) nodes.pop();
    }
  }

  override getConfig(): Config {
    const layers: Serialized[] = [];
    if (this.inputLayer !== null) layers.push(serializeLayer(this.inputLayer));
    for (const l of this.stack) layers.push(serializeLayer(l));
    return { name: this.name, trainable: this.trainable, layers: layers as unknown as JsonValue[] };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const layers = (config['layers'] as unknown as Serialized[]).map(deserializeLayer);
    return new Sequential({
      name: config['name'] as string,
      trainable: config['trainable'] as boolean,
      layers,
    }) as unknown as T;
  }
}

/**
 * The dtype a layer takes its input in: a built model's Input dtype, an unbuilt Sequential's
 * first layer's (a stack nested in a stack), or the layer's own dtype.
 */
function dtypeTaken(layer: Layer): DType | undefined {
  if (layer instanceof Model && layer.graph !== null) return layer.inputs[0]?.dtype;
  if (layer instanceof Sequential) {
    const first = layer.layers[0];
    return first === undefined ? undefined : dtypeTaken(first);
  }
  return layer.dtype;
}

registerLayer(Sequential);
