import { beforeEach, describe, expect, it } from 'vitest';
import {
  Bidirectional,
  GRU,
  Input,
  LSTM,
  Masking,
  Model,
  GRUCell,
  RNN,
  SimpleRNN,
  type Tensor,
  TensileError,
  clearSession,
  concat,
  getMask,
  tensor,
} from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

// Every reference below was computed offline in float64 with PyTorch 1.13 (torch.nn.RNN, LSTM,
// GRU, LSTMCell), or numpy where torch has no equivalent (GRU with resetAfter false), by a
// script (in the helper report on issue #4) with the weights `setFilled` gives, mapped to
// torch's layouts (kernels transposed; Keras' GRU gate columns z, r, h reordered to torch's
// r, z, n; torch's bias_hh zero except for GRU, where it is Keras' recurrent bias row).
const B = 2;
const T = 4;
const F = 3;
const U = 2;

/** Keras' weight k, element i: 0.5·sin(0.7·i + 1.3·k + 0.2). */
function setFilled(layer: RNN | Bidirectional): void {
  layer.setWeights(
    layer.weights.map((w, k) => {
      const values = Array.from(
        { length: w.size },
        (_, i) => 0.5 * Math.sin(0.7 * i + 1.3 * k + 0.2),
      );
      return tensor(values, { shape: w.shape, dtype: 'float64' });
    }),
  );
}

/** The input (B, T, F): 0.8·sin(0.37·i + 0.5). */
function input(): Tensor {
  const values = Array.from({ length: B * T * F }, (_, i) => 0.8 * Math.sin(0.37 * i + 0.5));
  return tensor(values, { shape: [B, T, F], dtype: 'float64' });
}

function built<L extends RNN | Bidirectional>(layer: L): L {
  layer.build([null, T, F]);
  setFilled(layer);
  return layer;
}

const LSTM_SEQ = [
  0.0654892936044, 0.0454164938192, 0.0826559168738, 0.0232061371908, -0.0851021494762,
  -0.0520728948499, -0.323917554405, -0.0539387339042, -0.277961454325, 0.00296519234268,
  -0.090033782139, 0.0769283085836, 0.0395374956841, 0.0680279138736, 0.0371837654862,
  0.0217157785454,
];
const LSTM_BACKWARD_SEQ = [
  -0.0676006309325, -0.0330613767793, -0.00180015194945, -0.0597324161799, 0.0350398584061,
  -0.154015199925, 0.0134667129404, -0.104245376444, -0.04519775068, -0.154445057943,
  -0.0620400865622, -0.0774057865219, -0.0341489431567, 0.0622608635398, 0.0118361214867,
  0.0392456149555,
];

