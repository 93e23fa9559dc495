import { beforeEach, describe, expect, it } from 'vitest';
import {
  Dense,
  Dropout,
  Flatten,
  Input,
  Model,
  Sequential,
  TensileError,
  clearSession,
  deserializeLayer,
  ones,
  serializeLayer,
  tensor,
} from '../../src/index.js';

beforeEach(() => clearSession());

describe('Sequential', () => {
  it('builds at once from an Input and lists layers without it', () => {
    const model = new Sequential({
      layers: [
        Input({ shape: [784] }),
        new Dense({ units: 64, activation: 'relu' }),
        new Dense({ units: 10 }),
      ],
    });
    expect(model.name).toBe('sequential');
    expect(model.built).toBe(true);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
    expect(model.countParams()).toBe(50890);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
  });

  it('builds with add() and from inputShape on the first layer', () => {
    const model = new Sequential();
    model.add(new Dense({ units: 4, inputShape: [3] }));
    expect(model.built).toBe(true);
    model.add(new Dense({ units: 2 }));
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    expect(model.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
  });

  it('without an Input, builds on its first call from the data', () => {
    const model = new Sequential({
      layers: [new Flatten(), new Dense({ units: 5 }), new Dropout({ rate: 0.5 })],
    });
    expect(model.built).toBe(false);
    expect(() => model.countParams()).toThrow(/not been built/);
    const y = model.apply(ones([2, 3, 4]));
    expect(y.shape).toEqual([2, 5]);
    expect(model.built).toBe(true);
    expect(model.countParams()).toBe(12 * 5 + 5);
    expect(model.inputs[0]!.shape).toEqual([null, 3, 4]);
  });

  it('builds on forward() as the training engine calls it', () => {
    const model = new Sequential({ layers: [new Dense({ units: 2 })] });
    const { outputs } = model.forward([ones([4, 3])], true);
    expect(outputs[0]!.shape).toEqual([4, 2]);
    expect(model.trainableWeights.length).toBe(2);
  });

  it('pop() removes the last layer and rewires', () => {
    const model = new Sequential({
      layers: [Input({ shape: [3] }), new Dense({ units: 4 }), new Dense({ units: 2 })],
    });
    const last = model.pop();
    expect(last.name).toBe('dense_1');
    expect(model.outputs[0]!.shape).toEqual([null, 4]);
    expect(model.countParams()).toBe(16);
    model.pop();
    expect(() => model.pop()).toThrow(/has no layers to pop/);
  });

  it('rejects an add() whose shapes do not fit, and keeps its layers', () => {
    const model = new Sequential({ layers: [Input({ shape: [3] }), new Dense({ units: 4 })] });
    const d = new Dense({ units: 2 });
    model.add(d);
    const wrong = new Dense({ units: 2 });
    wrong.apply(Input({ shape: [7] }));
    expect(() => model.add(wrong)).toThrow(TensileError);
    expect(model.layers.length).toBe(2);
  });

  it('is a layer inside a functional model, and round-trips its config', () => {
    const inner = new Sequential({
      layers: [Input({ shape: [3] }), new Dense({ units: 2 })],
      name: 'inner',
    });
    const x = Input({ shape: [3] });
    const outer = new Model({ inputs: x, outputs: inner.apply(x) });
    expect(outer.countParams()).toBe(8);
    const again = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(inner)))) as Sequential;
    expect(again).toBeInstanceOf(Sequential);
    expect(again.getConfig()).toEqual(inner.getConfig());
    again.setWeights(inner.getWeights());
    const v = tensor([[1, 2, 3]]);
    expect(again.apply(v).values).toEqual(outer.apply(v).values);
  });
});

describe('Sequential layer.output', () => {
  it('stays unambiguous after add() and pop(), for feature extractors', () => {
    const model = new Sequential();
    model.add(Input({ shape: [3] }));
    model.add(new Dense({ units: 4 }));
    model.add(new Dense({ units: 5 }));
    model.add(new Dense({ units: 6 }));
    model.pop();
    expect(model.layers.map((l) => l.inboundNodes.length)).toEqual([1, 1]);
    const extractor = new Model({
      inputs: model.inputs,
      outputs: model.layers.map((l) => l.output),
    });
    expect(extractor.applyMany(ones([2, 3])).map((t) => t.shape)).toEqual([
      [2, 4],
      [2, 5],
    ]);
    const wrong = new Dense({ units: 2 });
    wrong.apply(Input({ shape: [9] }));
    expect(() => model.add(wrong)).toThrow(/must have size 9 on axis -1/);
    expect(model.layers.map((l) => l.inboundNodes.length)).toEqual([1, 1]);
  });
});
