/**
 * The Keras functional-API guide, translated line by line, plus the mistakes its readers make.
 * Parameter counts are the ones the guide prints for the same models.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Dense,
  Input,
  Model,
  Sequential,
  TensileError,
  clearSession,
  modelFromJSON,
  ones,
  plotModel,
  registerLayer,
  summaryText,
  tensor,
} from '../../src/index.js';
import * as L from '../../src/layers/namespace.js';
import type { SymbolicTensor } from '../../src/layers/base/symbolic.js';
import type { Tensor } from '../../src/tensor/tensor.js';

beforeEach(() => clearSession());

/** The guide's encoder and decoder (conv autoencoder), each its own model. */
function encoderDecoder(): { encoder: Model; decoder: Model } {
  const encoderInput = Input({ shape: [28, 28, 1], name: 'img' });
  let x = new L.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(encoderInput);
  x = new L.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new L.MaxPooling2D({ poolSize: 3 }).apply(x);
  x = new L.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new L.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
  const encoderOutput = new L.GlobalMaxPooling2D().apply(x);
  const encoder = new Model({ inputs: encoderInput, outputs: encoderOutput, name: 'encoder' });

  const decoderInput = Input({ shape: [16], name: 'encoded_img' });
  x = new L.Reshape({ targetShape: [4, 4, 1] }).apply(decoderInput);
  x = new L.Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new L.Conv2DTranspose({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new L.UpSampling2D({ size: 3 }).apply(x);
  x = new L.Conv2DTranspose({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
  const decoderOutput = new L.Conv2DTranspose({
    filters: 1,
    kernelSize: 3,
    activation: 'relu',
  }).apply(x);
  const decoder = new Model({ inputs: decoderInput, outputs: decoderOutput, name: 'decoder' });
  return { encoder, decoder };
}

function autoencoder(): { model: Model; encoder: Model; decoder: Model } {
  const { encoder, decoder } = encoderDecoder();
  const input = Input({ shape: [28, 28, 1], name: 'img' });
  const model = new Model({
    inputs: input,
    outputs: decoder.apply(encoder.apply(input)),
    name: 'autoencoder',
  });
  return { model, encoder, decoder };
}

function summaryLines(model: Model, options = {}): string[] {
  let text = '';
  model.summary({ ...options, printFn: (t) => (text = t) });
  return text.split('\n');
}

function catchError(fn: () => unknown): TensileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TensileError) return e;
    throw e;
  }
  throw new Error('expected a TensileError');
}

describe('the functional-API guide, line by line', () => {
  it('builds the ticket classifier with its published parameter counts', () => {
    const [numTags, numWords, numDepartments] = [12, 10000, 4];
    const titleInput = Input({ shape: [null], name: 'title' });
    const bodyInput = Input({ shape: [null], name: 'body' });
    const tagsInput = Input({ shape: [numTags], name: 'tags' });
    let titleFeatures = new L.Embedding({ inputDim: numWords, outputDim: 64 }).apply(titleInput);
    let bodyFeatures = new L.Embedding({ inputDim: numWords, outputDim: 64 }).apply(bodyInput);
    titleFeatures = new L.LSTM({ units: 128 }).apply(titleFeatures);
    bodyFeatures = new L.LSTM({ units: 32 }).apply(bodyFeatures);
    const x = L.concatenate([titleFeatures, bodyFeatures, tagsInput]);
    const priority = new L.Dense({ units: 1, name: 'priority' }).apply(x);
    const department = new L.Dense({ units: numDepartments, name: 'department' }).apply(x);
    const model = new Model({
      inputs: [titleInput, bodyInput, tagsInput],
      outputs: { priority, department },
    });

    expect(model.countParams()).toBe(1392097);
    expect(model.layers.map((l) => l.name)).toEqual([
      'title',
      'body',
      'embedding',
      'embedding_1',
      'lstm',
      'lstm_1',
      'tags',
      'concatenate',
      'priority',
      'department',
    ]);
    const ys = model.applyMany([
      tensor([[1, 2, 3, 4, 5]]),
      tensor([[6, 7, 8]]),
      ones([1, numTags]),
    ]);
    expect(ys.map((y) => y.shape)).toEqual([
      [1, 1],
      [1, 4],
    ]);
  });

  it('keeps the names of record inputs and outputs through JSON', () => {
    const x = Input({ shape: [3] });
    const model = new Model({
      inputs: { features: x },
      outputs: {
        priority: new L.Dense({ units: 1 }).apply(x),
        department: new L.Dense({ units: 4 }).apply(x),
      },
    });
    const copy = modelFromJSON(model.toJSON());
    expect(copy.inputNames).toEqual(['features']);
    expect(copy.outputNames).toEqual(['priority', 'department']);
  });

  it('composes encoder and decoder models into the autoencoder with the guide counts', () => {
    const { model, encoder, decoder } = autoencoder();
    expect(encoder.countParams()).toBe(18672);
    expect(decoder.countParams()).toBe(9569);
    expect(model.countParams()).toBe(28241);
    expect(model.layers.map((l) => l.name)).toEqual(['img', 'encoder', 'decoder']);
    expect(model.apply(ones([2, 28, 28, 1])).shape).toEqual([2, 28, 28, 1]);
  });

  it('freezes a nested model with trainable = false, as summary() reports', () => {
    const { model, encoder } = autoencoder();
    encoder.trainable = false;
    expect(summaryLines(model).slice(-3)).toEqual([
      ' Total params: 28,241 (110.32 KB)',
      ' Trainable params: 9,569 (37.38 KB)',
      ' Non-trainable params: 18,672 (72.94 KB)',
    ]);
    // The frozen flag survives a JSON round trip.
    const copy = modelFromJSON(model.toJSON());
    expect(copy.getLayer('encoder').trainable).toBe(false);
    expect(copy.trainableWeights.reduce((n, w) => n + w.size, 0)).toBe(9569);
  });

  it('keeps the nesting indent on the line a long nested name wraps onto', () => {
    const { model } = autoencoder();
    const lines = summaryLines(model, { expandNested: true, lineLength: 76 });
    const at = lines.findIndex((l) => l.includes('└ max_pooling2d'));
    expect(lines[at]).toMatch(/^│ {4}└ max_pooling2d +│ \(None, 8, 8, 32\) +│ +0 │$/);
    expect(lines[at + 1]).toMatch(/^│ {6}\(MaxPooling2D\) +│ +│ +│$/);
    // Every line of the table still has the table's width.
    expect(lines.slice(1, -3).every((l) => [...l].length === 76)).toBe(true);
  });

  it('averages three models called on one new input (ensembling)', () => {
    const getModel = (): Model => {
      const inputs = Input({ shape: [128] });
      return new Model({ inputs, outputs: new L.Dense({ units: 1 }).apply(inputs) });
    };
    const models = [getModel(), getModel(), getModel()];
    const inputs = Input({ shape: [128] });
    const ensemble = new Model({ inputs, outputs: L.average(models.map((m) => m.apply(inputs))) });
    expect(ensemble.countParams()).toBe(387);
    const x = ones([2, 128]);
    const mean = models.map((m) => m.apply(x).values[0]!).reduce((a, b) => a + b) / 3;
    expect(ensemble.apply(x).values[0]).toBeCloseTo(mean, 5);
  });

  it('shares one Embedding and one LSTM between two inputs, through JSON and setWeights', () => {
    const sharedEmbedding = new L.Embedding({ inputDim: 1000, outputDim: 8 });
    const sharedLstm = new L.LSTM({ units: 4 });
    const a = Input({ shape: [null], dtype: 'int32' });
    const b = Input({ shape: [null], dtype: 'int32' });
    const encodedA = sharedLstm.apply(sharedEmbedding.apply(a));
    const encodedB = sharedLstm.apply(sharedEmbedding.apply(b));
    const model = new Model({ inputs: [a, b], outputs: L.concatenate([encodedA, encodedB]) });
    // 1000·8 + 4·(4·(8 + 4) + 4)
    expect(model.countParams()).toBe(8000 + 208);

    const copy = modelFromJSON(model.toJSON());
    copy.setWeights(model.getWeights());
    const xa = tensor([[1, 2, 3]], { dtype: 'int32' });
    const xb = tensor([[7, 8]], { dtype: 'int32' });
    const want = model.applyMany([xa, xb])[0]!;
    const got = copy.applyMany([xa, xb])[0]!;
    expect(Array.from(got.values)).toEqual(Array.from(want.values));
    // The shared LSTM gives the same code for the same sequence on either branch.
    const same = model.applyMany([xa, xa])[0]!.values;
    expect(Array.from(same.slice(0, 4))).toEqual(Array.from(same.slice(4, 8)));
  });

  it('extracts intermediate features with getLayer(...).output', () => {
    const model = new Sequential([
      Input({ shape: [16, 16, 3] }),
      new L.Conv2D({ filters: 4, kernelSize: 5, strides: 2, activation: 'relu' }),
      new L.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', name: 'my_intermediate' }),
      new L.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }),
    ]);
    const extractor = new Model({
      inputs: model.inputs,
      outputs: model.getLayer('my_intermediate').output,
    });
    const all = new Model({ inputs: model.input, outputs: model.layers.map((l) => l.output) });
    expect(all.outputs.map((o) => o.shape)).toEqual([
      [null, 6, 6, 4],
      [null, 4, 4, 4],
      [null, 2, 2, 4],
    ]);
    const x = ones([1, 16, 16, 3]);
    const direct = model.getLayer('my_intermediate').apply(model.getLayer(0).apply(x));
    expect(Array.from(extractor.apply(x).values)).toEqual(Array.from(direct.values));
  });

  it('nests a built Sequential as the first layer of another', () => {
    const inner = new Sequential([new L.Dense({ units: 4, inputShape: [3] })]);
    const outer = new Sequential([inner, new L.Dense({ units: 1 })]);
    expect(outer.built).toBe(true);
    expect(outer.countParams()).toBe(16 + 5);
    const copy = modelFromJSON(outer.toJSON());
    copy.setWeights(outer.getWeights());
    const x = tensor([[1, 2, 3]]);
    expect(Array.from(copy.apply(x).values)).toEqual(Array.from(outer.apply(x).values));
  });

  it('gives a nested model outputs of different dtypes their own dtypes', () => {
    const tokens = Input({ shape: [3], dtype: 'int32' });
    const inner = new Model({
      inputs: tokens,
      outputs: [
        new L.Embedding({ inputDim: 10, outputDim: 2 }).apply(tokens),
        new L.Identity().apply(tokens),
      ],
    });
    const outs = inner.applyMany(Input({ shape: [3], dtype: 'int32' }));
    expect(outs.map((o) => o.dtype)).toEqual(['float32', 'int32']);
  });
});