describe('recurrent layers through the harness', () => {
  it('SimpleRNN, last output and sequences', () => {
    checkLayer({
      make: (dtype) => new SimpleRNN({ units: 3, dtype }),
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 3],
      expectedParams: 3 * (5 + 3 + 1),
      expectedTrainableWeights: 3,
    });
    checkLayer({
      make: (dtype) => new SimpleRNN({ units: 3, dtype, returnSequences: true }),
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 3],
      expectedParams: 27,
    });
  });

  it('LSTM with returnState gives [output, h, c]', () => {
    checkLayer({
      make: (dtype) => new LSTM({ units: 3, dtype, returnState: true }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      expectedParams: 4 * 3 * (4 + 3 + 1),
    });
  });

  it('GRU, resetAfter true (Keras 3) and false', () => {
    checkLayer({
      make: (dtype) => new GRU({ units: 3, dtype, returnSequences: true }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 3],
      expectedParams: 3 * 3 * (4 + 3 + 2),
    });
    checkLayer({
      make: (dtype) => new GRU({ units: 3, dtype, resetAfter: false }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3],
      expectedParams: 3 * 3 * (4 + 3 + 1),
    });
  });

  it('RNN around a cell, and SimpleRNN with returnState', () => {
    checkLayer({
      make: (dtype) =>
        new RNN({ cell: new GRUCell({ units: 3, dtype }), returnSequences: true, dtype }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 3],
      expectedParams: 3 * 3 * (4 + 3 + 2),
    });
    checkLayer({
      make: (dtype) => new SimpleRNN({ units: 2, returnState: true, goBackwards: true, dtype }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [
        [2, 2],
        [2, 2],
      ],
    });
  });

  it('Bidirectional in every merge mode', () => {
    const make =
      (mergeMode: 'concat' | 'sum' | 'ave' | 'mul' | null) => (dtype: 'float32' | 'float64') =>
        new Bidirectional({
          layer: new LSTM({ units: 2, dtype, returnSequences: true }),
          mergeMode,
          dtype,
        });
    const params = 2 * 4 * 2 * (3 + 2 + 1);
    checkLayer({
      make: make('concat'),
      inputShape: [2, 3, 3],
      expectedOutputShape: [2, 3, 4],
      expectedParams: params,
    });
    checkLayer({
      make: make('sum'),
      inputShape: [2, 3, 3],
      expectedOutputShape: [2, 3, 2],
      expectedParams: params,
    });
    checkLayer({ make: make('ave'), inputShape: [2, 3, 3], expectedOutputShape: [2, 3, 2] });
    checkLayer({
      make: make(null),
      inputShape: [2, 3, 3],
      expectedOutputShape: [
        [2, 3, 2],
        [2, 3, 2],
      ],
    });
  });

  it('Bidirectional with returnState gives [merged, forward h, c, backward h, c]', () => {
    checkLayer({
      make: (dtype) =>
        new Bidirectional({ layer: new LSTM({ units: 2, dtype, returnState: true }), dtype }),
      inputShape: [2, 3, 3],
      expectedOutputShape: [
        [2, 4],
        [2, 2],
        [2, 2],
        [2, 2],
        [2, 2],
      ],
      expectedParams: 2 * 4 * 2 * 6,
    });
  });
});

