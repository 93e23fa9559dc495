import { beforeEach, describe, expect, it } from 'vitest';
import {
  Embedding,
  Input,
  Model,
  MultiHeadAttention,
  type Tensor,
  TensileError,
  clearSession,
  getMask,
  mul,
  reshape,
  tensor,
} from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';
import { checkLayer, layerGradcheck } from './harness.js';

beforeEach(() => clearSession());

// The references below were computed offline in float64 with PyTorch 1.13 by writing Keras 3's
// MultiHeadAttention as einsums (projections 'btd,dhk->bhtk' plus bias, scores of the query
// scaled by 1/√keyDim against the keys, softmax(scores + (1 − mask)·(−1e9))·mask over the keys,
// 'bhts,bhsv->bhtv', then 'bhtv,hvo->bto' plus bias), with the weights `setFilled` gives.
const [B, T, S, DQ, DV, DK, H, KD, VD] = [2, 3, 4, 5, 6, 3, 2, 3, 2];

function seq(shape: number[], a: number, b: number, c: number, f = Math.sin): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => a * f(b * i + c)),
    { shape, dtype: 'float64' },
  );
}
const query = (): Tensor => seq([B, T, DQ], 0.8, 0.37, 0.5);
const value = (): Tensor => seq([B, S, DV], 0.8, 0.29, 0.1, Math.cos);
const key = (): Tensor => seq([B, S, DK], 0.6, 0.53, -0.4);

/** Builds the layer and sets weight k, element i, to 0.5·sin(0.7·i + 1.3·k + 0.2). */
function setFilled(mha: MultiHeadAttention, shapes: (number | null)[][]): MultiHeadAttention {
  mha.buildMany(shapes);
  mha.setWeights(
    mha.weights.map((w, k) =>
      tensor(
        Array.from({ length: w.size }, (_, i) => 0.5 * Math.sin(0.7 * i + 1.3 * k + 0.2)),
        { shape: w.shape, dtype: 'float64' },
      ),
    ),
  );
  return mha;
}

function crossAttention(): MultiHeadAttention {
  const mha = new MultiHeadAttention({ numHeads: H, keyDim: KD, valueDim: VD, dtype: 'float64' });
  return setFilled(mha, [
    [null, T, DQ],
    [null, S, DV],
    [null, S, DK],
  ]);
}

describe('MultiHeadAttention through the harness', () => {
  it('query and value (key = value)', () => {
    checkLayer({
      make: (dtype) => new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, dtype }),
      inputShapes: [
        [2, 3, 5],
        [2, 4, 6],
      ],
      expectedOutputShape: [2, 3, 5],
      // query 5·2·3 + 6, key 6·2·3 + 6, value 6·2·2 + 4, output 2·2·5 + 5.
      expectedParams: 36 + 42 + 28 + 25,
      expectedTrainableWeights: 8,
    });
  });

  it('a separate key, outputShape, no biases, and the scores as a second output', () => {
    checkLayer({
      make: (dtype) =>
        new MultiHeadAttention({
          numHeads: 2,
          keyDim: 3,
          outputShape: 7,
          useBias: false,
          returnAttentionScores: true,
          dtype,
        }),
      inputShapes: [
        [2, 3, 5],
        [2, 4, 6],
        [2, 4, 3],
      ],
      expectedOutputShape: [
        [2, 3, 7],
        [2, 2, 3, 4],
      ],
      expectedParams: 30 + 18 + 36 + 42,
      expectedTrainableWeights: 4,
    });
  });

  it('causal self-attention', () => {
    checkLayer({
      make: (dtype) =>
        new MultiHeadAttention({ numHeads: 3, keyDim: 2, useCausalMask: true, dtype }),
      inputShapes: [
        [2, 4, 4],
        [2, 4, 4],
      ],
      expectedOutputShape: [2, 4, 4],
    });
  });
});

