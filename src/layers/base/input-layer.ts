import { invalidArgument } from '../../errors.js';
import { type DType, checkDType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer } from './layer.js';
import type { Config, JsonValue } from './registry.js';
import { registerLayer } from './register.js';
import { Node, type SymbolicShape, SymbolicTensor } from './symbolic.js';

export interface InputArgs {
  /** Shape of one sample, without the batch dimension; null for a size that varies. */
  shape?: readonly (number | null)[];
  /** The full shape with the batch dimension, instead of `shape` and `batchSize`. */
  batchShape?: readonly (number | null)[];
  /** A fixed batch size; unknown (None) by default. */
  batchSize?: number;
  name?: string;
  /** Default 'float32'; 'int32' for token indices fed to an Embedding. */
  dtype?: DType;
}

/** The layer behind `Input()`: the start of a functional graph. It has no weights. */
export class InputLayer extends Layer {
  static override readonly className: string = 'InputLayer';
  readonly batchShape: SymbolicShape;

  constructor(args: InputArgs = {}) {
    const dtype = checkDType(args.dtype ?? 'float32');
    super({ ...(args.name === undefined ? {} : { name: args.name }), dtype });
    this.batchShape = resolveBatchShape(args);
    this.autocast = false;
    this.built = true;
    this.buildShapes = [this.batchShape];
    const node = new Node(this, [], 0);
    node.outputs = [new SymbolicTensor(this.batchShape, dtype, node, 0)];
    this.inboundNodes.push(node);
  }

  override computeOutputShape(): SymbolicShape {
    return this.batchShape;
  }

  override call(x: Tensor): Tensor {
    return x;
  }

  override getConfig(): Config {
    return { name: this.name, dtype: this.dtype, batchShape: this.batchShape as JsonValue[] };
  }
}

function resolveBatchShape(args: InputArgs): SymbolicShape {
  if (args.batchShape !== undefined) {
    if (args.shape !== undefined || args.batchSize !== undefined) {
      throw invalidArgument(
        'Input takes either batchShape, or shape with an optional batchSize, not both. ' +
          `Received: batchShape=${JSON.stringify(args.batchShape)}, ` +
          `shape=${JSON.stringify(args.shape)}`,
      );
    }
    checkDims(args.batchShape, 'batchShape');
    return args.batchShape.slice();
  }
  if (args.shape === undefined) {
    throw invalidArgument(
      'Input needs the shape of one sample, e.g. Input({shape: [28, 28]}). ' +
        'Received: shape=undefined',
    );
  }
  checkDims(args.shape, 'shape');
  if (args.batchSize !== undefined && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) {
    throw invalidArgument(
      `Input batchSize must be a positive integer. Received: batchSize=${args.batchSize}`,
    );
  }
  return [args.batchSize ?? null, ...args.shape];
}

function checkDims(shape: readonly (number | null)[], what: string): void {
  if (!Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
    throw invalidArgument(
      `Input ${what} must hold non-negative integers or null. ` +
        `Received: ${what}=${JSON.stringify(shape)}`,
    );
  }
}

/**
 * The entry point of a functional model: a symbolic tensor of shape `[null, ...shape]`.
 * @example
 * const x = Input({shape: [28, 28]});
 * const y = new Dense({units: 10}).apply(new Flatten().apply(x));
 */
export function Input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}

registerLayer(InputLayer);
