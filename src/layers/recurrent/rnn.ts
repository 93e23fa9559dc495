import { cast, mul, where } from '../../ops/elementwise.js';
import { slice } from '../../ops/indexing.js';
import { reshape } from '../../ops/shape.js';
import { stack, unstack } from '../../ops/shape-join.js';
import { zerosLike } from '../../tensor/creation.js';
import { allocate } from '../../tensor/dtype.js';
import type { Random } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { invalidArgument, shapeMismatch } from '../../errors.js';
import { Layer, type CallManyOptions, type LayerArgs } from '../base/layer.js';
import { deserializeLayer, registerLayer, serializeLayer } from '../base/register.js';
import type { Config, JsonValue } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';
import {
  type CellArgs,
  GRUCell,
  type GRUCellArgs,
  LSTMCell,
  type LSTMCellArgs,
  type RNNCell,
  SimpleRNNCell,
} from './cells.js';

/** How an RNN layer runs its cell over time. */
export interface RNNArgs extends LayerArgs {
  /** Return the output of every step (batch, steps, units) rather than the last. Default false. */
  returnSequences?: boolean;
  /** Also return the final states, after the output (use applyMany). Default false. */
  returnState?: boolean;
  /** Process the sequence from the end and return the outputs in that order. Default false. */
  goBackwards?: boolean;
  /**
   * Output zeros at masked steps instead of repeating the previous output (states are carried
   * either way). Default false; Bidirectional turns it on when it returns sequences, as Keras.
   */
  zeroOutputForMask?: boolean;
}

/**
 * Runs a cell over the steps of (batch, steps, features), from zero states or from initial
 * states passed after the sequence (`lstm.apply([x, h0, c0])`, Keras' `initial_state`). The
 * input projection of every step is one matrix product; the loop then applies the recurrent
 * part. Masked steps (from Masking or Embedding with maskZero, or `apply`'s mask option) keep
 * the previous output and states, as in Keras.
 */
export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  zeroOutputForMask: boolean;

  constructor(args: RNNArgs & { cell: RNNCell }) {
    super(args);
    this.cell = this.track(args.cell);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.supportsMasking = true;
  }

  get units(): number {
    return this.cell.units;
  }

  private checkShape(s: SymbolicShape): void {
    if (s.length !== 3) {
      throw shapeMismatch(
        `${this.className} ${this.name}: expected an input of rank 3 (batch, steps, features). ` +
          `Received: inputShape=${formatShape(s)}. A sequence of scalars needs a features ` +
          'axis of size 1, e.g. Input({shape: [steps, 1]}) or a Reshape layer before this one.',
      );
    }
    // Once built, the kernel fixes the feature count: a reuse on other features fails here,
    // at graph construction, rather than inside a matmul.
    const built = this.builtFeatures;
    if (built !== null && s[2] !== null && s[2] !== built) {
      throw shapeMismatch(
        `${this.className} ${this.name} was built for ${built} features per step; received ` +
          `inputShape=${formatShape(s)}. To use it on inputs of another size, create a ` +
          'separate layer.',
      );
    }
  }

  private builtFeatures: number | null = null;

  /** Initial states, when given, follow the sequence: [x, h] or, for LSTM, [x, h, c]. */
  private checkStates(shapes: readonly (readonly (number | null)[])[]): void {
    const sizes = this.cell.stateSizes;
    const given = shapes.slice(1);
    if (given.length === 0) return;
    if (given.length !== sizes.length) {
      throw invalidArgument(
        `${this.className} ${this.name} takes the sequence and then ${sizes.length} initial ` +
          `state(s) of shape (batch, units). Received: ${given.length} initial state(s). ` +
          `Pass [x] or [x, ${sizes.length === 1 ? 'h' : 'h, c'}].`,
      );
    }
    given.forEach((s, i) => {
      if (s.length !== 2 || (s[1] !== null && s[1] !== sizes[i])) {
        throw shapeMismatch(
          `${this.className} ${this.name}: initial state ${i} must have shape ` +
            `(batch, ${sizes[i]}). Received: shape=${formatShape(s as SymbolicShape)}`,
        );
      }
    });
  }

  override build(inputShape: SymbolicShape): void {
    this.checkShape(inputShape);
    this.cell.build([inputShape[0] ?? null, inputShape[2] ?? null]);
    this.builtFeatures = inputShape[2] ?? null;
  }

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.build(shapes[0]!);
    this.checkStates(shapes);
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    const s = shapes[0]!;
    this.checkShape(s);
    this.checkStates(shapes);
    const batch = s[0] ?? null;
    const out: SymbolicShape = this.returnSequences
      ? [batch, s[1] ?? null, this.units]
      : [batch, this.units];
    if (!this.returnState) return [out];
    return [out, ...this.cell.stateSizes.map((u) => [batch, u] as SymbolicShape)];
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  /** As Keras: the sequence keeps the input's mask, the last output and the states have none. */
  override computeMasks(
    _xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    const output = this.returnSequences ? (masks[0] ?? null) : null;
    return [output, ...(this.returnState ? this.cell.stateSizes.map(() => null) : [])];
  }

  override callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    const x = xs[0]!;
    const [n, steps, features] = x.shape as [number, number, number];
    const mask = options.masks[0] ?? null;
    const cell = this.cell;

    let input = x;
    if (options.training && cell.dropout > 0)
      input = mul(x, dropoutMask(cell.random, x.dtype, [n, 1, features], cell.dropout));
    const recurrentMask =
      options.training && cell.recurrentDropout > 0
        ? dropoutMask(cell.random, x.dtype, [n, cell.units], cell.recurrentDropout)
        : null;

    const projected = reshape(cell.projectInputs(reshape(input, [n * steps, features])), [
      n,
      steps,
      -1,
    ]);
    const perStep = steps === 0 ? [] : unstack(projected, { axis: 1 });
    this.checkStates(xs.map((t) => t.shape));
    let states =
      xs.length > 1
        ? xs.slice(1)
        : cell.stateSizes.map((u) => new Tensor(allocate(x.dtype, n * u), [n, u]));
    let previous = new Tensor(allocate(x.dtype, n * cell.units), [n, cell.units]);
    const outputs: Tensor[] = [];
    for (let k = 0; k < steps; k++) {
      const t = this.goBackwards ? steps - 1 - k : k;
      const result = cell.step(perStep[t]!, states, recurrentMask);
      let output = result.output;
      let next = result.states;
      if (mask !== null) {
        const keep = reshape(slice(cast(mask, 'bool'), [0, t], [n, 1]), [n, 1]);
        output = where(keep, output, this.zeroOutputForMask ? zerosLike(output) : previous);
        next = next.map((s, i) => where(keep, s, states[i]!));
      }
      outputs.push(output);
      previous = output;
      states = next;
    }
    const y = this.returnSequences
      ? steps === 0
        ? new Tensor(allocate(x.dtype, 0), [n, 0, cell.units])
        : stack(outputs, { axis: 1 })
      : previous;
    return this.returnState ? [y, ...states] : [y];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      zeroOutputForMask: this.zeroOutputForMask,
      cell: serializeLayer(this.cell) as unknown as JsonValue,
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    // SimpleRNN, LSTM and GRU keep their cell's options flat in the config; RNN nests the cell.
    if ((this as unknown) !== RNN) return new this(config as never);
    const { cell, ...rest } = config as Config & { cell: JsonValue };
    const args = { ...(rest as RNNArgs), cell: deserializeLayer(cell as never) as RNNCell };
    return new RNN(args) as unknown as T;
  }
}