describe('recurrent forward values against PyTorch', () => {
  it('SimpleRNN', () => {
    const y = built(new SimpleRNN({ units: U, returnSequences: true, dtype: 'float64' })).apply(
      input(),
    );
    expectClose(
      y,
      [
        0.511368997337, 0.00236856304885, 0.72075192434, 0.435580913887, 0.547315480843,
        0.225594710001, 0.0126074403123, -0.248020828788, -0.265928269006, -0.542013118484,
        0.0335806350065, -0.289078263465, 0.569082909069, 0.210847274521, 0.693428302727,
        0.396923666176,
      ],
      1e-9,
      1e-11,
    );
  });

  it('LSTM sequences and final states', () => {
    const lstm = built(
      new LSTM({ units: U, returnSequences: true, returnState: true, dtype: 'float64' }),
    );
    const [y, h, c] = lstm.applyMany(input());
    expectClose(y!, LSTM_SEQ, 1e-9, 1e-11);
    expectClose(
      h!,
      [-0.323917554405, -0.0539387339042, 0.0371837654862, 0.0217157785454],
      1e-9,
      1e-11,
    );
    expectClose(
      c!,
      [-0.515938271171, -0.0688529805331, 0.0827624520732, 0.0488402616735],
      1e-9,
      1e-11,
    );
  });

  it('GRU with resetAfter true matches torch.nn.GRU', () => {
    const y = built(new GRU({ units: U, returnSequences: true, dtype: 'float64' })).apply(input());
    expectClose(
      y,
      [
        -0.165626055076, -0.0551991892235, -0.215220148232, -0.0867046541074, -0.217878860473,
        -0.120060452074, -0.25848677351, -0.145464812632, -0.170286818798, -0.0769608806356,
        -0.286711938784, -0.0909064685036, -0.317431115703, -0.0866399528702, -0.276249371822,
        -0.0989358894124,
      ],
      1e-9,
      1e-11,
    );
  });

  it('GRU with resetAfter false matches the numpy recurrence', () => {
    const gru = built(
      new GRU({ units: U, returnSequences: true, resetAfter: false, dtype: 'float64' }),
    );
    expectClose(
      gru.apply(input()),
      [
        -0.169310279605, 0.023769131729, -0.180380605977, 0.0492111251413, -0.147318225671,
        0.0440575065828, -0.184474222486, 0.0228322700015, -0.176604302708, -0.00738698989088,
        -0.285150794729, 0.0277846060272, -0.28204573646, 0.067585692147, -0.198294165691,
        0.0774464080533,
      ],
      1e-9,
      1e-11,
    );
  });

  it('goBackwards processes from the end and returns outputs in that order', () => {
    const lstm = built(
      new LSTM({ units: U, returnSequences: true, goBackwards: true, dtype: 'float64' }),
    );
    expectClose(
      lstm.apply(input()),
      [
        -0.3105036498, -0.0623411509054, -0.182766765642, -0.0160921191438, -0.0162595494965,
        0.0221064027337, 0.0565593751751, 0.058727291619, 0.0235030326542, -0.00794771371705,
        0.0871307439504, 0.0302060605734, 0.00267970217792, 0.0566114655319, -0.279764264993,
        0.0104429366534,
      ],
      1e-9,
      1e-11,
    );
  });

  it('masked steps keep the state and repeat the previous output', () => {
    const lstm = built(
      new LSTM({ units: U, returnSequences: true, returnState: true, dtype: 'float64' }),
    );
    const mask = tensor([1, 1, 0, 1, 1, 0, 0, 1], { shape: [B, T], dtype: 'bool' });
    const expectedSeq = [
      0.0654892936044, 0.0454164938192, 0.0826559168738, 0.0232061371908, 0.0826559168738,
      0.0232061371908, -0.291087066123, -0.071370962208, -0.277961454325, 0.00296519234268,
      -0.277961454325, 0.00296519234268, -0.277961454325, 0.00296519234268, -0.0585838863798,
      0.0225598152918,
    ];
    const expectedC = [-0.469807179008, -0.0914206329936, -0.122720917847, 0.0507712998794];

    // An explicit mask through apply's options.
    const [y, , c] = lstm.applyMany(input(), { mask });
    expectClose(y!, expectedSeq, 1e-9, 1e-11);
    expectClose(c!, expectedC, 1e-9, 1e-11);

    // The same mask from a Masking layer: steps whose features all equal maskValue.
    const x = input();
    const values = x.values as Float64Array;
    for (const [b, t] of [
      [0, 2],
      [1, 1],
      [1, 2],
    ] as const)
      values.fill(0, (b * T + t) * F, (b * T + t + 1) * F);
    const masked = new Masking({ maskValue: 0, dtype: 'float64' }).apply(x);
    const [y2, , c2] = lstm.applyMany(masked);
    expectClose(y2!, expectedSeq, 1e-9, 1e-11);
    expectClose(c2!, expectedC, 1e-9, 1e-11);
    // As Keras: the sequence keeps the mask, the states get none.
    expect(Array.from(getMask(y2!)!.values)).toEqual([1, 1, 0, 1, 1, 0, 0, 1]);
    expect(getMask(c2!)).toBe(null);
  });

  it('the output mask follows returnSequences', () => {
    const mask = tensor([1, 1, 0, 1, 1, 0, 0, 1], { shape: [B, T], dtype: 'bool' });
    const seq = built(new GRU({ units: U, returnSequences: true, dtype: 'float64' })).apply(
      input(),
      { mask },
    );
    expect(Array.from(getMask(seq)!.values)).toEqual([1, 1, 0, 1, 1, 0, 0, 1]);
    const last = built(new GRU({ units: U, dtype: 'float64' })).apply(input(), { mask });
    expect(getMask(last)).toBe(null);
  });

  it('Bidirectional merges torch bidirectional outputs in time order', () => {
    const make = (mergeMode: 'concat' | 'sum' | 'ave' | 'mul' | null) =>
      built(
        new Bidirectional({
          layer: new LSTM({ units: U, returnSequences: true, dtype: 'float64' }),
          mergeMode,
          dtype: 'float64',
        }),
      );
    const f = tensor(LSTM_SEQ, { shape: [B, T, U], dtype: 'float64' });
    const b = tensor(LSTM_BACKWARD_SEQ, { shape: [B, T, U], dtype: 'float64' });
    expectClose(
      make('concat').apply(input()),
      concat([f, b], { axis: -1 }).values as Float64Array,
      1e-9,
      1e-11,
    );
    const sum = LSTM_SEQ.map((v, i) => v + LSTM_BACKWARD_SEQ[i]!);
    expectClose(make('sum').apply(input()), sum, 1e-9, 1e-11);
    expectClose(
      make('ave').apply(input()),
      sum.map((v) => v / 2),
      1e-9,
      1e-11,
    );
    const mul = LSTM_SEQ.map((v, i) => v * LSTM_BACKWARD_SEQ[i]!);
    expectClose(make('mul').apply(input()), mul, 1e-9, 1e-11);
    const [yf, yb] = make(null).applyMany(input());
    expectClose(yf!, LSTM_SEQ, 1e-9, 1e-11);
    expectClose(yb!, LSTM_BACKWARD_SEQ, 1e-9, 1e-11);
  });

  it('Bidirectional outputs zeros at masked steps when it returns sequences', () => {
    const bi = built(
      new Bidirectional({
        layer: new GRU({ units: U, returnSequences: true, dtype: 'float64' }),
        dtype: 'float64',
      }),
    );
    const mask = tensor([1, 1, 0, 1, 1, 0, 0, 1], { shape: [B, T], dtype: 'bool' });
    const y = bi.apply(input(), { mask });
    const v = y.values;
    for (const [b, t] of [
      [0, 2],
      [1, 1],
      [1, 2],
    ] as const) {
      expect(Array.from(v.slice((b * T + t) * 2 * U, (b * T + t + 1) * 2 * U))).toEqual([
        0, 0, 0, 0,
      ]);
    }
    expect(Math.abs(v[0]!)).toBeGreaterThan(0);
  });
});

