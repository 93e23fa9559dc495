import { TensileError, fmtShape, invalidArgument } from '../errors.js';
import { type DType, type DataArray, dtypeOfArray, isFloat } from './dtype.js';
import { type Shape, sizeOf } from './shape.js';
import { formatTensor } from './format.js';

/**
 * Computes the gradients of an op's inputs from the gradient of its output. Returns one entry
 * per input, in order; null where an input gets no gradient (an integer index, a mask).
 */
export type BackwardFn = (dy: Tensor) => readonly (Tensor | null)[];

/** Nested arrays of numbers or booleans, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array in row-major order, stored in one typed array and reclaimed by the
 * garbage collector. Tensors are immutable as far as the ops are concerned: every op returns a
 * new tensor, and records how to compute its gradient when any input requires one.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Optional label shown by `toString()` and in error messages. */
  name: string | undefined;
  /** The gradient that the last `backward()` left here, summed across calls until `zeroGrad`. */
  grad: Tensor | null = null;

  /** @internal The storage; ops read it directly and never change it after creation. */
  readonly values: DataArray;
  /** @internal The inputs of the op that made this tensor, when its graph was recorded. */
  parents: readonly Tensor[] = [];
  /** @internal How to push this tensor's gradient to its parents. */
  backwardFn: BackwardFn | null = null;
  /** @internal The name of the op that made this tensor, for messages and debugging. */
  op = 'leaf';
  /** @internal True once backward() released this tensor's graph. */
  graphReleased = false;

  private requiresGradFlag = false;

  constructor(values: DataArray, shape: Shape) {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw invalidArgument(
        `Tensor data has ${values.length} elements, but shape ${fmtShape(shape)} needs ${size}.`,
      );
    }
    this.values = values;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtypeOfArray(values);
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True when gradients flow to or through this tensor. */
  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) {
      throw new TensileError(
        'unsupported_dtype',
        `Only float32 and float64 tensors can require gradients. Received: dtype=${this.dtype}. ` +
          `Cast the tensor to a float dtype first.`,
      );
    }
    this.requiresGradFlag = value;
  }

  /** True for tensors not made by a recorded op: the ones that receive `.grad`. */
  get isLeaf(): boolean {
    return this.backwardFn === null;
  }

  /** A copy of the storage as a typed array of the tensor's dtype. */
  data(): DataArray {
    return this.values.slice();
  }

  /** The elements as nested arrays; bool tensors give booleans. */
  toArray(): NestedArray {
    const bool = this.dtype === 'bool';
    const values = this.values;
    const shape = this.shape;
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      if (dim === shape.length) return bool ? values[offset] !== 0 : values[offset]!;
      const n = shape[dim]!;
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner, inner);
      return out;
    };
    return build(0, 0, this.size);
  }

  /** The single element of a tensor of size 1, as a number. */
  item(): number {
    if (this.size !== 1) {
      throw invalidArgument(
        `item() needs a tensor with exactly one element. ` +
          `Received: shape=${fmtShape(this.shape)}. ` +
          `Reduce it first, e.g. with sum() or mean().`,
      );
    }
    return this.values[0]!;
  }

  /** A tensor sharing this one's storage, cut off from the graph. */
  detach(): Tensor {
    return new Tensor(this.values, this.shape);
  }

  /** Forgets the gradient accumulated here. */
  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Computes the gradient of this tensor with respect to every tensor it depends on that
   * requires one. A non-scalar needs `gradient`, the upstream gradient of the same shape.
   */
  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    backwardImpl(this, gradient, options.retainGraph ?? false);
  }

  toString(): string {
    return formatTensor(this);
  }

  /** console.log and util.inspect show the same text as toString(), not the internals. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }
}

type BackwardImpl = (root: Tensor, gradient: Tensor | undefined, retainGraph: boolean) => void;
let backwardImpl: BackwardImpl = () => {
  throw new TensileError('internal', 'internal error, please report: autograd engine not loaded');
};

/** @internal The engine registers itself here, which keeps the import graph acyclic. */
export function registerBackward(impl: BackwardImpl): void {
  backwardImpl = impl;
}
