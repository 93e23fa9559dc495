import { beforeEach, describe, expect, it } from 'vitest';
import {
  Concatenate,
  Dense,
  Flatten,
  Input,
  Model,
  TensileError,
  clearSession,
  cloneModel,
  deserializeLayer,
  modelFromJSON,
  mean,
  ones,
  serializeLayer,
  tensor,
} from '../../src/index.js';
import * as layers from '../../src/layers/namespace.js';
import { expectClose, rand64 } from '../helpers/gradcheck.js';
import { layerGradcheck } from '../layers/harness.js';

beforeEach(() => clearSession());

function mnist(): Model {
  const inputs = Input({ shape: [28, 28] });
  let x = new Flatten().apply(inputs);
  x = new Dense({ units: 128, activation: 'relu' }).apply(x);
  const outputs = new Dense({ units: 10, activation: 'softmax' }).apply(x);
  return new Model({ inputs, outputs });
}

describe('functional models', () => {
  it('infers shapes before any data flows and counts parameters as Keras', () => {
    const model = mnist();
    expect(model.name).toBe('functional');
    expect(model.layers.map((l) => l.name)).toEqual(['input_layer', 'flatten', 'dense', 'dense_1']);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    expect(model.countParams()).toBe(101770);
    expect(model.inputNames).toEqual(['input_layer']);
    expect(model.outputNames).toEqual(['dense_1']);
  });

  it('runs eagerly on tensors, and autograd reaches every weight', () => {
    const model = mnist();
    const y = model.apply(ones([2, 28, 28]));
    expect(y.shape).toEqual([2, 10]);
    expectClose(mean(y, { axis: 1 }), [0.1, 0.1], 1e-6);
    const { outputs } = model.forward([ones([3, 28, 28])], true);
    mean(outputs[0]!).backward();
    for (const w of model.trainableWeights) expect(w.grad, w.name).not.toBeNull();
  });

  it('wires a diamond and runs each branch once', () => {
    const x = Input({ shape: [3] });
    const a = new Dense({ units: 2, kernelInitializer: 'ones', name: 'a' }).apply(x);
    const b = new Dense({ units: 2, kernelInitializer: 'ones', name: 'b' }).apply(x);
    const out = layers.add([a, b]);
    const model = new Model({ inputs: x, outputs: out });
    expect(model.layers.map((l) => l.name)).toEqual(['input_layer', 'a', 'b', 'add']);
    expect(model.apply(tensor([[1, 2, 3]])).toArray()).toEqual([[12, 12]]);
  });

  it('shares one layer and one set of weights between two calls', () => {
    const shared = new Dense({ units: 4 });
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const out = new Concatenate().apply([shared.apply(a), shared.apply(b)]);
    const model = new Model({ inputs: [a, b], outputs: out });
    expect(model.countParams()).toBe(16);
    expect(model.trainableWeights.length).toBe(2);
    expect(shared.inboundNodes.length).toBe(2);
    const y = model.applyMany([tensor([[1, 2, 3]]), tensor([[1, 2, 3]])])[0]!;
    const v = Array.from(y.values);
    expect(v.slice(0, 4)).toEqual(v.slice(4));
  });

  it('nests a model as a layer (encoder and decoder in an autoencoder)', () => {
    const encIn = Input({ shape: [8] });
    const encoder = new Model({
      inputs: encIn,
      outputs: new Dense({ units: 3 }).apply(encIn),
      name: 'encoder',
    });
    const decIn = Input({ shape: [3] });
    const decoder = new Model({
      inputs: decIn,
      outputs: new Dense({ units: 8 }).apply(decIn),
      name: 'decoder',
    });
    const x = Input({ shape: [8] });
    const auto = new Model({
      inputs: x,
      outputs: decoder.apply(encoder.apply(x)),
      name: 'autoencoder',
    });
    expect(auto.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      'input_layer_2:InputLayer',
      'encoder:Functional',
      'decoder:Functional',
    ]);
    expect(auto.countParams()).toBe(8 * 3 + 3 + 3 * 8 + 8);
    expect(auto.weights.map((w) => w.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_1/bias',
    ]);
    expect(auto.outputs[0]!.shape).toEqual([null, 8]);
    const xv = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(auto.apply(xv).values).toEqual(decoder.apply(encoder.apply(xv)).values);
  });

  it('takes several inputs and outputs, as arrays or named records', () => {
    const image = Input({ shape: [4], name: 'image' });
    const meta = Input({ shape: [2], name: 'meta' });
    const h = new Dense({ units: 5, activation: 'relu' }).apply(
      new Concatenate().apply([image, meta]),
    );
    const score = new Dense({ units: 1, name: 'score' }).apply(h);
    const klass = new Dense({ units: 3, activation: 'softmax', name: 'class' }).apply(h);
    const model = new Model({ inputs: { image, meta }, outputs: { score, klass } });
    expect(model.inputNames).toEqual(['image', 'meta']);
    expect(model.outputNames).toEqual(['score', 'klass']);
    const { outputs } = model.forward([ones([2, 4]), ones([2, 2])], false);
    expect(outputs.map((o) => o.shape)).toEqual([
      [2, 1],
      [2, 3],
    ]);
    const listed = new Model({ inputs: [image, meta], outputs: [score, klass] });
    expect(listed.outputNames).toEqual(['score', 'class']);
  });

  it('round-trips its config, wiring included', () => {
    const x = Input({ shape: [3] });
    const shared = new Dense({ units: 2 });
    const y = layers.add([shared.apply(x), shared.apply(new Dense({ units: 3 }).apply(x))]);
    const model = new Model({ inputs: x, outputs: y, name: 'm' });
    const json = JSON.parse(JSON.stringify(serializeLayer(model)));
    const again = deserializeLayer(json) as Model;
    expect(again).toBeInstanceOf(Model);
    expect(again.getConfig()).toEqual(model.getConfig());
    expect(again.countParams()).toBe(model.countParams());
    again.setWeights(model.getWeights());
    const v = tensor([[1, -2, 3]]);
    expect(again.apply(v).values).toEqual(model.apply(v).values);
  });

  it('freezes every layer when trainable is false', () => {
    const model = mnist();
    model.trainable = false;
    expect(model.trainableWeights.length).toBe(0);
    expect(model.nonTrainableWeights.length).toBe(4);
    model.getLayer('dense').trainable = true;
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
  });

  it('sets and gets weights in Keras order', () => {
    const model = mnist();
    const w = model.getWeights();
    expect(w.map((t) => t.shape)).toEqual([[784, 128], [128], [128, 10], [10]]);
    model.setWeights(w.map((t) => ones(t.shape as number[])));
    expect(model.getWeights()[3]!.toArray()).toEqual(new Array(10).fill(1));
    expect(() => model.setWeights(w.slice(1))).toThrow(/has 4 weights; setWeights\(\) received 3/);
  });

  it('returns weight and activity penalties from forward()', () => {
    const x = Input({ shape: [2] });
    const y = new Dense({
      units: 1,
      kernelInitializer: 'ones',
      kernelRegularizer: 'l2',
      activityRegularizer: 'l1',
    }).apply(x);
    const model = new Model({ inputs: x, outputs: y });
    const { losses } = model.forward([tensor([[1, -3]])], true);
    // l1 activity: 0.01·|1 − 3| = 0.02; l2 kernel: 0.01·(1 + 1) = 0.02.
    expect(losses.map((l) => l.item()).sort()).toEqual(
      [0.02, 0.02].map((v) => expect.closeTo(v, 7)),
    );
  });
});

