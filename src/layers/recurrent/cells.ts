import { add, mul, sub } from '../../ops/elementwise.js';
import { matmul } from '../../ops/linalg.js';
import { split } from '../../ops/shape-join.js';
import { slice } from '../../ops/indexing.js';
import { reshape } from '../../ops/shape.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import { invalidArgument, shapeMismatch } from '../../errors.js';
import { Random, randomFor } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import {
  type ActivationFn,
  type ActivationIdentifier,
  getActivation,
  serializeActivation,
} from '../activations.js';
import {
  constraintOf,
  initializerOf,
  positiveInt,
  regularizerOf,
  serialized,
} from '../base/config-utils.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/** Options of every recurrent cell (and of the layers that wrap one). */
export interface CellArgs extends LayerArgs {
  units: number;
  /** Default 'tanh'. */
  activation?: ActivationIdentifier | null;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  recurrentRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  recurrentConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Fraction of the inputs dropped while training (one mask for all steps). Default 0. */
  dropout?: number;
  /** Fraction of the recurrent state dropped while training. Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks: the same sequence of masks on every run. Default: global. */
  seed?: number | null;
}

/**
 * One step of a recurrence. The input projection x·W (+ bias) is separated from `step` so the
 * RNN layer computes it for every timestep in one matrix product.
 */
export abstract class RNNCell extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  private readonly ownRandom: Random | null;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: CellArgs) {
    super(args);
    const where = `${this.className} ${this.name}`;
    this.units = positiveInt(where, 'units', args.units);
    this.activation = getActivation(args.activation === undefined ? 'tanh' : args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerOf(args.kernelInitializer, 'glorotUniform');
    this.recurrentInitializer = initializerOf(args.recurrentInitializer, 'orthogonal');
    this.biasInitializer = initializerOf(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerOf(args.kernelRegularizer);
    this.recurrentRegularizer = regularizerOf(args.recurrentRegularizer);
    this.biasRegularizer = regularizerOf(args.biasRegularizer);
    this.kernelConstraint = constraintOf(args.kernelConstraint);
    this.recurrentConstraint = constraintOf(args.recurrentConstraint);
    this.biasConstraint = constraintOf(args.biasConstraint);
    this.dropout = fraction(where, 'dropout', args.dropout);
    this.recurrentDropout = fraction(where, 'recurrentDropout', args.recurrentDropout);
    this.seed = args.seed ?? null;
    this.ownRandom = this.seed === null ? null : new Random(this.seed);
  }

  /** The generator of the dropout masks: the cell's own with a seed, else the global one. */
  get random(): Random {
    return this.ownRandom ?? randomFor(undefined);
  }

  /** Sizes of the states, e.g. [units] for SimpleRNN and GRU, [units, units] for LSTM (h, c). */
  abstract get stateSizes(): number[];
  /** Gate columns of the kernel: 1, 3 or 4 times units. */
  protected abstract get gates(): number;

  /** x (M, inputDim) → (M, gates·units), the input's share of every gate. */
  abstract projectInputs(x: Tensor): Tensor;
  /**
   * One step from the projected input and the previous states; returns output and states.
   * `recurrentMask` (recurrent dropout) scales h only where it enters the recurrent product, as
   * Keras does: GRU's carry z·h and LSTM's cell state use the undropped values.
   */
  abstract step(
    xp: Tensor,
    states: readonly Tensor[],
    recurrentMask: Tensor | null,
  ): { output: Tensor; states: Tensor[] };

  protected addCellWeights(inputShape: SymbolicShape, biasShape: number[]): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null || inputDim === undefined) {
      throw shapeMismatch(
        `${this.className} ${this.name}: the input's last axis must be known. Received: ` +
          `inputShape=${formatShape(inputShape)}`,
      );
    }
    const cols = this.gates * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, cols],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, cols],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: biasShape,
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: serialized(this.kernelInitializer),
      recurrentInitializer: serialized(this.recurrentInitializer),
      biasInitializer: serialized(this.biasInitializer),
      kernelRegularizer: serialized(this.kernelRegularizer),
      recurrentRegularizer: serialized(this.recurrentRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
      kernelConstraint: serialized(this.kernelConstraint),
      recurrentConstraint: serialized(this.recurrentConstraint),
      biasConstraint: serialized(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}

function fraction(where: string, name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw invalidArgument(
      `${where}: ${name} must be in [0, 1). Received: ${name}=${String(value)}`,
    );
  }
  return v;
}

/** h ← activation(x·W + h·U + b). */
export class SimpleRNNCell extends RNNCell {
  static override readonly className = 'SimpleRNNCell';

  get stateSizes(): number[] {
    return [this.units];
  }
  protected get gates(): number {
    return 1;
  }

  override build(inputShape: SymbolicShape): void {
    this.addCellWeights(inputShape, [this.units]);
  }

  projectInputs(x: Tensor): Tensor {
    const y = matmul(x, this.kernel!);
    return this.bias === null ? y : add(y, this.bias);
  }

  step(
    xp: Tensor,
    states: readonly Tensor[],
    recurrentMask: Tensor | null,
  ): { output: Tensor; states: Tensor[] } {
    const hPrev = recurrentMask === null ? states[0]! : mul(states[0]!, recurrentMask);
    const h = this.activation(add(xp, matmul(hPrev, this.recurrentKernel!)));
    return { output: h, states: [h] };
  }
}

