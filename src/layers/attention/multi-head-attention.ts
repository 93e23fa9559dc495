import type { Constraint, ConstraintIdentifier } from '../../constraints/constraints.js';
import { invalidArgument, shapeMismatch } from '../../errors.js';
import type { Initializer, InitializerIdentifier } from '../../initializers/initializer.js';
import { softmax } from '../../ops/activations.js';
import { add, mul } from '../../ops/elementwise.js';
import { matmul } from '../../ops/linalg.js';
import { reshape, transpose } from '../../ops/shape.js';
import type { Regularizer, RegularizerIdentifier } from '../../regularizers/regularizers.js';
import { allocate } from '../../tensor/dtype.js';
import { Random, randomFor } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import {
  constraintOf,
  initializerOf,
  positiveInt,
  regularizerOf,
  serialized,
} from '../base/config-utils.js';
import { type CallManyOptions, Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config, JsonValue } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';
import {
  type AxesPlan,
  checkBatchAxes,
  fold,
  planAxes,
  scoresShape,
  unfoldOutput,
  unfoldScores,
} from './axes.js';
import { combinedMask, maskScores } from './masks.js';

export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads H. */
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value. Default keyDim. */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities, in training only. Default 0. */
  dropout?: number;
  /** Biases in the four projections. Default true. */
  useBias?: boolean;
  /** Output size(s) after batch and sequence: an integer or a shape. Default the query's size. */
  outputShape?: number | readonly number[] | null;
  /**
   * The axes attended over, between batch and features; the other inner axes pair query and
   * value position by position. Default null: every inner axis (axis 1 for sequences).
   */
  attentionAxes?: number | readonly number[] | null;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the attention dropout. */
  seed?: number | null;
  /** Tensile: apply a causal mask on every call, for use in functional graphs. Default false. */
  useCausalMask?: boolean;
  /** Tensile: `apply`/`applyMany` return [output, scores], for functional graphs. Default false. */
  returnAttentionScores?: boolean;
}

/** What `attend` takes besides query and value: Keras' call keywords. */
export interface AttendOptions {
  /** Keys, (batch, S, dk). Default value. */
  key?: Tensor;
  /** 1 (or true) where query t may attend to key s; broadcastable to (batch, T, S). */
  attentionMask?: Tensor | null;
  /** Query t sees only keys s ≤ t. Default the constructor's useCausalMask. */
  useCausalMask?: boolean;
  /** (batch, T): false for padded query steps. Default the mask attached to the query. */
  queryMask?: Tensor | null;
  /** (batch, S): false for padded value steps. Default the mask attached to the value. */
  valueMask?: Tensor | null;
  /** (batch, S): false for padded key steps. Default the mask attached to the key. */
  keyMask?: Tensor | null;
  /** Also return the attention probabilities (batch, H, T, S), before dropout. Default false. */
  returnAttentionScores?: boolean;
  /** Dropout on the probabilities. Default false. */
  training?: boolean;
}

interface Projection {
  kernel: Variable;
  bias: Variable | null;
}

/**
 * Multi-head attention (Vaswani et al., 2017) as Keras 3's MultiHeadAttention. Query, key and
 * value are projected to H heads, Q·Kᵀ/√keyDim is softmaxed over the keys (masked positions get
 * ~0 weight), the heads' weighted values are concatenated and projected back to the query's
 * size (or `outputShape`). Weights as Keras' EinsumDense sublayers: `query/kernel` (dq, H,
 * keyDim) and `query/bias` (H, keyDim), the same for `key` and `value` (valueDim), then
 * `attention_output/kernel` (H, valueDim, out) and `attention_output/bias` (out).
 *
 * Difference from Keras: `apply` takes no keyword arguments. Eagerly, call
 * `mha.attend(query, value, {key, attentionMask, useCausalMask, returnAttentionScores,
 * queryMask, valueMask, keyMask, training})`, Keras' call keywords in camelCase. In a
 * functional graph, call `mha.apply([query, value])` or `mha.apply([query, value, key])` and set
 * `useCausalMask` / `returnAttentionScores` in the constructor (then use `applyMany`); an
 * explicit attention mask cannot be a graph input yet (TODO(#4): a mask input), but Keras masks
 * riding on the inputs (Embedding with maskZero, Masking) are applied as Keras does: the query's
 * mask on T, the value's (and a distinct key's) on S. A query row with no visible key gets zero
 * weights (Keras 3's masked softmax), so its output is the output bias. Inputs are (batch,
 * sequence, features), or of higher rank with `attentionAxes` (default: every axis between
 * batch and features, jointly); there the scores are (batch, N…, H, T…, S…) as in Keras, and
 * masks other than `attentionMask` need a single attention axis (causal) or rank 3 (the rest).
 *
 * @example
 * const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
 * const q = zeros([1, 3, 8]);
 * const [y, scores] = mha.attend(q, zeros([1, 5, 8]), { returnAttentionScores: true });
 * // y: [1, 3, 8], scores: [1, 2, 3, 5]
 */