describe('initial states', () => {
  // h0 = 0.3·cos(0.9·i), c0 = 0.2·sin(1.1·i + 0.3), both (B, U); references from torch as above.
  const h0 = (): Tensor =>
    tensor(
      Array.from({ length: B * U }, (_, i) => 0.3 * Math.cos(0.9 * i)),
      { shape: [B, U], dtype: 'float64' },
    );
  const c0 = (): Tensor =>
    tensor(
      Array.from({ length: B * U }, (_, i) => 0.2 * Math.sin(1.1 * i + 0.3)),
      { shape: [B, U], dtype: 'float64' },
    );

  it('LSTM and GRU start from [x, h0, c0] and [x, h0] as torch does', () => {
    const lstm = built(
      new LSTM({ units: U, returnSequences: true, returnState: true, dtype: 'float64' }),
    );
    const [y, , c] = lstm.applyMany([input(), h0(), c0()]);
    expectClose(
      y!,
      [
        0.0445019229667, 0.0457544174668, 0.0760057440349, 0.025973705751, -0.0880491077719,
        -0.0498489585699, -0.324469688815, -0.0532083085041, -0.239722480852, 0.0314708127428,
        -0.0782413883977, 0.0803928221913, 0.0435034791751, 0.0682394652995, 0.0389600445473,
        0.0213504958501,
      ],
      1e-9,
      1e-11,
    );
    expectClose(
      c!,
      [-0.517031454238, -0.0679289788076, 0.0867926359567, 0.0480127883202],
      1e-9,
      1e-11,
    );
    const gru = built(new GRU({ units: U, dtype: 'float64' }));
    expectClose(
      gru.apply([input(), h0()]),
      [-0.226389318125, -0.14024194635, -0.289411624334, -0.11812642425],
      1e-9,
      1e-11,
    );
  });

  it('an encoder-decoder graph passes the encoder states to the decoder', () => {
    const encoderInputs = Input({ shape: [null, 3] });
    const [, h, c] = new LSTM({ units: 4, returnState: true }).applyMany(encoderInputs);
    const decoderInputs = Input({ shape: [null, 5] });
    const decoded = new LSTM({ units: 4, returnSequences: true }).apply([decoderInputs, h!, c!]);
    expect(decoded.shape).toEqual([null, null, 4]);
    const model = new Model({ inputs: [encoderInputs, decoderInputs], outputs: decoded });
    expect(model.countParams()).toBe(4 * 4 * (3 + 4 + 1) + 4 * 4 * (5 + 4 + 1));
  });

  it('Bidirectional splits initial states into forward and backward halves', () => {
    const bi = built(
      new Bidirectional({
        layer: new LSTM({ units: U, returnSequences: true, dtype: 'float64' }),
        mergeMode: null,
        dtype: 'float64',
      }),
    );
    const [yf] = bi.applyMany([input(), h0(), c0(), h0(), c0()]);
    const forward = built(new LSTM({ units: U, returnSequences: true, dtype: 'float64' }));
    expectClose(yf!, forward.apply([input(), h0(), c0()]).values as Float64Array, 1e-12, 1e-14);
    expect(() => bi.applyMany([input(), h0()])).toThrowError(/two equal halves/);
  });

  it('rejects the wrong number or shape of initial states', () => {
    const lstm = built(new LSTM({ units: U, dtype: 'float64' }));
    expect(() => lstm.apply([input(), h0()])).toThrowError(
      /takes the sequence and then 2 initial state\(s\) of shape \(batch, units\). Received: 1/,
    );
    const wide = tensor(new Float64Array(B * 3), { shape: [B, 3] });
    expect(() => lstm.apply([input(), h0(), wide])).toThrowError(
      /initial state 1 must have shape \(batch, 2\). Received: shape=\(2, 3\)/,
    );
  });
});

