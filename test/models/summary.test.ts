import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  GlobalAveragePooling2D,
  LSTM,
  Input,
  MaxPooling2D,
  Model,
  Sequential,
  clearSession,
  plotModel,
  summaryText,
  zeros,
} from '../../src/index.js';
import * as layers from '../../src/layers/namespace.js';

beforeEach(() => {
  clearSession();
  // Keras takes the width from the terminal (80 columns when there is none): pin it.
  vi.stubEnv('COLUMNS', '80');
});

function capture(model: Model, options = {}): string {
  let text = '';
  model.summary({ ...options, printFn: (s) => (text = s) });
  return text;
}

describe('summary()', () => {
  it("prints the Keras functional guide's MNIST model exactly", () => {
    // From the Keras 3 functional API guide (keras.io/guides/functional_api), mnist_model.
    const inputs = Input({ shape: [784] });
    let x = new Dense({ units: 64, activation: 'relu' }).apply(inputs);
    x = new Dense({ units: 64, activation: 'relu' }).apply(x);
    const outputs = new Dense({ units: 10 }).apply(x);
    const model = new Model({ inputs, outputs, name: 'mnist_model' });
    expect(capture(model)).toBe(
      [
        'Model: "mnist_model"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ input_layer (InputLayer)        │ (None, 784)            │             0 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense (Dense)                   │ (None, 64)             │        50,240 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 64)             │         4,160 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_2 (Dense)                 │ (None, 10)             │           650 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 55,050 (215.04 KB)',
        ' Trainable params: 55,050 (215.04 KB)',
        ' Non-trainable params: 0 (0.00 B)',
      ].join('\n'),
    );
  });

  it('prints the lecture MNIST model: 101,770 parameters', () => {
    const inputs = Input({ shape: [28, 28] });
    const x = new Dense({ units: 128, activation: 'relu' }).apply(
      new layers.Flatten().apply(inputs),
    );
    const model = new Model({
      inputs,
      outputs: new Dense({ units: 10, activation: 'softmax' }).apply(x),
    });
    const text = capture(model);
    expect(text).toContain(
      '│ input_layer (InputLayer)        │ (None, 28, 28)         │             0 │',
    );
    expect(text).toContain(
      '│ flatten (Flatten)               │ (None, 784)            │             0 │',
    );
    expect(text).toContain(
      '│ dense (Dense)                   │ (None, 128)            │       100,480 │',
    );
    expect(text.split('\n').slice(-3)).toEqual([
      ' Total params: 101,770 (397.54 KB)',
      ' Trainable params: 101,770 (397.54 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it('matches a real Keras 3 Sequential summary, Optimizer params included', () => {
    // Real Keras 3 output quoted in shared/reference/keras-tfjs-features.md §2.6 (after fit
    // with Adam: 2·P + 2 optimizer variables, `iteration` an int64 in Keras).
    const model = new Sequential({
      layers: [Input({ shape: [784] }), new Dense({ units: 64 }), new Dense({ units: 10 })],
    });
    const slots = model.trainableWeights.flatMap((w) => [
      zeros(w.shape as number[]),
      zeros(w.shape as number[]),
    ]);
    // Adam's state as the optimizers list it: iteration (int32 here, int64 in Keras), learning
    // rate, then two slots per weight.
    const state = [zeros([], { dtype: 'int32' }), zeros([]), ...slots];
    model.optimizer = { built: false, getWeights: () => state };
    expect(capture(model)).not.toContain('Optimizer params');
    model.optimizer = { built: true, getWeights: () => state };
    expect(capture(model)).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ dense (Dense)                   │ (None, 64)             │        50,240 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 10)             │           650 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 152,672 (596.38 KB)',
        ' Trainable params: 50,890 (198.79 KB)',
        ' Non-trainable params: 0 (0.00 B)',
        ' Optimizer params: 101,782 (397.59 KB)',
      ].join('\n'),
    );
  });

  it("prints the guide's toy ResNet with a Connected to column", () => {
    // Keras functional guide, toy_resnet: 223,242 parameters (872.04 KB), layer order,
    // shapes and wrapping as keras.io shows them at 76 columns.
    const inputs = Input({ shape: [32, 32, 3], name: 'img' });
    const conv = (x: ReturnType<typeof Input>, same = false) =>
      new Conv2D({
        filters: 64,
        kernelSize: 3,
        activation: 'relu',
        ...(same ? { padding: 'same' as const } : {}),
      }).apply(x);
    let x = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(inputs);
    x = conv(x);
    const block1 = new MaxPooling2D({ poolSize: 3 }).apply(x);
    const block2 = layers.add([conv(conv(block1, true), true), block1]);
    const block3 = layers.add([conv(conv(block2, true), true), block2]);
    x = new GlobalAveragePooling2D().apply(conv(block3));
    x = new Dropout({ rate: 0.5 }).apply(new Dense({ units: 256, activation: 'relu' }).apply(x));
    const model = new Model({
      inputs,
      outputs: new Dense({ units: 10 }).apply(x),
      name: 'toy_resnet',
    });
    const lines = capture(model).split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'Model: "toy_resnet"',
      '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
      '│ img (InputLayer)    │ (None, 32, 32, 3) │          0 │ -                 │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ conv2d (Conv2D)     │ (None, 30, 30,    │        896 │ img[0][0]         │',
      '│                     │ 32)               │            │                   │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
    ]);
    expect(lines).toContain(
      '│ add (Add)           │ (None, 9, 9, 64)  │          0 │ conv2d_3[0][0],   │',
    );
    expect(lines).toContain(
      '│                     │                   │            │ max_pooling2d[0]… │',
    );
    expect(lines).toContain(
      '│ global_average_poo… │ (None, 64)        │          0 │ conv2d_6[0][0]    │',
    );
    expect(lines).toContain(
      '│ (GlobalAveragePool… │                   │            │                   │',
    );
    expect(lines.slice(-3)).toEqual([
      ' Total params: 223,242 (872.04 KB)',
      ' Trainable params: 223,242 (872.04 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it("orders the guide's multi-input, multi-output model by depth, as Keras", () => {
    // Keras functional guide, ticket classifier: 1,392,097 parameters; the tags input sits
    // after the LSTMs because it is nearer the outputs.
    const title = Input({ shape: [null], name: 'title' });
    const body = Input({ shape: [null], name: 'body' });
    const tags = Input({ shape: [12], name: 'tags' });
    const t = new LSTM({ units: 128 }).apply(
      new Embedding({ inputDim: 10000, outputDim: 64 }).apply(title),
    );
    const b = new LSTM({ units: 32 }).apply(
      new Embedding({ inputDim: 10000, outputDim: 64 }).apply(body),
    );
    const x = layers.concatenate([t, b, tags]);
    const model = new Model({
      inputs: [title, body, tags],
      outputs: {
        priority: new Dense({ units: 1, name: 'priority' }).apply(x),
        department: new Dense({ units: 4, name: 'department' }).apply(x),
      },
    });
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
    const lines = capture(model).split('\n');
    expect(lines).toContain(
      '│ concatenate         │ (None, 172)       │          0 │ lstm[0][0],       │',
    );
    expect(lines).toContain(
      '│ (Concatenate)       │                   │            │ lstm_1[0][0],     │',
    );
    expect(lines).toContain(
      '│ embedding           │ (None, None, 64)  │    640,000 │ title[0][0]       │',
    );
    expect(lines.slice(-3)[0]).toBe(' Total params: 1,392,097 (5.31 MB)');
  });

  it('widens with lineLength, expands nested models and shows trainability', () => {
    const inner = new Sequential({
      layers: [Input({ shape: [4] }), new Dense({ units: 3 })],
      name: 'inner',
    });
    inner.trainable = false;
    const x = Input({ shape: [4] });
    const model = new Model({
      inputs: x,
      outputs: new Dense({ units: 2 }).apply(inner.apply(x)),
      name: 'outer',
    });
    const text = summaryText(model, { lineLength: 100, expandNested: true, showTrainable: true });
    const lines = text.split('\n');
    expect(lines.every((l, i) => i === 0 || l.startsWith(' ') || [...l].length === 100)).toBe(true);
    // The Trainable column is narrow, so its header is cut as rich cuts it.
    expect(lines[2]).toMatch(/^┃ Layer \(type\) +┃ Output Shape +┃ +Param # ┃ Traina… ┃$/);
    expect(text).toMatch(/│ inner \(Sequential\) +│ \(None, 3\) +│ +15 │ +N +│/);
    expect(text).toMatch(/│ {4}└ dense \(Dense\) +│ \(None, 3\) +│ +15 │ +N +│/);
    expect(text).toMatch(/│ dense_1 \(Dense\) +│ \(None, 2\) +│ +8 │ +Y +│/);
    expect(lines.slice(-3)).toEqual([
      ' Total params: 23 (92.00 B)',
      ' Trainable params: 8 (32.00 B)',
      ' Non-trainable params: 15 (60.00 B)',
    ]);
  });

  it('marks unbuilt layers as Keras does', () => {
    const model = new Sequential({ layers: [new Dense({ units: 3 })] });
    expect(summaryText(model)).toContain(
      '│ dense (Dense)                   │ ?                      │   0 (unbuilt) │',
    );
  });
});

describe('plotModel', () => {
  it('writes the graph as DOT', () => {
    const x = Input({ shape: [3] });
    const a = new Dense({ units: 2 }).apply(x);
    const model = new Model({
      inputs: x,
      outputs: layers.add([a, new Dense({ units: 2 }).apply(x)]),
      name: 'diamond',
    });
    expect(plotModel(model)).toBe(
      [
        'digraph "diamond" {',
        '  graph [rankdir=TB];',
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  "input_layer" [label="input_layer (InputLayer)\\n(None, 3)", style="rounded,dashed"];',
        '  "dense" [label="dense (Dense)\\n(None, 2)"];',
        '  "dense_1" [label="dense_1 (Dense)\\n(None, 2)"];',
        '  "add" [label="add (Add)\\n(None, 2)"];',
        '  "input_layer" -> "dense";',
        '  "input_layer" -> "dense_1";',
        '  "dense" -> "add";',
        '  "dense_1" -> "add";',
        '}',
      ].join('\n'),
    );
  });
});
