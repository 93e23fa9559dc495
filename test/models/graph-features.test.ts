import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CallOptions,
  type Config,
  Dense,
  Dropout,
  Embedding,
  Input,
  Layer,
  type LayerArgs,
  Model,
  type SymbolicShape,
  type Tensor,
  TensileError,
  clearSession,
  deserializeLayer,
  mul,
  ones,
  plotModelSvg,
  registerLayer,
  serializeLayer,
  tensor,
} from '../../src/index.js';

beforeEach(() => clearSession());

/** A custom layer as a user writes one: scales by a trainable factor, records the mask it got. */
class Scale extends Layer {
  static override readonly className = 'Scale';
  readonly initial: number;
  factor: Tensor | null = null;
  lastMask: Tensor | null = null;

  constructor(args: LayerArgs & { initial?: number } = {}) {
    super(args);
    this.initial = args.initial ?? 1;
    this.supportsMasking = true;
  }

  override build(): void {
    this.factor = this.addWeight({
      name: 'factor',
      shape: [],
      initializer: { className: 'Constant', config: { value: this.initial } },
    });
  }

  override call(x: Tensor, { mask }: CallOptions): Tensor {
    this.lastMask = mask;
    return mul(x, this.factor!);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), initial: this.initial };
  }
}
registerLayer(Scale);

describe('custom layers', () => {
  it('join the registry with one call and round-trip inside a model', () => {
    const x = Input({ shape: [2] });
    const model = new Model({ inputs: x, outputs: new Scale({ initial: 3 }).apply(x) });
    const again = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(model)))) as Model;
    expect(again.layers[1]).toBeInstanceOf(Scale);
    expect(again.apply(tensor([[1, 2]])).toArray()).toEqual([[3, 6]]);
  });

  it('receive the mask an upstream Embedding attached, through the graph', () => {
    const tokens = Input({ shape: [3], dtype: 'int32' });
    const scale = new Scale();
    const model = new Model({
      inputs: tokens,
      outputs: scale.apply(
        new Embedding({ inputDim: 4, outputDim: 2, maskZero: true }).apply(tokens),
      ),
    });
    model.apply(tensor([[2, 0, 1]], { dtype: 'int32' }));
    expect(scale.lastMask?.toArray()).toEqual([[true, false, true]]);
  });
});

describe('graph features', () => {
  it('a node called with training: false stays in inference mode during training', () => {
    const x = Input({ shape: [100] });
    const frozenDropout = new Dropout({ rate: 0.9, seed: 1 }).apply(x, { training: false });
    const model = new Model({ inputs: x, outputs: frozenDropout });
    const { outputs } = model.forward([ones([2, 100])], true);
    expect(Array.from(outputs[0]!.values).every((v) => v === 1)).toBe(true);
  });

  it('applyConstraints projects constrained weights in place', () => {
    const x = Input({ shape: [2] });
    const d = new Dense({ units: 2, kernelConstraint: 'nonNeg' });
    const model = new Model({ inputs: x, outputs: d.apply(x) });
    d.setWeights([
      tensor([
        [-1, 2],
        [3, -4],
      ]),
      tensor([-1, -1]),
    ]);
    model.applyConstraints();
    expect(d.getWeights()[0]!.toArray()).toEqual([
      [0, 2],
      [3, 0],
    ]);
    expect(d.getWeights()[1]!.toArray()).toEqual([-1, -1]);
  });

  it('freezing a layer stops gradients reaching its weights', () => {
    const d = new Dense({ units: 2, trainable: false });
    const x = Input({ shape: [3] });
    const model = new Model({ inputs: x, outputs: new Dense({ units: 1 }).apply(d.apply(x)) });
    expect(d.kernel!.requiresGrad).toBe(false);
    expect(model.trainableWeights.length).toBe(2);
    expect(model.nonTrainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
    d.trainable = true;
    expect(d.kernel!.requiresGrad).toBe(true);
  });

  it('clearSession restarts automatic names', () => {
    expect(new Dense({ units: 1 }).name).toBe('dense');
    expect(new Dense({ units: 1 }).name).toBe('dense_1');
    clearSession();
    expect(new Dense({ units: 1 }).name).toBe('dense');
  });

  it('Input validates its shape', () => {
    expect(() => Input({ shape: [-1] })).toThrow(
      /Input shape must hold non-negative integers or null. Received: shape=\[-1\]/,
    );
    expect(() => Input({} as never)).toThrow(TensileError);
    expect(Input({ shape: [3], batchSize: 8 }).shape).toEqual([8, 3]);
  });

  it('plotModelSvg draws one box per layer and one arrow per connection', () => {
    const x = Input({ shape: [3] });
    const model = new Model({
      inputs: x,
      outputs: new Dense({ units: 1 }).apply(new Dense({ units: 2 }).apply(x)),
    });
    const svg = plotModelSvg(model);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBe(3);
    expect(svg.match(/<line /g)?.length).toBe(2);
    expect(svg).toContain('>dense_1 (Dense)</text>');
  });
});

describe('subclassed models and layer.output', () => {
  class TwoLayer extends Model {
    readonly hidden = this.track(new Dense({ units: 4, activation: 'relu' }));
    readonly head = this.track(new Dense({ units: 1 }));

    override call(x: Tensor, options: CallOptions): Tensor {
      return this.head.apply(this.hidden.apply(x, options), options);
    }
  }

  it('build on their first call and train through forward()', () => {
    const model = new TwoLayer({ name: 'two_layer' });
    expect(model.built).toBe(false);
    const { outputs } = model.forward([ones([5, 3])], true);
    expect(outputs[0]!.shape).toEqual([5, 1]);
    expect(model.trainableWeights.map((w) => w.name)).toEqual([
      'two_layer/dense/kernel',
      'two_layer/dense/bias',
      'two_layer/dense_1/kernel',
      'two_layer/dense_1/bias',
    ]);
    expect(model.countParams()).toBe(3 * 4 + 4 + 4 + 1);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
  });

  it('can be called inside a functional model', () => {
    const x = Input({ shape: [3] });
    const inner = new TwoLayer();
    const outer = new Model({ inputs: x, outputs: inner.apply(x) });
    expect(outer.outputs[0]!.shape).toEqual([null, 1]);
    expect(outer.countParams()).toBe(21);
  });

  it('layer.output gives the symbolic tensor of a layer, for feature extractors', () => {
    const x = Input({ shape: [3] });
    const a = new Dense({ units: 4 });
    const b = new Dense({ units: 2 });
    const model = new Model({ inputs: x, outputs: b.apply(a.apply(x)) });
    const features = new Model({
      inputs: model.inputs,
      outputs: model.layers.slice(1).map((l) => l.output),
    });
    const [fa, fb] = features.applyMany(ones([1, 3]));
    expect([fa!.shape, fb!.shape]).toEqual([
      [1, 4],
      [1, 2],
    ]);
    expect(a.input).toBe(x);
    expect(model.input).toBe(x);
    expect(model.output).toBe(model.outputs[0]);
    expect(() => features.output).toThrow(
      /has 2 outputs; use model.outputs instead of model.output/,
    );
    const shared = new Dense({ units: 1 });
    shared.apply(x);
    shared.apply(x);
    expect(() => shared.output).toThrow(
      /has been called 2 times in graphs, so layer.output is ambiguous/,
    );
  });
});
