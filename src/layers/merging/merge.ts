import { TensileError, invalidArgument } from '../../errors.js';
import { add, div, logicalAnd, maximum, minimum, mul, sub } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallManyOptions, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/**
 * The base of the elementwise merges: several inputs of one shape (sizes of 1 broadcast, as
 * Keras allows) give one output of that shape. No weights.
 */
export abstract class Merge extends Layer {
  static override readonly className: string = 'Merge';
  /** Exactly two inputs (Subtract) or any number from one up. */
  protected readonly arity: number | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines two tensors; the inputs are folded left to right. */
  protected abstract merge(a: Tensor, b: Tensor): Tensor;

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.computeOutputShapes(shapes);
  }

  override callMany(xs: readonly Tensor[], _options: CallManyOptions): Tensor[] {
    return [xs.slice(1).reduce((acc, x) => this.merge(acc, x), xs[0]!)];
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    this.checkCount(shapes.length);
    return [shapes.slice(1).reduce((acc, s) => this.broadcast(acc, s, shapes), shapes[0]!)];
  }

  /** Keras' rule: a step is kept where every input that has a mask keeps it. */
  override computeMasks(
    _xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    const given = masks.filter((m): m is Tensor => m !== null);
    if (given.length === 0) return [null];
    return [given.slice(1).reduce((acc, m) => logicalAnd(acc, m), given[0]!)];
  }

  protected checkCount(n: number): void {
    if (this.arity !== null && n !== this.arity) {
      throw invalidArgument(
        `Layer ${this.name} (${this.className}) takes exactly ${this.arity} inputs. Received: ` +
          `${n} inputs.`,
      );
    }
    if (n < 1) {
      throw invalidArgument(`Layer ${this.name} (${this.className}) needs a list of inputs.`);
    }
  }

  /** Keras' rule: sizes must agree, where 1 and None (unknown) are compatible with anything. */
  private broadcast(
    a: SymbolicShape,
    b: SymbolicShape,
    all: readonly SymbolicShape[],
  ): SymbolicShape {
    const fail = (): never => {
      throw new TensileError(
        'shape_mismatch',
        `Layer ${this.name} (${this.className}) got inputs with incompatible shapes: ` +
          `${all.map(formatShape).join(' and ')}. Elementwise merges need equal shapes.`,
      );
    };
    if (a.length !== b.length) fail();
    return a.map((d, i) => {
      const e = b[i]!;
      if (d === null || e === null) return d === 1 ? e : e === 1 ? d : (d ?? e);
      if (d === e || e === 1) return d;
      if (d === 1) return e;
      return fail();
    });
  }
}

/** Sums its inputs. */
export class Add extends Merge {
  static override readonly className = 'Add';
  protected merge(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}

/** `inputs[0] − inputs[1]`; exactly two inputs. */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  protected override readonly arity = 2;
  protected merge(a: Tensor, b: Tensor): Tensor {
    return sub(a, b);
  }
}

/** Multiplies its inputs elementwise. */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  protected merge(a: Tensor, b: Tensor): Tensor {
    return mul(a, b);
  }
}

/** The elementwise mean of its inputs (e.g. an ensemble of models' predictions). */
export class Average extends Merge {
  static override readonly className = 'Average';
  protected merge(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
  override callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    return [div(super.callMany(xs, options)[0]!, xs.length)];
  }
}

/** The elementwise maximum of its inputs. */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  protected merge(a: Tensor, b: Tensor): Tensor {
    return maximum(a, b);
  }
}

/** The elementwise minimum of its inputs. */
export class Minimum extends Merge {
  static override readonly className = 'Minimum';
  protected merge(a: Tensor, b: Tensor): Tensor {
    return minimum(a, b);
  }
}

for (const cls of [Add, Subtract, Multiply, Average, Maximum, Minimum]) registerLayer(cls);