export interface LSTMCellArgs extends CellArgs {
  /** Default 'sigmoid'. */
  recurrentActivation?: ActivationIdentifier;
  /** Start the forget gate's bias at 1 (Jozefowicz et al., 2015). Default true. */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory (Hochreiter and Schmidhuber, 1997). Gates in Keras' order i, f, c, o:
 * c ← f·c + i·tanh(z_c), h ← o·tanh(c). Kernel (in, 4u), recurrent kernel (u, 4u), bias (4u).
 */
export class LSTMCell extends RNNCell {
  static override readonly className = 'LSTMCell';
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    super(args);
    this.recurrentActivation = getActivation(args.recurrentActivation ?? 'sigmoid');
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  get stateSizes(): number[] {
    return [this.units, this.units];
  }
  protected get gates(): number {
    return 4;
  }

  override build(inputShape: SymbolicShape): void {
    this.addCellWeights(inputShape, [4 * this.units]);
    if (this.bias !== null && this.unitForgetBias) {
      this.bias.values.fill(1, this.units, 2 * this.units);
    }
  }

  projectInputs(x: Tensor): Tensor {
    const y = matmul(x, this.kernel!);
    return this.bias === null ? y : add(y, this.bias);
  }

  step(
    xp: Tensor,
    states: readonly Tensor[],
    recurrentMask: Tensor | null,
  ): { output: Tensor; states: Tensor[] } {
    const hPrev = recurrentMask === null ? states[0]! : mul(states[0]!, recurrentMask);
    const z = add(xp, matmul(hPrev, this.recurrentKernel!));
    const [zi, zf, zc, zo] = split(z, 4, { axis: 1 }) as [Tensor, Tensor, Tensor, Tensor];
    const i = this.recurrentActivation(zi);
    const f = this.recurrentActivation(zf);
    const c = add(mul(f, states[1]!), mul(i, this.activation(zc)));
    const h = mul(this.recurrentActivation(zo), this.activation(c));
    return { output: h, states: [h, c] };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      recurrentActivation: serializeActivation(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }
}

export interface GRUCellArgs extends CellArgs {
  /** Default 'sigmoid'. */
  recurrentActivation?: ActivationIdentifier;
  /** Apply the reset gate after the recurrent product (Keras 3's default, true). */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al., 2014), gates in Keras' order z (update), r (reset), h.
 * h ← z·h + (1 − z)·ĥ. With resetAfter (the default) ĥ = tanh(x·W_h + b_h + r·(h·U_h + b'_h))
 * and the bias is (2, 3u), input and recurrent; without, ĥ = tanh(x·W_h + (r·h)·U_h + b_h).
 */
export class GRUCell extends RNNCell {
  static override readonly className = 'GRUCell';
  readonly recurrentActivation: ActivationFn;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    super(args);
    this.recurrentActivation = getActivation(args.recurrentActivation ?? 'sigmoid');
    this.resetAfter = args.resetAfter ?? true;
  }

  get stateSizes(): number[] {
    return [this.units];
  }
  protected get gates(): number {
    return 3;
  }

  override build(inputShape: SymbolicShape): void {
    this.addCellWeights(inputShape, this.resetAfter ? [2, 3 * this.units] : [3 * this.units]);
  }

  private biasRow(row: number): Tensor | null {
    if (this.bias === null) return null;
    if (!this.resetAfter) return row === 0 ? this.bias : null;
    return reshape(slice(this.bias, [row, 0], [1, 3 * this.units]), [3 * this.units]);
  }

  projectInputs(x: Tensor): Tensor {
    const y = matmul(x, this.kernel!);
    const b = this.biasRow(0);
    return b === null ? y : add(y, b);
  }

  step(
    xp: Tensor,
    states: readonly Tensor[],
    recurrentMask: Tensor | null,
  ): { output: Tensor; states: Tensor[] } {
    const h = states[0]!;
    const hIn = recurrentMask === null ? h : mul(h, recurrentMask);
    const u = this.units;
    const [xz, xr, xh] = split(xp, 3, { axis: 1 }) as [Tensor, Tensor, Tensor];
    let candidate: Tensor;
    let z: Tensor;
    if (this.resetAfter) {
      let hu = matmul(hIn, this.recurrentKernel!);
      const b = this.biasRow(1);
      if (b !== null) hu = add(hu, b);
      const [hz, hr, hh] = split(hu, 3, { axis: 1 }) as [Tensor, Tensor, Tensor];
      z = this.recurrentActivation(add(xz, hz));
      const r = this.recurrentActivation(add(xr, hr));
      candidate = this.activation(add(xh, mul(r, hh)));
    } else {
      const uzr = slice(this.recurrentKernel!, [0, 0], [u, 2 * u]);
      const uh = slice(this.recurrentKernel!, [0, 2 * u], [u, u]);
      const [hz, hr] = split(matmul(hIn, uzr), 2, { axis: 1 }) as [Tensor, Tensor];
      z = this.recurrentActivation(add(xz, hz));
      const r = this.recurrentActivation(add(xr, hr));
      candidate = this.activation(add(xh, matmul(mul(r, hIn), uh)));
    }
    const next = add(mul(z, h), mul(sub(1, z), candidate));
    return { output: next, states: [next] };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      recurrentActivation: serializeActivation(this.recurrentActivation),
      resetAfter: this.resetAfter,
    };
  }
}

for (const cls of [SimpleRNNCell, LSTMCell, GRUCell]) registerLayer(cls);
