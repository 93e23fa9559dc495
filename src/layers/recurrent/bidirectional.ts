import { invalidArgument } from '../../errors.js';
import { add, mul } from '../../ops/elementwise.js';
import { gather } from '../../ops/indexing.js';
import { arange } from '../../tensor/creation.js';
import { concat } from '../../ops/shape-join.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type CallManyOptions, Layer, type LayerArgs } from '../base/layer.js';
import { deserializeLayer, registerLayer, serializeLayer } from '../base/register.js';
import type { Config, JsonValue } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';
import { RNN } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer run forwards; a copy runs backwards. */
  layer: RNN;
  /** How the two directions combine: 'concat' (default), 'sum', 'mul', 'ave', or null (both). */
  mergeMode?: MergeMode;
  /** A different layer for the backward direction (it must process the sequence backwards). */
  backwardLayer?: RNN;
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the outputs. With
 * returnSequences the backward outputs are reversed back into time order before merging.
 * With returnState the outputs are [merged, ...forward states, ...backward states].
 */
export class Bidirectional extends Layer {
  static override readonly className = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;
  /** The wrapped layer's own name, which the config keeps (the copies add prefixes). */
  private readonly innerName: string;

  constructor(args: BidirectionalArgs) {
    super(args); // Keras 3 names it `bidirectional`, `bidirectional_1`, … like any layer
    if (!(args.layer instanceof RNN)) {
      throw invalidArgument(
        `Bidirectional needs a recurrent layer (SimpleRNN, LSTM, GRU). Received: ` +
          `layer=${String(args.layer)}`,
      );
    }
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mode !== null && !['concat', 'sum', 'mul', 'ave'].includes(mode)) {
      throw invalidArgument(
        `Bidirectional: mergeMode must be 'concat', 'sum', 'mul', 'ave' or null. Received: ` +
          `mergeMode=${String(mode)}`,
      );
    }
    this.mergeMode = mode;
    this.innerName = args.layer.name;
    const config = args.layer.getConfig();
    const cls = args.layer.constructor as unknown as { fromConfig(c: Config): RNN };
    this.forwardLayer = this.track(
      cls.fromConfig({ ...config, name: `forward_${withoutPrefix(args.layer.name, 'forward_')}` }),
    );
    this.backwardLayer = this.track(
      args.backwardLayer ??
        cls.fromConfig({
          ...config,
          name: `backward_${withoutPrefix(args.layer.name, 'forward_')}`,
          goBackwards: !args.layer.goBackwards,
        }),
    );
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (b.returnSequences !== f.returnSequences || b.returnState !== f.returnState) {
      throw invalidArgument(
        `Bidirectional: the forward and backward layers must agree on returnSequences and ` +
          `returnState. Received: returnSequences=${f.returnSequences}/${b.returnSequences}, ` +
          `returnState=${f.returnState}/${b.returnState}`,
      );
    }
    if (b.goBackwards === f.goBackwards) {
      throw invalidArgument(
        `Bidirectional: backwardLayer must run in the other direction than layer. Received: ` +
          `goBackwards=${b.goBackwards} for both. Set goBackwards: ${!f.goBackwards} on it.`,
      );
    }
    // As Keras: merged sequences are zero at masked steps, whatever the layers were built with.
    if (this.forwardLayer.returnSequences) {
      this.forwardLayer.zeroOutputForMask = true;
      this.backwardLayer.zeroOutputForMask = true;
    }
    this.supportsMasking = true;
  }

  override build(inputShape: SymbolicShape): void {
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
  }

  override buildMany(shapes: readonly SymbolicShape[]): void {
    this.build(shapes[0]!);
  }

  /** [x, ...forward initial states, ...backward initial states] → the inputs of each layer. */
  private split<T>(xs: readonly T[]): [T[], T[]] {
    const states = xs.slice(1);
    if (states.length % 2 !== 0) {
      throw invalidArgument(
        `Bidirectional ${this.name}: initial states come in two equal halves, forward then ` +
          `backward. Received: ${states.length} initial states.`,
      );
    }
    const half = states.length / 2;
    return [
      [xs[0]!, ...states.slice(0, half)],
      [xs[0]!, ...states.slice(half)],
    ];
  }

  override computeOutputShapes(shapes: readonly SymbolicShape[]): SymbolicShape[] {
    const [forwardShapes, backwardShapes] = this.split(shapes);
    const [fy, ...fs] = this.forwardLayer.computeOutputShapes(forwardShapes);
    const [by, ...bs] = this.backwardLayer.computeOutputShapes(backwardShapes);
    const last = (s: SymbolicShape): number | null => s[s.length - 1] ?? null;
    let merged: SymbolicShape[];
    if (this.mergeMode === null) merged = [fy!, by!];
    else if (this.mergeMode === 'concat') {
      const a = last(fy!);
      const b = last(by!);
      merged = [[...fy!.slice(0, -1), a === null || b === null ? null : a + b]];
    } else merged = [fy!];
    return this.forwardLayer.returnState ? [...merged, ...fs, ...bs] : merged;
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return this.forwardLayer.returnSequences ? mask : null;
  }

  /** The merged sequence (or both, with mergeMode null) keeps the input's mask; states none. */
  override computeMasks(
    _xs: readonly Tensor[],
    masks: readonly (Tensor | null)[],
  ): (Tensor | null)[] {
    const mask = this.forwardLayer.returnSequences ? (masks[0] ?? null) : null;
    const sequences = this.mergeMode === null ? [mask, mask] : [mask];
    const states = this.forwardLayer.returnState
      ? [...this.forwardLayer.cell.stateSizes, ...this.backwardLayer.cell.stateSizes].map(
          () => null,
        )
      : [];
    return [...sequences, ...states];
  }

  override callMany(xs: readonly Tensor[], options: CallManyOptions): Tensor[] {
    const [forwardXs, backwardXs] = this.split(xs);
    const [fy, ...fs] = this.forwardLayer.callMany(forwardXs, options);
    const [by0, ...bs] = this.backwardLayer.callMany(backwardXs, options);
    let by = by0!;
    if (this.backwardLayer.returnSequences && this.backwardLayer.goBackwards) {
      const steps = by.shape[1]!;
      by = gather(by, arange(steps - 1, -1, -1), { axis: 1 });
    }
    let merged: Tensor[];
    switch (this.mergeMode) {
      case 'concat':
        merged = [concat([fy!, by], { axis: -1 })];
        break;
      case 'sum':
        merged = [add(fy!, by)];
        break;
      case 'mul':
        merged = [mul(fy!, by)];
        break;
      case 'ave':
        merged = [mul(add(fy!, by), 0.5)];
        break;
      default:
        merged = [fy!, by];
    }
    return this.forwardLayer.returnState ? [...merged, ...fs, ...bs] : merged;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      layer: renamed(serializeLayer(this.forwardLayer), this.innerName),
      backwardLayer: serializeLayer(this.backwardLayer) as unknown as JsonValue,
      mergeMode: this.mergeMode,
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const { layer, backwardLayer, ...rest } = config as Config & {
      layer: JsonValue;
      backwardLayer: JsonValue;
    };
    const forward = deserializeLayer(layer as never) as RNN;
    const backward = deserializeLayer(backwardLayer as never) as RNN;
    const args = {
      ...(rest as unknown as BidirectionalArgs),
      layer: forward,
      backwardLayer: backward,
    };
    return new Bidirectional(args) as unknown as T;
  }
}

/** Keras writes the forward copy (`forward_lstm`) as the wrapped layer; do not prefix it twice. */
function withoutPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function renamed(serialized: unknown, name: string): JsonValue {
  const s = serialized as { className: string; config: Config };
  return { className: s.className, config: { ...s.config, name } } as unknown as JsonValue;
}

registerLayer(Bidirectional);