describe('recurrent dropout', () => {
  it('drops only in training; inference is deterministic', () => {
    const lstm = built(
      new LSTM({ units: U, dropout: 0.5, recurrentDropout: 0.5, dtype: 'float64' }),
    );
    const plain = built(new LSTM({ units: U, dtype: 'float64' }));
    const x = input();
    expectClose(lstm.apply(x), plain.apply(x).values as Float64Array, 1e-12, 1e-14);
    const trained = lstm.apply(x, { training: true }).values;
    expect(Array.from(trained)).not.toEqual(Array.from(plain.apply(x).values));
  });

  it('a seed gives the same masks on every run', () => {
    const run = (): number[] => {
      const gru = built(
        new GRU({ units: U, dropout: 0.5, recurrentDropout: 0.5, seed: 7, dtype: 'float64' }),
      );
      return Array.from(gru.apply(input(), { training: true }).values);
    };
    expect(run()).toEqual(run());
    expect(GRU.fromConfig(new GRU({ units: 2, seed: 7 }).getConfig()).cell.seed).toBe(7);
  });

  it('recurrent dropout drops h only inside the recurrent product', () => {
    // With a zero recurrent kernel, h enters the next step only through GRU's carry z·h, which
    // Keras computes from the undropped h: training with recurrent dropout must then change
    // nothing. A dropped carry would scale h by 0 or 1/(1 − 0.5) at random.
    for (const resetAfter of [true, false]) {
      const gru = new GRU({
        units: U,
        recurrentDropout: 0.5,
        resetAfter,
        recurrentInitializer: 'zeros',
        dtype: 'float64',
      });
      const x = input();
      const inference = gru.apply(x).values as Float64Array;
      expect(Math.abs(inference[0]!)).toBeGreaterThan(0);
      expectClose(gru.apply(x, { training: true }), inference, 1e-12, 1e-14);
    }
  });
});