export class MultiHeadAttention extends Layer {
  static override readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: readonly number[] | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly seed: number | null;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  readonly attentionAxes: readonly number[] | null;
  private readonly outputWasInt: boolean;
  private readonly rng: Random | null;
  private projections: Record<'query' | 'key' | 'value' | 'attention_output', Projection> | null =
    null;
  /** The keyword options of the `attend` call in progress. */
  private pending: AttendOptions | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const where = `MultiHeadAttention ${this.name}`;
    this.numHeads = positiveInt(where, 'numHeads', args.numHeads);
    this.keyDim = positiveInt(where, 'keyDim', args.keyDim);
    this.valueDim =
      args.valueDim === undefined || args.valueDim === null
        ? this.keyDim
        : positiveInt(where, 'valueDim', args.valueDim);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw invalidArgument(
        `${where}: dropout must be in [0, 1). Received: dropout=${String(rate)}`,
      );
    }
    this.dropout = rate;
    this.useBias = args.useBias ?? true;
    const out = args.outputShape ?? null;
    this.outputWasInt = typeof out === 'number';
    if (out === null) this.outputShape = null;
    else if (typeof out === 'number') this.outputShape = [positiveInt(where, 'outputShape', out)];
    else if (Array.isArray(out) && out.length > 0) {
      this.outputShape = out.map((d: number) => positiveInt(where, 'outputShape', d));
    } else {
      throw invalidArgument(
        `${where}: outputShape must be a positive integer or a non-empty list of them. ` +
          `Received: outputShape=${JSON.stringify(out)}`,
      );
    }
    const axes = args.attentionAxes ?? null;
    const axisList = typeof axes === 'number' ? [axes] : axes;
    if (axisList !== null && (!Array.isArray(axisList) || !axisList.every(Number.isInteger))) {
      throw invalidArgument(
        `${where}: attentionAxes must be an integer, a list of integers or null. Received: ` +
          `attentionAxes=${JSON.stringify(axes)}`,
      );
    }
    this.attentionAxes = axisList === null ? null : axisList.slice();
    this.kernelInitializer = initializerOf(args.kernelInitializer, 'glorotUniform');
    this.biasInitializer = initializerOf(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerOf(args.kernelRegularizer);
    this.biasRegularizer = regularizerOf(args.biasRegularizer);
    this.kernelConstraint = constraintOf(args.kernelConstraint);
    this.biasConstraint = constraintOf(args.biasConstraint);
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new Random(this.seed);
    this.useCausalMask = args.useCausalMask ?? false;
    this.returnAttentionScores = args.returnAttentionScores ?? false;
    this.supportsMasking = true;
  }

  /**
   * Attends from `query` (batch, T, dq) to `value` (batch, S, dv), with Keras' call keywords.
   * @returns the output (batch, T, …outputShape), or [output, scores (batch, H, T, S)] with
   *   `returnAttentionScores`.
   * @throws TensileError `shape_mismatch` for inputs of the wrong rank, key and value of different
   *   lengths, or an attention mask that does not broadcast to (batch, T, S).
   */
  attend(
    query: Tensor,
    value: Tensor,
    options: AttendOptions & { returnAttentionScores: true },
  ): [Tensor, Tensor];
  attend(query: Tensor, value: Tensor, options?: AttendOptions): Tensor;
  attend(query: Tensor, value: Tensor, options: AttendOptions = {}): Tensor | [Tensor, Tensor] {
    const inputs = options.key === undefined ? [query, value] : [query, value, options.key];
    if (!inputs.every((x) => x instanceof Tensor)) {
      throw invalidArgument(
        `MultiHeadAttention ${this.name}: attend() computes on tensors. In a functional graph ` +
          `call mha.apply([query, value]) or mha.apply([query, value, key]), with ` +
          `useCausalMask and returnAttentionScores given to the constructor.`,
      );
    }
    this.pending = options;
    try {
      const outs = this.applyMany(inputs, { training: options.training ?? false });
      return options.returnAttentionScores === true ? [outs[0]!, outs[1]!] : outs[0]!;
    } finally {
      this.pending = null;
    }
  }

  /** Validates [query, value, key?] and returns how they fold for attention. */
  private checkShapes(shapes: readonly SymbolicShape[]): AxesPlan {
    const where = `MultiHeadAttention ${this.name}`;
    if (shapes.length !== 2 && shapes.length !== 3) {
      throw invalidArgument(
        `MultiHeadAttention takes [query, value] or [query, value, key]. Received: ` +
          `${shapes.length} inputs.`,
      );
    }
    const rank = shapes[0]!.length;
    for (const [i, s] of shapes.entries()) {
      const name = ['query', 'value', 'key'][i]!;
      if (s.length < 3 || s.length !== rank) {
        throw shapeMismatch(
          `MultiHeadAttention expects ${name} of rank 3 (batch, sequence, features), or of ` +
            `the query's rank when higher. Received: ${name}.shape=${formatShape(s)}`,
        );
      }
      if (s[rank - 1] === null) {
        throw shapeMismatch(
          `MultiHeadAttention needs the last axis of ${name} to be known. Received: ` +
            `${name}.shape=${formatShape(s)}`,
        );
      }
    }
    const [q, v, k] = [shapes[0]!, shapes[1]!, shapes[2]];
    const differs = (a: number | null | undefined, b: number | null | undefined): boolean =>
      a !== null && a !== undefined && b !== null && b !== undefined && a !== b;
    if (k !== undefined && v.slice(1, -1).some((d, i) => differs(d, k[i + 1]))) {
      throw shapeMismatch(
        `MultiHeadAttention: key and value must have the same length S. Received: ` +
          `value.shape=${formatShape(v)} and key.shape=${formatShape(k)}`,
      );
    }
    const plan = planAxes(this.attentionAxes, rank, where);
    checkBatchAxes(q, v, plan, where);
    return plan;
  }

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.checkShapes(shapes);
    const last = (s: SymbolicShape): number => s[s.length - 1]!;
    const dq = last(shapes[0]!);
    const dv = last(shapes[1]!);
    const dk = last(shapes[2] ?? shapes[1]!);
    const h = this.numHeads;
    const out = this.outputShape ?? [dq];
    // Keras' weight order: query, key, value, then the output projection.
    this.projections = {
      query: this.projection('query', [dq, h, this.keyDim], [h, this.keyDim]),
      key: this.projection('key', [dk, h, this.keyDim], [h, this.keyDim]),
      value: this.projection('value', [dv, h, this.valueDim], [h, this.valueDim]),
      attention_output: this.projection('attention_output', [h, this.valueDim, ...out], out),
    };
  }

  private projection(
    name: string,
    kernelShape: number[],
    biasShape: readonly number[],
  ): Projection {
    const kernel = this.addWeight({
      name: `${name}/kernel`,
      shape: kernelShape,
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    const bias = this.useBias
      ? this.addWeight({
          name: `${name}/bias`,
          shape: biasShape,
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    return { kernel, bias };
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    const plan = this.checkShapes(shapes);
    const [q, v] = [shapes[0]!, shapes[1]!];
    const y: SymbolicShape = [...q.slice(0, -1), ...(this.outputShape ?? [q[q.length - 1]!])];
    if (!this.wantsScores()) return [y];
    return [y, scoresShape(q, v, plan, this.numHeads)];
  }

  private wantsScores(): boolean {
    return this.pending === null
      ? this.returnAttentionScores
      : this.pending.returnAttentionScores === true;
  }

  override callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    const plan = this.checkShapes(xs.map((x) => x.shape));
    // Inputs of any rank fold to (batch', L, features); see axes.ts.
    const [query, value] = [fold(xs[0]!, plan), fold(xs[1]!, plan)];
    const key = xs[2] === undefined ? value : fold(xs[2], plan);
    const p = this.projections!;
    const [b, t] = query.shape as [number, number];
    const s = value.shape[1]!;

    // (batch, L, d) → (batch, H, L, headDim); the query scaled by 1/√keyDim before the product.
    const q = mul(this.heads(query, p.query), 1 / Math.sqrt(this.keyDim));
    const k = this.heads(key, p.key);
    const v = this.heads(value, p.value);
    let scores = matmul(q, k, { transposeB: true }); // (batch, H, T, S)

    const masks = this.sequenceMasks(options.masks);
    const mask = this.attentionMask(xs, masks, plan, [b, t, s]);
    if (mask !== null) {
      const m = reshape(mask, [mask.shape[0]!, 1, t, s]);
      // Masked keys get ~0 weight; multiplying by the mask zeroes a row with no visible key.
      scores = mul(softmax(maskScores(scores, m), { axis: -1 }), m);
    } else {
      scores = softmax(scores, { axis: -1 });
    }
    const weights = options.training && this.dropout > 0 ? this.dropped(scores) : scores;

    // (batch, H, T, valueDim) → (batch, T, H·valueDim) → the output projection.
    const heads = reshape(transpose(matmul(weights, v), [0, 2, 1, 3]), [b * t, -1]);
    const out = this.outputShape ?? [query.shape[2]!];
    const kernel = reshape(p.attention_output.kernel, [this.numHeads * this.valueDim, -1]);
    let y = matmul(heads, kernel);
    if (p.attention_output.bias !== null) y = add(y, reshape(p.attention_output.bias, [-1]));
    y = unfoldOutput(reshape(y, [b, t, ...out]), xs[0]!.shape, plan);

    if (!this.wantsScores()) return [y];
    return [y, unfoldScores(scores, xs[0]!.shape, xs[1]!.shape, plan)];
  }

  /** x (batch, L, d) through kernel (d, H, headDim) and bias (H, headDim) to (batch, H, L, ·). */
  private heads(x: Tensor, p: Projection): Tensor {
    const [b, l, d] = x.shape as [number, number, number];
    let y = matmul(reshape(x, [b * l, d]), reshape(p.kernel, [d, -1]));
    if (p.bias !== null) y = add(y, reshape(p.bias, [-1]));
    return transpose(reshape(y, [b, l, this.numHeads, -1]), [0, 2, 1, 3]);
  }

  /** The output keeps the query's mask, as in Keras; the scores have none. */
  override computeMasks(
    _xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    return [this.sequenceMasks(masks)[0] ?? null, null];
  }

  /** Query, value and key masks: `attend`'s options, else the masks riding on the inputs. */
  private sequenceMasks(attached: readonly (Tensor | null)[]): (Tensor | null)[] {
    const p = this.pending;
    return [
      p?.queryMask ?? attached[0] ?? null,
      p?.valueMask ?? attached[1] ?? null,
      p?.keyMask ?? attached[2] ?? null,
    ];
  }

  /** The and of the caller's mask, the causal mask and the inputs' Keras masks, as Keras. */
  private attentionMask(
    xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
    plan: AxesPlan,
    folded: [number, number, number],
  ): Tensor | null {
    return combinedMask({
      inputs: xs,
      masks,
      attentionMask: this.pending?.attentionMask ?? null,
      causal: this.pending?.useCausalMask ?? this.useCausalMask,
      plan,
      folded,
      where: `MultiHeadAttention ${this.name}`,
    });
  }

  /** Inverted dropout on the attention probabilities. */
  private dropped(p: Tensor): Tensor {
    const rng = this.rng ?? randomFor(undefined);
    const keep = allocate(p.dtype, p.size);
    const scale = 1 / (1 - this.dropout);
    for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() >= this.dropout ? scale : 0;
    return mul(p, new Tensor(keep, p.shape));
  }

  override getConfig(): Config {
    const out = this.outputShape;
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: out === null ? null : this.outputWasInt ? out[0]! : (out.slice() as JsonValue[]),
      attentionAxes: this.attentionAxes === null ? null : this.attentionAxes.slice(),
      kernelInitializer: serialized(this.kernelInitializer),
      biasInitializer: serialized(this.biasInitializer),
      kernelRegularizer: serialized(this.kernelRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
      kernelConstraint: serialized(this.kernelConstraint),
      biasConstraint: serialized(this.biasConstraint),
      seed: this.seed,
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
    };
  }
}

registerLayer(MultiHeadAttention);
