import type { DType } from '../../tensor/dtype.js';
import type { Layer } from './layer.js';

/** A shape with unknown sizes as null, the batch dimension first: `[null, 28, 28, 1]`. */
export type SymbolicShape = readonly (number | null)[];

/**
 * A placeholder for a tensor in a functional graph: it has a shape (null where unknown) and a
 * dtype but no values. `Input()` makes one; calling a layer on one records a `Node` and returns
 * new symbolic tensors, so a whole model's shapes are known before any data flows.
 */
export class SymbolicTensor {
  readonly shape: SymbolicShape;
  readonly dtype: DType;
  /** The call that produced this tensor and which of its outputs this is. */
  readonly node: Node;
  readonly tensorIndex: number;

  constructor(shape: SymbolicShape, dtype: DType, node: Node, tensorIndex: number) {
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.node = node;
    this.tensorIndex = tensorIndex;
  }

  /** The layer that produced this tensor. */
  get layer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** `input_layer[0][0]`-style reference, as summary() prints it. */
  get name(): string {
    return `${this.node.layer.name}[${this.node.index}][${this.tensorIndex}]`;
  }

  toString(): string {
    return (
      `<SymbolicTensor shape=${formatShape(this.shape)} ` + `dtype=${this.dtype} from ${this.name}>`
    );
  }
}

/**
 * One call of a layer in a graph: its symbolic inputs and outputs. A layer called at several
 * places (a shared layer) has several nodes and one set of weights.
 */
export class Node {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  outputs: readonly SymbolicTensor[] = [];
  /** Position in `layer.inboundNodes`. */
  readonly index: number;
  /** Call options fixed at graph construction, e.g. `{training: false}`. */
  readonly training: boolean | undefined;

  constructor(layer: Layer, inputs: readonly SymbolicTensor[], index: number, training?: boolean) {
    this.layer = layer;
    this.inputs = inputs;
    this.index = index;
    this.training = training;
  }

  /** The nodes whose outputs feed this one. */
  get parentNodes(): Node[] {
    return this.inputs.map((t) => t.node);
  }
}

/** Keras 3's way to print a shape in summaries and messages: `(None, 28, 28)`. */
export function formatShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}