describe('a model computes in the dtype of its graph', () => {
  // With a kernel of ones, 1.0000000001 + 2 + 3 keeps its last digits only in float64.
  const x = tensor([[1.0000000001, 2, 3]], { dtype: 'float64' });
  const dense64 = (args = {}): L.Dense =>
    new L.Dense({ units: 1, dtype: 'float64', kernelInitializer: 'ones', ...args });

  it('for a functional model on a float64 Input', () => {
    const inputs = Input({ shape: [3], dtype: 'float64' });
    const model = new Model({ inputs, outputs: dense64().apply(inputs) });
    expect(model.dtype).toBe('float64');
    const y = model.apply(x);
    expect(y.dtype).toBe('float64');
    expect(y.values[0]).toBe(6.0000000001);
    expect(modelFromJSON(model.toJSON()).dtype).toBe('float64');
  });

  it('for a Sequential model built from data or from inputShape', () => {
    const lazy = new Sequential([dense64()]);
    expect(lazy.apply(x).values[0]).toBe(6.0000000001);
    expect(lazy.dtype).toBe('float64');
    const eager = new Sequential([dense64({ inputShape: [3] })]);
    expect(eager.input.dtype).toBe('float64');
    expect(eager.apply(x).values[0]).toBe(6.0000000001);
  });

  it('for a Sequential nested in a Sequential, both built from data', () => {
    const model = new Sequential([new Sequential([dense64()])]);
    expect(model.apply(x).values[0]).toBe(6.0000000001);
  });

  it('keeps integer token ids integer when a Sequential builds from them', () => {
    const model = new Sequential([new L.Embedding({ inputDim: 5, outputDim: 2 })]);
    model.apply(tensor([[1, 4]], { dtype: 'int32' }));
    expect(model.input.dtype).toBe('int32');
  });
});