/** Inverted dropout mask: 0 with probability `rate`, else 1/(1 − rate). */
function dropoutMask(rng: Random, dtype: Tensor['dtype'], shape: number[], rate: number): Tensor {
  const data = allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform() >= rate ? 1 / (1 - rate) : 0;
  return new Tensor(data, shape);
}

/** Splits a recurrent layer's options into the cell's and the RNN's. */
function splitArgs<A extends CellArgs & RNNArgs>(args: A): { cell: A; rnn: RNNArgs } {
  const {
    returnSequences,
    returnState,
    goBackwards,
    zeroOutputForMask,
    name,
    trainable,
    dtype,
    inputShape,
    batchSize,
    activityRegularizer,
    ...cell
  } = args;
  const rnn: RNNArgs = {
    ...(returnSequences !== undefined && { returnSequences }),
    ...(returnState !== undefined && { returnState }),
    ...(goBackwards !== undefined && { goBackwards }),
    ...(zeroOutputForMask !== undefined && { zeroOutputForMask }),
    ...(name !== undefined && { name }),
    ...(trainable !== undefined && { trainable }),
    ...(dtype !== undefined && { dtype }),
    ...(inputShape !== undefined && { inputShape }),
    ...(batchSize !== undefined && { batchSize }),
    ...(activityRegularizer !== undefined && { activityRegularizer }),
  };
  return { cell: { ...(cell as A), ...(dtype !== undefined && { dtype }) }, rnn };
}

/** Config of a recurrent layer: the cell's options flattened in, as Keras writes them. */
function flatConfig(layer: RNN): Config {
  const own = RNN.prototype.getConfig.call(layer);
  delete own['cell'];
  const cellConfig = layer.cell.getConfig();
  for (const key of ['name', 'trainable', 'dtype']) delete cellConfig[key];
  return { ...own, ...cellConfig };
}

export type SimpleRNNArgs = CellArgs & RNNArgs;

/** A fully connected recurrence: h ← tanh(x·W + h·U + b). */
export class SimpleRNN extends RNN {
  static override readonly className = 'SimpleRNN';
  constructor(args: SimpleRNNArgs) {
    const { cell, rnn } = splitArgs(args);
    super({ ...rnn, cell: new SimpleRNNCell({ ...cell, name: 'simple_rnn_cell' }) });
  }
  override getConfig(): Config {
    return flatConfig(this);
  }
}

export type LSTMArgs = LSTMCellArgs & RNNArgs;

/** Long short-term memory; with returnState the outputs are [output, h, c]. */
export class LSTM extends RNN {
  static override readonly className = 'LSTM';
  constructor(args: LSTMArgs) {
    const { cell, rnn } = splitArgs(args);
    super({ ...rnn, cell: new LSTMCell({ ...cell, name: 'lstm_cell' }) });
  }
  override getConfig(): Config {
    return flatConfig(this);
  }
}

export type GRUArgs = GRUCellArgs & RNNArgs;

/** Gated recurrent unit, Keras 3's variant (resetAfter true) by default. */
export class GRU extends RNN {
  static override readonly className = 'GRU';
  constructor(args: GRUArgs) {
    const { cell, rnn } = splitArgs(args);
    super({ ...rnn, cell: new GRUCell({ ...cell, name: 'gru_cell' }) });
  }
  get resetAfter(): boolean {
    return (this.cell as GRUCell).resetAfter;
  }
  override getConfig(): Config {
    return flatConfig(this);
  }
}

for (const cls of [RNN, SimpleRNN, LSTM, GRU]) registerLayer(cls);