describe('MultiHeadAttention weights and summary', () => {
  it("has Keras' EinsumDense names, shapes and the parameter count of Keras' example", () => {
    // keras.layers.MultiHeadAttention(num_heads=2, key_dim=2) on (None, 8, 16) and (None, 4, 16).
    const q = Input({ shape: [8, 16] });
    const v = Input({ shape: [4, 16] });
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const y = mha.apply([q, v]);
    expect(y.shape).toEqual([null, 8, 16]);
    expect(mha.weights.map((w) => [w.name, w.shape])).toEqual([
      ['multi_head_attention/query/kernel', [16, 2, 2]],
      ['multi_head_attention/query/bias', [2, 2]],
      ['multi_head_attention/key/kernel', [16, 2, 2]],
      ['multi_head_attention/key/bias', [2, 2]],
      ['multi_head_attention/value/kernel', [16, 2, 2]],
      ['multi_head_attention/value/bias', [2, 2]],
      ['multi_head_attention/attention_output/kernel', [2, 2, 16]],
      ['multi_head_attention/attention_output/bias', [16]],
    ]);
    const model = new Model({ inputs: [q, v], outputs: y });
    const lines: string[] = [];
    model.summary({ printFn: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(text).toMatch(/multi_head_attenti\S*\s+│ \(None, 8, 16\)\s+│\s+284 │/);
    expect(text).toContain('Total params: 284');
  });
});

describe('MultiHeadAttention forward values against PyTorch', () => {
  it('cross-attention with a key: output and scores', () => {
    const [y, scores] = crossAttention().attend(query(), value(), {
      key: key(),
      returnAttentionScores: true,
    });
    expect(scores.shape).toEqual([B, H, T, S]);
    expectClose(
      y,
      [
        0.0688513169876, -0.233767817488, -0.426442294676, -0.418554297334, -0.213813673864,
        0.0702565489497, -0.234448564576, -0.428888854822, -0.421616015072, -0.216050575502,
        0.070844538291, -0.234923321265, -0.430203072052, -0.423151595944, -0.217085312338,
        0.0685110002427, -0.234674118049, -0.427488331738, -0.419248103322, -0.21382894098,
        0.0691555432676, -0.23451500327, -0.427889479371, -0.420020847367, -0.214609847839,
        0.071416130786, -0.234592506235, -0.430268621965, -0.423582681652, -0.217679187496,
      ],
      1e-9,
      1e-11,
    );
    expectClose(
      scores,
      [
        0.24534970916, 0.255162446026, 0.254630240581, 0.244857604233, 0.235862837934,
        0.260881901493, 0.264365038686, 0.238890221887, 0.228940752445, 0.258284924384,
        0.272083904968, 0.240690418203, 0.238460968418, 0.254081448155, 0.261923493335,
        0.245534090092, 0.216494742741, 0.259412463356, 0.286167796033, 0.23792499787, 0.2020365675,
        0.259623451928, 0.303540833658, 0.234799146915, 0.242468254752, 0.254695910204,
        0.257657267742, 0.245178567302, 0.242513451188, 0.259559190923, 0.257375843042,
        0.240551514847, 0.229572896355, 0.262183104434, 0.271136933973, 0.237107065238,
        0.231921670559, 0.25606483273, 0.268912765525, 0.243100731186, 0.230504547794,
        0.258543426856, 0.270341548754, 0.240610476595, 0.202229543197, 0.264776683841,
        0.30286458536, 0.230129187602,
      ],
      1e-9,
      1e-11,
    );
  });

  it('an attention mask; a row with no visible key attends to nothing', () => {
    const attentionMask = tensor(
      [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0],
      { shape: [B, T, S], dtype: 'bool' },
    );
    const [y, scores] = crossAttention().attend(query(), value(), {
      key: key(),
      attentionMask,
      returnAttentionScores: true,
    });
    expectClose(
      y,
      [
        0.0475148314989, -0.23898810024, -0.413091194145, -0.392911044715, -0.187938691551,
        0.0876183521792, -0.230353697952, -0.439986804561, -0.442687242001, -0.237184952349,
        0.0140046179461, -0.244419118892, -0.387888724962, -0.348928202753, -0.145861294636,
        0.0685110002427, -0.234674118049, -0.427488331738, -0.419248103322, -0.21382894098,
        0.0692004012794, -0.232616603672, -0.425030385182, -0.417545735258, -0.21368280171,
        0.0622272117535, -0.272010555445, -0.478317508135, -0.459664262832, -0.224823732267,
      ],
      1e-9,
      1e-11,
    );
    expectClose(
      scores,
      [
        0.329165097, 0.342330021847, 0, 0.328504881153, 0, 0.341407164111, 0.345965425855,
        0.312627410034, 1, 0, 0, 0, 0.323084350017, 0.344248117723, 0, 0.33266753226, 0,
        0.331092179602, 0.365240428678, 0.303667391719, 1, 0, 0, 0, 0.242468254752, 0.254695910204,
        0.257657267742, 0.245178567302, 0.485134316713, 0, 0.514865683287, 0, 0, 0, 0, 0,
        0.231921670559, 0.25606483273, 0.268912765525, 0.243100731186, 0.460230297057, 0,
        0.539769702943, 0, 0, 0, 0, 0,
      ],
      1e-9,
      1e-11,
    );
  });

  it('causal self-attention with outputShape, by option and by constructor', () => {
    const expected = [
      0.0180646946866, -0.337401455077, -0.534182428475, -0.47972905893, 0.0179563129447,
      -0.346564442978, -0.54809052615, -0.491841070722, 0.045295568197, -0.320371318461,
      -0.535362568106, -0.498564436701, 0.0657072909601, -0.284470727242, -0.500857717444,
      -0.481683497015, 0.0315958832266, -0.328706699744, -0.534413385641, -0.488777105832,
      0.0448839424782, -0.319351631756, -0.533391143568, -0.496568466094,
    ];
    const shapes = [
      [null, T, DQ],
      [null, T, DQ],
    ];
    const make = (useCausalMask: boolean): MultiHeadAttention =>
      setFilled(
        new MultiHeadAttention({
          numHeads: H,
          keyDim: KD,
          valueDim: VD,
          outputShape: 4,
          useCausalMask,
          dtype: 'float64',
        }),
        shapes,
      );
    const x = query();
    const [y, scores] = make(false).attend(x, x, {
      useCausalMask: true,
      returnAttentionScores: true,
    });
    expectClose(y, expected, 1e-9, 1e-11);
    expect(Array.from(scores.values.slice(0, 9))).toEqual([
      1,
      0,
      0,
      expect.closeTo(0.570381402563, 11),
      expect.closeTo(0.429618597437, 11),
      0,
      expect.closeTo(0.38592640666, 11),
      expect.closeTo(0.320565343488, 11),
      expect.closeTo(0.293508249852, 11),
    ]);
    expectClose(make(true).apply([x, x]), expected, 1e-9, 1e-11);
  });

  it('a masked gradient check: no gradient flows to masked keys', () => {
    const mha = crossAttention();
    const attentionMask = tensor([1, 1, 0, 1], { shape: [1, 1, S], dtype: 'bool' });
    const [q, v, k] = [query(), value(), key()];
    layerGradcheck(
      () => [mha.attend(q, v, { key: k, attentionMask, useCausalMask: true })],
      [q, v, k, ...mha.trainableWeights],
    );
  });
});

describe('MultiHeadAttention over several axes (attentionAxes)', () => {
  // References: Keras' own einsum equations for these axes, in float64 PyTorch, unfolded (no
  // flattening of axes), with the weights of setFilled; value = key.
  const weightShapes = [
    [null, 3, 2, DQ],
    [null, 3, 4, DV],
  ];

  it('attends along axis 2 only; axis 1 pairs query and value rows', () => {
    const mha = setFilled(
      new MultiHeadAttention({
        numHeads: H,
        keyDim: KD,
        valueDim: VD,
        attentionAxes: [2],
        dtype: 'float64',
      }),
      weightShapes,
    );
    const q = seq([2, 3, 2, DQ], 0.8, 0.37, 0.5);
    const v = seq([2, 3, 4, DV], 0.8, 0.29, 0.1, Math.cos);
    const [y, scores] = mha.attend(q, v, { returnAttentionScores: true });
    expect(y.shape).toEqual([2, 3, 2, DQ]);
    expect(scores.shape).toEqual([2, 3, H, 2, 4]);
    expectClose(
      y,
      [
        0.0665345499759, -0.233551881694, -0.423795214054, -0.414721035262, -0.210597073391,
        0.0641455137622, -0.233699389201, -0.42163181777, -0.411264214262, -0.207472624607,
        0.0613037426528, -0.234636102371, -0.42022292216, -0.408172335493, -0.204151921574,
        0.0646326865639, -0.234715681103, -0.423673596414, -0.413371199248, -0.208653867973,
        0.0655496700053, -0.235667500551, -0.426046563193, -0.416049270003, -0.210377504182,
        0.0621237076645, -0.235938170979, -0.423034641175, -0.411171309528, -0.205927686281,
        0.0687688309453, -0.235644053865, -0.429229858103, -0.420942153173, -0.214678776204,
        0.070543207471, -0.235370687655, -0.430586070609, -0.423290096462, -0.216914175859,
        0.0721059416265, -0.234423196418, -0.430699442223, -0.424411010487, -0.218515448913,
        0.0722756722769, -0.234302365798, -0.430684340162, -0.42450873972, -0.218680045856,
        0.077630154745, -0.232646060281, -0.433505197961, -0.430480067335, -0.224993434605,
        0.0758498981167, -0.232731331426, -0.431855379271, -0.427871094319, -0.222652348038,
      ],
      1e-9,
      1e-11,
    );
    expectClose(
      tensor(Array.from(scores.values.slice(0, 16)), { dtype: 'float64' }),
      [
        0.256980213495, 0.249774275241, 0.241762203456, 0.251483307807, 0.268890933147,
        0.252874999056, 0.227531534808, 0.250702532988, 0.262763001694, 0.256328717548,
        0.233739772798, 0.247168507959, 0.287115584933, 0.269469578147, 0.20439127141,
        0.23902356551,
      ],
      1e-9,
      1e-11,
    );
  });

  it('attends over every inner axis jointly by default, with a broadcast attention mask', () => {
    const mha = setFilled(
      new MultiHeadAttention({ numHeads: H, keyDim: KD, valueDim: VD, dtype: 'float64' }),
      [
        [null, 2, 3, DQ],
        [null, 2, 2, DV],
      ],
    );
    const q = seq([2, 2, 3, DQ], 0.8, 0.37, 0.5);
    const v = seq([2, 2, 2, DV], 0.8, 0.29, 0.1, Math.cos);
    const attentionMask = tensor(
      [1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1],
      { shape: [1, 2, 3, 2, 2], dtype: 'bool' },
    );
    const [y, scores] = mha.attend(q, v, { attentionMask, returnAttentionScores: true });
    expect(scores.shape).toEqual([2, H, 2, 3, 2, 2]);
    expectClose(
      y,
      [
        0.0632360566615, -0.228650690234, -0.412999444747, -0.403108107101, -0.203628727947,
        0.0449256705295, -0.239621004602, -0.411470177088, -0.38979849589, -0.184798491306,
        0.0816896681798, -0.231049917305, -0.435123116427, -0.434551114907, -0.229602933998,
        0.0721028475994, -0.236158528546, -0.433350858638, -0.426731508618, -0.219413662232,
        0.0887749213953, -0.220750407405, -0.426453370282, -0.431588649598, -0.233741043249,
        0.0290553947643, -0.235150267902, -0.38876108525, -0.359531489645, -0.161208616626,
        0.0466034333124, -0.234823485526, -0.405809249903, -0.385936583106, -0.184551910849,
        0.0515984134847, -0.241671880972, -0.421280113581, -0.402753726089, -0.194805968017,
        0.0775335849426, -0.228769856201, -0.427479259345, -0.425138487272, -0.222848441663,
        0.0761777042421, -0.234130602655, -0.434323628732, -0.430247465723, -0.223819196782,
        0.0632317218039, -0.225411054052, -0.408039489043, -0.398760576544, -0.20193833409,
        0.0213778773693, -0.245226903793, -0.396497640325, -0.361289341166, -0.156161019555,
      ],
      1e-9,
      1e-11,
    );
    expectClose(
      tensor(Array.from(scores.values.slice(0, 24)), { dtype: 'float64' }),
      [
        0.342537192494, 0, 0.322252617416, 0.33521019009, 0.348093087632, 0.327359640492, 0,
        0.324547271876, 0, 0.358999782111, 0.303286203854, 0.337714014036, 0.345355578902,
        0.337285416367, 0.31735900473, 0, 0, 0, 0.482872340455, 0.517127659545, 0.527661699498, 0,
        0, 0.472338300502,
      ],
      1e-9,
      1e-11,
    );
  });

  it('passes the harness on images, with a causal mask along one axis', () => {
    checkLayer({
      make: (dtype) =>
        new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1, 2], dtype }),
      inputShapes: [
        [2, 2, 3, 3],
        [2, 2, 2, 4],
      ],
      expectedOutputShape: [2, 2, 3, 3],
    });
    checkLayer({
      make: (dtype) =>
        new MultiHeadAttention({
          numHeads: 2,
          keyDim: 2,
          attentionAxes: -2,
          useCausalMask: true,
          dtype,
        }),
      inputShapes: [
        [2, 2, 3, 3],
        [2, 2, 3, 3],
      ],
      expectedOutputShape: [2, 2, 3, 3],
    });
  });

  it('rejects what needs one attention axis, and mismatched paired axes', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, useCausalMask: true });
    const x = tensor(new Float32Array(2 * 2 * 3 * 4), { shape: [2, 2, 3, 4] });
    try {
      mha.attend(x, x);
      expect.unreachable();
    } catch (e) {
      expect((e as TensileError).code).toBe('not_supported');
      expect((e as TensileError).message).toMatch(/useCausalMask needs a single attention axis/);
    }
    const rows = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] });
    expect(() =>
      rows.apply([Input({ shape: [3, 2, 4] }), Input({ shape: [5, 2, 4] })]),
    ).toThrowError(/query and value must agree on axis 1, which is not an attention axis/);
  });
});