describe('mistakes name the layer, the shapes and the way out', () => {
  const small = (): Model => {
    const inputs = Input({ shape: [4] });
    return new Model({ inputs, outputs: new L.Dense({ units: 2 }).apply(inputs), name: 'small' });
  };

  it('one sample without its batch axis', () => {
    const e = catchError(() => small().apply(ones([4])));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('model small: expected (None, 4), received (4)');
    expect(e.message).toContain('reshape(x, [1,4])');
  });

  it('calling a model on the wrong number of inputs, on data or symbolically', () => {
    const model = small();
    for (const call of [
      () => model.applyMany([ones([2, 4]), ones([2, 4])]),
      () => model.applyMany([Input({ shape: [4] }), Input({ shape: [4] })]),
    ]) {
      const e = catchError(call);
      expect(e.code).toBe('invalid_argument');
      expect(e.message).toMatch(
        /Model small expects 1 input\(s\) \(input_layer\S*\), but received 2/,
      );
      expect(e.message).toContain('one tensor per input');
    }
  });

  it('Dense on an unknown last axis', () => {
    const e = catchError(() => new L.Dense({ units: 2 }).apply(Input({ shape: [null] })));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toMatch(/dense.*\(None, None\).*Flatten or reshape/);
  });

  it('a layer reused on an input of another size', () => {
    const dense = new L.Dense({ units: 2 });
    dense.apply(Input({ shape: [4] }));
    const e = catchError(() => dense.apply(Input({ shape: [5] })));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('layer dense (Dense) must have size 4 on axis -1');
    expect(e.message).toContain('expected shape (None, 4), received shape (None, 5)');
    expect(e.message).toContain('create a separate layer');
  });

  it('an LSTM or LayerNormalization reused on another feature size, at construction', () => {
    const lstm = new L.LSTM({ units: 2 });
    lstm.apply(Input({ shape: [5, 3] }));
    const e = catchError(() => lstm.apply(Input({ shape: [5, 4] })));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('LSTM lstm was built for 3 features per step');
    expect(e.message).toContain('inputShape=(None, 5, 4)');

    const norm = new L.LayerNormalization();
    norm.apply(Input({ shape: [6, 3] }));
    // The same feature size at another rank is fine: gamma broadcasts over leading axes.
    expect(norm.apply(Input({ shape: [3] })).shape).toEqual([null, 3]);
    const f = catchError(() => norm.apply(Input({ shape: [4] })));
    expect(f.message).toContain('layer_normalization (LayerNormalization) must have size 3');
  });

  it('setWeights with a wrong shape names the index and changes nothing', () => {
    const model = small();
    const before = model.getWeights().map((w) => Array.from(w.values));
    const e = catchError(() => model.setWeights([ones([4, 2]), ones([3])]));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('values[1] of shape [3] for weight dense/bias of shape [2]');
    expect(model.getWeights().map((w) => Array.from(w.values))).toEqual(before);
  });

  it('one Input listed twice among the inputs', () => {
    const x = Input({ shape: [3], name: 'x' });
    const e = catchError(
      () => new Model({ inputs: [x, x], outputs: new L.Dense({ units: 1 }).apply(x) }),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('Model inputs list x twice (inputs[0] and inputs[1])');
  });

  it('Conv2D on grayscale images without their channels axis', () => {
    const e = catchError(() =>
      new L.Conv2D({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [28, 28] })),
    );
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('Received: inputShape=(None, 28, 28)');
    expect(e.message).toContain('Input({shape: [28, 28, 1]})');
  });

  it('LSTM on a sequence of scalars without its features axis', () => {
    const e = catchError(() => new L.LSTM({ units: 2 }).apply(Input({ shape: [10] })));
    expect(e.code).toBe('shape_mismatch');
    expect(e.message).toContain('Received: inputShape=(None, 10)');
    expect(e.message).toContain('features axis of size 1');
  });

  it('a model started from a hidden tensor instead of an Input', () => {
    const hidden: SymbolicTensor = new L.Dense({ units: 2 }).apply(Input({ shape: [3] }));
    const e = catchError(
      () => new Model({ inputs: hidden, outputs: new L.Dense({ units: 1 }).apply(hidden) }),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('Model inputs must come from Input()');
    expect(e.message).toContain('make a new Input');
  });
});

describe('a layer shared between two models', () => {
  it('shows in each model the shape it has there', () => {
    const flatten = new L.Flatten();
    const a = Input({ shape: [28, 28] });
    const modelA = new Model({ inputs: a, outputs: flatten.apply(a), name: 'a' });
    const b = Input({ shape: [10, 10] });
    new Model({ inputs: b, outputs: flatten.apply(b), name: 'b' });
    expect(summaryLines(modelA, { lineLength: 88 }).join('\n')).toMatch(
      /│ flatten \(Flatten\) +│ \(None, 784\) +│/,
    );
    expect(plotModel(modelA)).toContain('"flatten" [label="flatten (Flatten)\\n(None, 784)"];');
  });
});

describe('subclassed models', () => {
  class MyModel extends Model {
    readonly dense1 = this.track(new L.Dense({ units: 4, activation: 'relu' }));
    readonly dense2 = this.track(new L.Dense({ units: 1 }));

    override call(x: Tensor): Tensor {
      return this.dense2.apply(this.dense1.apply(x));
    }
  }

  it('go by their own class name, as Keras uses the Python class name', () => {
    const model = new MyModel();
    expect(model.name).toBe('my_model');
    expect(model.className).toBe('MyModel');
    const x = Input({ shape: [3] });
    const outer = new Model({ inputs: x, outputs: model.apply(x) });
    expect(summaryLines(outer, { lineLength: 88 }).join('\n')).toMatch(
      /│ my_model \(MyModel\) +│ \(None, 1\) +│ +21 │/,
    );
  });

  it('give symbolic outputs the dtype their call really returns', () => {
    class PassThrough extends Model {
      override call(x: Tensor): Tensor {
        return x;
      }
    }
    const tokens = Input({ shape: [2], dtype: 'int32' });
    expect(new PassThrough().apply(tokens).dtype).toBe('int32');
    // Traced on float64, the float32 Dense layers inside cast it, as in an eager call.
    const x64 = Input({ shape: [3], dtype: 'float64' });
    expect(new MyModel().apply(x64).dtype).toBe('float32');
  });

  it('refuse getConfig instead of saving a graph they do not have', () => {
    const model = new MyModel();
    model.apply(ones([1, 3]));
    const e = catchError(() => model.toJSON());
    expect(e.code).toBe('not_supported');
    expect(e.message).toContain('Model my_model (MyModel) is subclassed');
  });

  it('say why they have no model.input', () => {
    const e = catchError(() => new MyModel().input);
    expect(e.code).toBe('not_built');
    expect(e.message).toContain('Model my_model (MyModel) has no model.input: it is subclassed');
  });

  it('cannot be registered under the class name they inherit', () => {
    class Twice extends Dense {}
    const e = catchError(() => registerLayer(Twice));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain('inherits className=Dense');
    // Dense itself is still what the registry rebuilds.
    expect(
      modelFromJSON(new Sequential([Input({ shape: [2] }), new Dense({ units: 1 })]).toJSON())
        .layers[0],
    ).toBeInstanceOf(Dense);
  });
});

describe('summaryText', () => {
  it('is what summary() prints', () => {
    const { encoder } = encoderDecoder();
    expect(summaryText(encoder, { lineLength: 88 }).split('\n')).toEqual(
      summaryLines(encoder, { lineLength: 88 }),
    );
  });
});
