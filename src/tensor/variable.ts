import { fmtShape, invalidArgument } from '../errors.js';
import { isFloat } from './dtype.js';
import { shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

export interface VariableOptions {
  /** A path such as `dense/kernel`; layers set it, messages and weight files show it. */
  name?: string;
  /** Trainable variables require gradients and receive optimizer updates. Default true. */
  trainable?: boolean;
}

/**
 * A named, mutable tensor: a layer weight or an optimizer slot. It is a leaf Tensor, so ops
 * take it directly and `backward()` leaves its gradient in `.grad`; `assign` and the
 * optimizers overwrite its storage in place, which keeps every reference to it current.
 */
export class Variable extends Tensor {
  private trainableFlag: boolean;

  constructor(initial: Tensor, options: VariableOptions = {}) {
    super(initial.values.slice(), initial.shape);
    this.name = options.name;
    this.trainableFlag = options.trainable ?? true;
    this.requiresGrad = this.trainableFlag && isFloat(this.dtype);
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    this.requiresGrad = value && isFloat(this.dtype);
    if (!value) this.grad = null;
  }

  /** Overwrites the value in place. The shape must match; the dtype is converted. */
  assign(value: Tensor): void {
    if (!shapesEqual(value.shape, this.shape)) {
      throw invalidArgument(
        `Variable ${this.name ?? ''} has shape ${fmtShape(this.shape)}; cannot assign a value ` +
          `of shape ${fmtShape(value.shape)}.`,
      );
    }
    this.values.set(value.values);
  }
}