describe('MultiHeadAttention masks and dropout', () => {
  it("applies the inputs' Keras masks: query on T, value on S", () => {
    const tokensQ = tensor([[3, 1, 0]], { dtype: 'int32' });
    const tokensV = tensor([[2, 0, 4, 0]], { dtype: 'int32' });
    const embed = new Embedding({ inputDim: 5, outputDim: 4, maskZero: true, dtype: 'float64' });
    const [q, v] = [embed.apply(tokensQ), embed.apply(tokensV)];
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, dtype: 'float64' });
    const [y, scores] = mha.attend(q, v, { returnAttentionScores: true });
    // Value steps 1 and 3 are masked for every query; query step 2 sees nothing.
    const s = Array.from(scores.values);
    for (let head = 0; head < 2; head++) {
      for (let t = 0; t < 3; t++) {
        const row = s.slice((head * 3 + t) * 4, (head * 3 + t + 1) * 4);
        expect([row[1], row[3]]).toEqual([0, 0]);
        if (t === 2) expect(row).toEqual([0, 0, 0, 0]);
        else expect(row[0]! + row[2]!).toBeCloseTo(1, 12);
      }
    }
    expect(Array.from(getMask(y)!.values)).toEqual([1, 1, 0]);
  });

  it('explicit query and value masks act as the attached ones and are checked', () => {
    const mha = crossAttentionNoKey();
    const [q, v] = [query(), value()];
    const queryMask = tensor([1, 1, 0, 1, 0, 1], { shape: [B, T], dtype: 'bool' });
    const valueMask = tensor([1, 0, 1, 1, 1, 1, 0, 0], { shape: [B, S], dtype: 'bool' });
    const attentionMask = mul(reshape(queryMask, [B, T, 1]), reshape(valueMask, [B, 1, S]));
    const [y, scores] = mha.attend(q, v, { queryMask, valueMask, returnAttentionScores: true });
    const [y2, scores2] = mha.attend(q, v, { attentionMask, returnAttentionScores: true });
    expectClose(y, y2.values as Float64Array, 1e-12, 1e-14);
    expectClose(scores, scores2.values as Float64Array, 1e-12, 1e-14);
    expect(Array.from(getMask(y)!.values)).toEqual([1, 1, 0, 1, 0, 1]);
    expect(() => mha.attend(q, v, { valueMask: queryMask })).toThrowError(
      /a key mask must have shape \(batch, S\) = \[2,4\]. Received: valueMask\/keyMask.shape=\[2,3/,
    );
  });

  it('a functional model applies the same masks as the eager call', () => {
    const tokens = Input({ shape: [4], dtype: 'int32' });
    const embed = new Embedding({ inputDim: 6, outputDim: 4, maskZero: true, dtype: 'float64' });
    const x = embed.apply(tokens);
    const mha = new MultiHeadAttention({
      numHeads: 2,
      keyDim: 3,
      useCausalMask: true,
      dtype: 'float64',
    });
    const model = new Model({ inputs: tokens, outputs: mha.apply([x, x]) });
    const ids = tensor([[2, 5, 0, 1]], { dtype: 'int32' });
    const e = embed.apply(ids);
    const eager = mha.attend(e, e, { useCausalMask: true }).values as Float64Array;
    expectClose(model.apply(ids), eager, 1e-12, 1e-14);
    // The mask matters: without it the last query would also see the padded key 2.
    const unmasked = mha.attend(
      tensor(e.values, { shape: e.shape }),
      tensor(e.values, { shape: e.shape }),
    );
    expect(Array.from(unmasked.values.slice(12))).not.toEqual(Array.from(eager.slice(12)));
  });

  it('drops attention weights only in training, reproducibly with a seed', () => {
    const make = (): MultiHeadAttention =>
      setFilled(
        new MultiHeadAttention({
          numHeads: H,
          keyDim: KD,
          valueDim: VD,
          dropout: 0.5,
          seed: 4,
          dtype: 'float64',
        }),
        [
          [null, T, DQ],
          [null, S, DV],
        ],
      );
    const plain = crossAttentionNoKey();
    const [q, v] = [query(), value()];
    const a = make();
    expectClose(a.attend(q, v), plain.attend(q, v).values as Float64Array, 1e-12, 1e-14);
    const trained = a.attend(q, v, { training: true });
    expect(Array.from(trained.values)).not.toEqual(Array.from(plain.attend(q, v).values));
    expectClose(make().attend(q, v, { training: true }), trained.values as Float64Array, 0, 0);
  });
});