describe('functional errors', () => {
  it('an output not reachable from the inputs names the tensor', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const out = new Dense({ units: 2 }).apply(b);
    try {
      new Model({ inputs: a, outputs: out });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('invalid_argument');
      expect((e as TensileError).message).toMatch(
        /^Output 0 \(<SymbolicTensor shape=\(None, 2\) dtype=float32 from dense\[0\]\[0\]>\) is not reachable from the model's inputs: it depends on input_layer_1 with shape \(None, 3\), which is not among inputs=\[input_layer\]/,
      );
    }
  });

  it('a shape mismatch at construction names the layer and both shapes', () => {
    const x = Input({ shape: [4] });
    const d = new Dense({ units: 3 });
    d.apply(Input({ shape: [5] }));
    expect(() => d.apply(x)).toThrow(
      /input of layer dense \(Dense\) must have size 5 on axis -1; expected shape \(None, 5\), received shape \(None, 4\)/,
    );
  });

  it('duplicate layer names and non-Input inputs are rejected', () => {
    const x = Input({ shape: [2] });
    const y = new Dense({ units: 2, name: 'same' }).apply(
      new Dense({ units: 2, name: 'same' }).apply(x),
    );
    expect(() => new Model({ inputs: x, outputs: y })).toThrow(
      /The name "same" is used 2 times in the model/,
    );
    expect(() => new Model({ inputs: y, outputs: y })).toThrow(
      /Model inputs must come from Input\(\)/,
    );
  });

  it('a model fed the wrong input shape says which input', () => {
    const model = mnist();
    expect(() => model.apply(ones([2, 28, 27]))).toThrow(
      /Incompatible shape for input input_layer of model functional: expected \(None, 28, 28\), received \(2, 28, 27\)/,
    );
  });
});

describe('gradients through a graph', () => {
  it('match finite differences in float64 for the input and every weight', () => {
    const x = Input({ shape: [3], dtype: 'float64' });
    const shared = new Dense({ units: 3, activation: 'tanh', dtype: 'float64' });
    const a = shared.apply(
      new Dense({ units: 3, activation: 'sigmoid', dtype: 'float64' }).apply(x),
    );
    const b = shared.apply(x);
    const out = new Dense({ units: 2, dtype: 'float64' }).apply(
      layers.concatenate([layers.multiply([a, b], { dtype: 'float64' }), x], { dtype: 'float64' }),
    );
    const model = new Model({ inputs: x, outputs: out });
    const input = rand64([4, 3], 3);
    layerGradcheck(() => model.applyMany(input), [input, ...model.trainableWeights]);
  });

  it('a model created with trainable: false freezes its layers', () => {
    const x = Input({ shape: [2] });
    const model = new Model({
      inputs: x,
      outputs: new Dense({ units: 2 }).apply(x),
      trainable: false,
    });
    expect(model.trainableWeights.length).toBe(0);
    expect(model.nonTrainableWeights.every((w) => !w.requiresGrad)).toBe(true);
  });
});

describe('toJSON, modelFromJSON, cloneModel', () => {
  it('rebuild the architecture with fresh weights', () => {
    const model = mnist();
    const clone = cloneModel(model);
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(clone.countParams()).toBe(101770);
    expect(clone.getWeights()[0]!.values).not.toEqual(model.getWeights()[0]!.values);
    clone.setWeights(model.getWeights());
    const x = ones([1, 28, 28]);
    expect(clone.apply(x).values).toEqual(model.apply(x).values);
    expect(modelFromJSON(model.toJSON()).getConfig()).toEqual(model.getConfig());
    expect(() => modelFromJSON(JSON.stringify(serializeLayer(new Dense({ units: 1 }))))).toThrow(
      /describes a Dense, not a model/,
    );
  });
});