describe('recurrent configuration', () => {
  it('symbolic shapes of returnState and config round trips keep the cell options', () => {
    const x = Input({ shape: [5, 3] });
    const [y, h, c] = new LSTM({ units: 4, returnSequences: true, returnState: true }).applyMany(x);
    expect([y!.shape, h!.shape, c!.shape]).toEqual([
      [null, 5, 4],
      [null, 4],
      [null, 4],
    ]);
    const gru = new GRU({ units: 2, resetAfter: false, dropout: 0.25, goBackwards: true });
    const again = GRU.fromConfig(gru.getConfig());
    expect(again.resetAfter).toBe(false);
    expect(again.cell.dropout).toBe(0.25);
    expect(again.goBackwards).toBe(true);
  });

  it('Bidirectional is named as Keras 3 names it and keeps the weights of both directions', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2 }) });
    bi.apply(Input({ shape: [5, 3] }));
    expect(bi.name).toBe('bidirectional');
    expect(bi.forwardLayer.name).toBe('forward_lstm');
    expect(bi.backwardLayer.name).toBe('backward_lstm');
    expect(bi.backwardLayer.goBackwards).toBe(true);
    // Keras writes the forward copy as the wrapped layer; reading it must not prefix it twice.
    const again = new Bidirectional({ layer: bi.forwardLayer });
    expect([again.forwardLayer.name, again.backwardLayer.name]).toEqual([
      'forward_lstm',
      'backward_lstm',
    ]);
    expect(bi.weights.map((w) => w.shape)).toEqual([[3, 8], [2, 8], [8], [3, 8], [2, 8], [8]]);
  });

  it('LSTM starts its forget-gate bias at 1 (unitForgetBias), zeros elsewhere', () => {
    const lstm = new LSTM({ units: 2 });
    lstm.build([null, 3, 4]);
    expect(Array.from(lstm.cell.bias!.values)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const plain = new LSTM({ units: 2, unitForgetBias: false });
    plain.build([null, 3, 4]);
    expect(Array.from(plain.cell.bias!.values)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a functional model carries the Masking mask into the LSTM', () => {
    const inputs = Input({ shape: [T, F], dtype: 'float64' });
    const lstm = new LSTM({ units: U, returnSequences: true, dtype: 'float64' });
    const outputs = lstm.apply(new Masking({ maskValue: 0, dtype: 'float64' }).apply(inputs));
    const model = new Model({ inputs, outputs });
    setFilled(lstm);
    const x = input();
    (x.values as Float64Array).fill(0, 2 * F, 3 * F); // sample 0, step 2
    const y = model.apply(x).values;
    // Step 2 of sample 0 repeats step 1's output (LSTM_SEQ without the mask differs there).
    expect(Array.from(y.slice(4, 6))).toEqual(Array.from(y.slice(2, 4)));
    // The model computes in float32 (its own dtype), hence the looser tolerance.
    expectClose(tensor(Array.from(y.slice(0, 4))), LSTM_SEQ.slice(0, 4), 1e-6, 1e-8);
  });

  it('rejects bad options and inputs with clear errors', () => {
    expect(() => new LSTM({ units: 0 })).toThrowError(
      /units must be a positive integer. Received: units=0/,
    );
    expect(() => new GRU({ units: 2, dropout: 1 })).toThrowError(/dropout must be in \[0, 1\)/);
    try {
      new SimpleRNN({ units: 2 }).apply(Input({ shape: [3] }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TensileError);
      expect((e as TensileError).code).toBe('shape_mismatch');
      expect((e as TensileError).message).toMatch(/rank 3 \(batch, steps, features\)/);
    }
    expect(() => new Bidirectional({ layer: 'lstm' as never })).toThrowError(
      /needs a recurrent layer/,
    );
    expect(
      () =>
        new Bidirectional({ layer: new GRU({ units: 2 }), backwardLayer: new GRU({ units: 2 }) }),
    ).toThrowError(/other direction than layer. Received: goBackwards=false for both/);
    expect(
      () =>
        new Bidirectional({
          layer: new GRU({ units: 2, returnState: true }),
          backwardLayer: new GRU({ units: 2, goBackwards: true }),
        }),
    ).toThrowError(/must agree on returnSequences and returnState/);
  });
});
