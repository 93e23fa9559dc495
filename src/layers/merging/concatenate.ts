import { TensileError, invalidArgument } from '../../errors.js';
import { cast, div, greater, maximum, mul } from '../../ops/elementwise.js';
import { ones } from '../../tensor/creation.js';
import { matmul } from '../../ops/linalg.js';
import { max, norm, sum } from '../../ops/reduction.js';
import { concat } from '../../ops/shape-join.js';
import { broadcastTo, expandDims, squeeze, transpose } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type CallManyOptions, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along. Default −1, the last. */
  axis?: number;
}

/** Joins its inputs along `axis`; all other sizes must agree. No weights. */
export class Concatenate extends Layer {
  static override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) {
      throw invalidArgument(`Concatenate: axis must be an integer. Received: axis=${this.axis}`);
    }
  }

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.computeOutputShapes(shapes);
  }

  override callMany(xs: readonly Tensor[], _options: CallManyOptions): Tensor[] {
    return [concat(xs, { axis: this.axis })];
  }

  /**
   * Keras' rule: each input's mask (all true where it has none) is broadcast to the input's
   * shape, the masks are joined like the inputs, and a step is kept where any feature is.
   */
  override computeMasks(
    xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    if (masks.every((m) => m === null)) return [null];
    const full = xs.map((x, i) => {
      const m = masks[i] ?? null;
      if (m === null) return ones(x.shape, { dtype: 'int32' });
      const asInt = cast(m, 'int32');
      return m.rank < x.rank ? broadcastTo(expandDims(asInt, -1), x.shape) : asInt;
    });
    return [greater(max(concat(full, { axis: this.axis }), { axis: -1 }), 0)];
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    if (shapes.length < 1)
      throw invalidArgument(`Layer ${this.name} (Concatenate) needs a list of inputs.`);
    const rank = shapes[0]!.length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const fail = (): never => {
      throw new TensileError(
        'shape_mismatch',
        `Layer ${this.name} (Concatenate) needs inputs with matching shapes except on the ` +
          `concatenation axis ${this.axis}. Received: ${shapes.map(formatShape).join(', ')}.`,
      );
    };
    if (axis < 1 || axis >= rank) {
      throw invalidArgument(
        `Layer ${this.name} (Concatenate): axis=${this.axis} is out of range for inputs of rank ` +
          `${rank} (the batch axis 0 cannot be joined).`,
      );
    }
    const out: (number | null)[] = shapes[0]!.slice();
    for (const s of shapes.slice(1)) {
      if (s.length !== rank) fail();
      s.forEach((d, i) => {
        if (i === axis) out[i] = out[i] === null || d === null ? null : out[i]! + d;
        else if (out[i] === null) out[i] = d;
        else if (d !== null && d !== out[i]) fail();
      });
    }
    return [out];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface DotArgs extends LayerArgs {
  /** The axis of each input to contract (batch axis excluded), or one for both. */
  axes: number | readonly [number, number];
  /**
   * L2-normalize both inputs along the axes first, which gives cosine similarity. Default false.
   */
  normalize?: boolean;
}

/**
 * The dot product of two inputs per sample (Keras' batch_dot) along `axes`: (b, n)·(b, n) →
 * (b, 1); (b, m, k)·(b, k, p) with axes [2, 1] → (b, m, p). Inputs of rank 2 or 3. No weights.
 */
export class Dot extends Layer {
  static override readonly className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    const axes = args.axes;
    const ok = (a: unknown): boolean => Number.isInteger(a);
    if (!(ok(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(ok)))) {
      throw invalidArgument(
        `Dot: axes must be an integer or two integers. Received: axes=${JSON.stringify(axes)}`,
      );
    }
    this.axes = Array.isArray(axes) ? [axes[0]!, axes[1]!] : (axes as number);
    this.normalize = args.normalize ?? false;
  }

  private resolvedAxes(ranks: readonly number[]): [number, number] {
    const [a, b] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [a < 0 ? ranks[0]! + a : a, b < 0 ? ranks[1]! + b : b];
  }

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.computeOutputShapes(shapes);
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    if (shapes.length !== 2) {
      throw invalidArgument(
        `Layer ${this.name} (Dot) takes exactly 2 inputs. Received: ${shapes.length} inputs.`,
      );
    }
    const [x, y] = shapes as [SymbolicShape, SymbolicShape];
    if (x.length < 2 || x.length > 3 || y.length < 2 || y.length > 3) {
      throw new TensileError(
        'not_supported',
        `Layer ${this.name} (Dot) supports inputs of rank 2 or 3. ` +
          `Received: ${formatShape(x)} and ${formatShape(y)}.`,
      );
    }
    const [ax, ay] = this.resolvedAxes([x.length, y.length]);
    if (ax < 1 || ax >= x.length || ay < 1 || ay >= y.length) {
      throw invalidArgument(
        `Layer ${this.name} (Dot): axes=${JSON.stringify(this.axes)} must name non-batch axes.`,
      );
    }
    if (x[ax] !== null && y[ay] !== null && x[ax] !== y[ay]) {
      throw new TensileError(
        'shape_mismatch',
        `Layer ${this.name} (Dot) contracts axis ${ax} of ${formatShape(x)} with axis ${ay} of ` +
          `${formatShape(y)}, but their sizes differ (${x[ax]} != ${y[ay]}).`,
      );
    }
    const rest = [
      ...x.filter((_, i) => i !== 0 && i !== ax),
      ...y.filter((_, i) => i !== 0 && i !== ay),
    ];
    return [[x[0] ?? y[0] ?? null, ...(rest.length === 0 ? [1] : rest)]];
  }

  override callMany(xs: readonly Tensor[], _options: CallManyOptions): Tensor[] {
    let [x, y] = xs as [Tensor, Tensor];
    const [ax, ay] = this.resolvedAxes([x.rank, y.rank]);
    if (this.normalize) {
      x = div(x, maximum(norm(x, { axis: ax, keepDims: true }), 1e-12));
      y = div(y, maximum(norm(y, { axis: ay, keepDims: true }), 1e-12));
    }
    if (x.rank === 2 && y.rank === 2) return [sum(mul(x, y), { axis: 1, keepDims: true })];
    // Rank 3 operands: bring x's contracted axis last and y's to the middle, then matmul.
    const x3 = x.rank === 2 ? expandDims(x, 1) : ax === 1 ? transpose(x, [0, 2, 1]) : x;
    const y3 = y.rank === 2 ? expandDims(y, 2) : ay === 2 ? transpose(y, [0, 2, 1]) : y;
    let out = matmul(x3, y3);
    if (x.rank === 2) out = squeeze(out, 1);
    if (y.rank === 2) out = squeeze(out, -1);
    return [out];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

registerLayer(Concatenate);
registerLayer(Dot);