function crossAttentionNoKey(): MultiHeadAttention {
  const mha = new MultiHeadAttention({ numHeads: H, keyDim: KD, valueDim: VD, dtype: 'float64' });
  return setFilled(mha, [
    [null, T, DQ],
    [null, S, DV],
  ]);
}

describe('MultiHeadAttention errors', () => {
  it('rejects bad options', () => {
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrowError(
      /numHeads must be a positive integer. Received: numHeads=0/,
    );
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 1.5 })).toThrowError(
      /dropout must be in \[0, 1\). Received: dropout=1.5/,
    );
    expect(
      () => new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1.5] }),
    ).toThrowError(
      /must be an integer, a list of integers or null. Received: attentionAxes=\[1.5\]/,
    );
    const bad = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [3] });
    expect(() =>
      bad.apply([Input({ shape: [2, 3, 4] }), Input({ shape: [2, 3, 4] })]),
    ).toThrowError(/between 1 and 2 .* for inputs of rank 4. Received: attentionAxes=\[3\]/);
  });

  it('rejects inputs of the wrong rank, key and value of different lengths, bad masks', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const expectShapeError = (fn: () => unknown, message: RegExp): void => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TensileError);
        expect((e as TensileError).code).toBe('shape_mismatch');
        expect((e as TensileError).message).toMatch(message);
      }
    };
    expectShapeError(
      () => mha.apply([Input({ shape: [4] }), Input({ shape: [3, 4] })]),
      /query of rank 3 \(batch, sequence, features\), or .* Received: query.shape=\(None, 4\)/,
    );
    expectShapeError(
      () =>
        mha.apply([Input({ shape: [2, 4] }), Input({ shape: [3, 4] }), Input({ shape: [5, 4] })]),
      /key and value must have the same length S/,
    );
    const x = tensor(new Float32Array(2 * 3 * 4), { shape: [2, 3, 4] });
    expectShapeError(
      () => mha.attend(x, x, { attentionMask: tensor(new Float32Array(6), { shape: [2, 3] }) }),
      /must broadcast to \(batch, T, S\) = \[2,3,3\]. Received: attentionMask.shape=\[2,3\]/,
    );
    const q = Input({ shape: [2, 4] });
    expect(() => mha.attend(q as never, q as never)).toThrowError(
      /attend\(\) computes on tensors. In a functional graph call mha.apply\(\[query, value\]\)/,
    );
    expect(() => mha.apply([Input({ shape: [2, 4] })] as never)).toThrowError(
      /takes \[query, value\] or \[query, value, key\]/,
    );
  });
});
