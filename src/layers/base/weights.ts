import { noGrad } from '../../autograd/engine.js';
import {
  type Constraint,
  type ConstraintIdentifier,
  getConstraint,
} from '../../constraints/constraints.js';
import { type InitializerIdentifier, getInitializer } from '../../initializers/initializer.js';
// Registers the built-in initializers, so names like 'glorotUniform' resolve.
import '../../initializers/initializers.js';
import {
  type Regularizer,
  type RegularizerIdentifier,
  getRegularizer,
} from '../../regularizers/regularizers.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../tensor/variable.js';

/** What `addWeight` takes. */
export interface WeightOptions {
  /** Short name, e.g. `kernel`; the variable's name is the path `dense/kernel`. */
  name: string;
  shape: readonly number[];
  /** Default 'glorotUniform', as Keras. */
  initializer?: InitializerIdentifier;
  /** A penalty added to the training loss; null or omitted for none. */
  regularizer?: RegularizerIdentifier | null | undefined;
  /** A projection applied after each update; null or omitted for none. */
  constraint?: ConstraintIdentifier | null | undefined;
  /** False for statistics updated outside of gradient descent (moving means). Default true. */
  trainable?: boolean;
  dtype?: DType;
}

interface WeightRecord {
  variable: Variable;
  /** What the layer asked for; the variable is trainable only while its layer is too. */
  declaredTrainable: boolean;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** A layer's own weights with their penalties and constraints (sublayers keep their own). */
export class WeightStore {
  private readonly records: WeightRecord[] = [];

  add(path: string, options: WeightOptions, layerDType: DType, layerTrainable: boolean): Variable {
    const dtype = options.dtype ?? layerDType;
    const value = getInitializer(options.initializer ?? 'glorotUniform').call(options.shape, dtype);
    const declaredTrainable = options.trainable ?? true;
    const variable = new Variable(value, {
      name: path,
      trainable: declaredTrainable && layerTrainable,
    });
    this.records.push({
      variable,
      declaredTrainable,
      regularizer: options.regularizer == null ? null : getRegularizer(options.regularizer),
      constraint: options.constraint == null ? null : getConstraint(options.constraint),
    });
    return variable;
  }

  /** Keras' order: the weights declared trainable first, each group in creation order. */
  variables(): Variable[] {
    return [
      ...this.records.filter((r) => r.declaredTrainable),
      ...this.records.filter((r) => !r.declaredTrainable),
    ].map((r) => r.variable);
  }

  setTrainable(layerTrainable: boolean): void {
    for (const r of this.records) r.variable.trainable = layerTrainable && r.declaredTrainable;
  }

  regularizationLosses(): Tensor[] {
    return this.records.flatMap((r) =>
      r.regularizer === null ? [] : [r.regularizer.call(r.variable)],
    );
  }

  applyConstraints(): void {
    noGrad(() => {
      for (const r of this.records) {
        if (r.constraint !== null) r.variable.assign(r.constraint.call(r.variable));
      }
    });
  }
}
