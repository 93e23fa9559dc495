import { fmtShape, internalError, invalidArgument, shapeMismatch } from '../errors.js';
import type { FloatArray } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';

/** A per-variable slot: a tensor shaped like the variable, filled with `initial` at build. */
export interface SlotSpec {
  name: string;
  initial: number;
  /**
   * Created in one pass with the slot before it, so Keras orders their variables interleaved
   * (v0_momentum, v0_velocity, v1_momentum, ...) rather than one slot after the other.
   */
  interleaved?: boolean;
}

/**
 * The variables an optimizer updates, in build order, and its slot variables for each of them:
 * slot name → one non-trainable Variable per variable, of the same shape and dtype.
 */
export class SlotStore {
  readonly variables: Variable[] = [];
  private readonly indices = new Map<Variable, number>();
  private readonly slots = new Map<string, Variable[]>();

  constructor(private readonly owner: string) {}

  /** Adds `variables` not yet known, with a zero-initialised (or `initial`) slot per spec. */
  add(variables: readonly Variable[], specs: readonly SlotSpec[]): void {
    for (const variable of variables) {
      if (this.indices.has(variable)) continue;
      const index = this.variables.length;
      this.indices.set(variable, index);
      this.variables.push(variable);
      for (const spec of specs) {
        let list = this.slots.get(spec.name);
        if (list === undefined) {
          list = [];
          this.slots.set(spec.name, list);
        }
        const values = variable.values.slice().fill(spec.initial);
        list.push(
          new Variable(new Tensor(values, variable.shape), {
            name: `${variable.name ?? `variable_${index}`}_${spec.name}`,
            trainable: false,
          }),
        );
      }
    }
  }

  indexOf(variable: Variable): number | undefined {
    return this.indices.get(variable);
  }

  /** The storage of slot `name` for the variable at `index`. */
  get(name: string, index: number): FloatArray {
    const v = this.slots.get(name)?.[index];
    if (v === undefined) throw internalError(`${this.owner} has no slot ${name}[${index}]`);
    return v.values as FloatArray;
  }

  /** Copies of every slot, by name. */
  snapshot(): Record<string, Tensor[]> {
    const out: Record<string, Tensor[]> = {};
    for (const [name, list] of this.slots) {
      out[name] = list.map((v) => new Tensor(v.values.slice(), v.shape));
    }
    return out;
  }

  /** Copies saved slots in, checking names, counts and shapes. */
  restore(saved: Record<string, Tensor[]>): void {
    const where = `${this.owner}.setState`;
    for (const [name, list] of Object.entries(saved)) {
      const mine = this.slots.get(name);
      if (mine === undefined) {
        throw invalidArgument(
          `${where}: unknown slot. Expected one of ${[...this.slots.keys()].join(', ')}. ` +
            `Received: slot=${name}. Restore a state saved by the same optimizer and config.`,
        );
      }
      if (list.length !== mine.length) {
        throw invalidArgument(
          `${where}: slot ${name} has ${list.length} tensors but the optimizer tracks ` +
            `${mine.length} variables. Build it on the variables the state was saved from.`,
        );
      }
      list.forEach((t, k) => {
        if (!shapesEqual(t.shape, mine[k]!.shape)) {
          throw shapeMismatch(
            `${where}: slot ${name}[${k}] has shape ${fmtShape(t.shape)}, expected ` +
              `${fmtShape(mine[k]!.shape)}.`,
          );
        }
      });
    }
    for (const [name, list] of Object.entries(saved)) {
      list.forEach((t, k) => this.slots.get(name)![k]!.values.set(t.values));
    }
  }

  /** The slot variables in Keras' creation order: interleaved runs, variable by variable. */
  ordered(specs: readonly SlotSpec[]): Variable[] {
    const runs: string[][] = [];
    for (const spec of specs) {
      if (spec.interleaved === true && runs.length > 0) runs[runs.length - 1]!.push(spec.name);
      else runs.push([spec.name]);
    }
    const out: Variable[] = [];
    for (const run of runs) {
      for (let k = 0; k < this.variables.length; k++) {
        for (const name of run) out.push(this.slots.get(name)![k]!);
      }
    }
    return out;
  }
}

/** Checks that `given` has one tensor of the right shape for each of `expected`. */
export function checkSameShapes(
  where: string,
  expected: readonly Tensor[],
  given: readonly Tensor[],
): void {
  if (given.length !== expected.length) {
    throw invalidArgument(
      `${where}: expected ${expected.length} tensors (build the optimizer on the same variables ` +
        `first). Received ${given.length}.`,
    );
  }
  given.forEach((w, k) => {
    if (!shapesEqual(w.shape, expected[k]!.shape)) {
      throw shapeMismatch(
        `${where}: tensor ${k} has shape ${fmtShape(w.shape)}, ` +
          `expected ${fmtShape(expected[k]!.shape)}.`,
      );
    }
  });
}
