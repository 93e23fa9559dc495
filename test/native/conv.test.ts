import { it } from 'vitest';
import type { Conv2DParams, Pool2DParams, ResizeParams } from '../../src/backend/backend.js';
import { FLOATS, Random, describeNative, expectNear, randomArray, tol, ts } from './harness.js';

interface ConvCase {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outC: number;
  k: [number, number];
  stride?: [number, number];
  dilation?: [number, number];
  pad?: [number, number];
  groups?: number;
}

function convParams(c: ConvCase): Conv2DParams {
  const [kh, kw] = c.k;
  const [sh, sw] = c.stride ?? [1, 1];
  const [dh, dw] = c.dilation ?? [1, 1];
  const [pt, pl] = c.pad ?? [0, 0];
  // Output size for symmetric padding pt / pl on both sides.
  const outH = Math.floor((c.inH + 2 * pt - dh * (kh - 1) - 1) / sh) + 1;
  const outW = Math.floor((c.inW + 2 * pl - dw * (kw - 1) - 1) / sw) + 1;
  return {
    batch: c.batch,
    inH: c.inH,
    inW: c.inW,
    inC: c.inC,
    outH,
    outW,
    outC: c.outC,
    kh,
    kw,
    strideH: sh,
    strideW: sw,
    dilationH: dh,
    dilationW: dw,
    padTop: pt,
    padLeft: pl,
    groups: c.groups ?? 1,
  };
}

const CONVS: readonly ConvCase[] = [
  { batch: 2, inH: 7, inW: 9, inC: 3, outC: 5, k: [3, 3] },
  { batch: 1, inH: 17, inW: 17, inC: 16, outC: 33, k: [3, 3], pad: [1, 1] },
  { batch: 3, inH: 8, inW: 8, inC: 4, outC: 8, k: [1, 1] },
  { batch: 2, inH: 13, inW: 11, inC: 6, outC: 4, k: [5, 3], stride: [2, 3], pad: [2, 1] },
  { batch: 2, inH: 12, inW: 12, inC: 4, outC: 6, k: [3, 3], dilation: [2, 2], pad: [2, 2] },
  { batch: 2, inH: 9, inW: 9, inC: 6, outC: 9, k: [3, 3], groups: 3, pad: [1, 1] },
  { batch: 2, inH: 9, inW: 7, inC: 8, outC: 8, k: [3, 3], groups: 8, pad: [1, 1] },
  { batch: 8, inH: 28, inW: 28, inC: 1, outC: 32, k: [3, 3] },
  // Depthwise with a channel multiplier of 2.
  { batch: 2, inH: 7, inW: 8, inC: 3, outC: 6, k: [3, 3], groups: 3, stride: [2, 1], pad: [1, 1] },
  { batch: 1, inH: 5, inW: 5, inC: 2, outC: 3, k: [2, 2], stride: [2, 2] },
];

describeNative('conv2d and its gradients', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    it(`${dtype}: forward, backprop input, backprop filter on ${CONVS.length} geometries`, () => {
      const rng = new Random(12);
      for (const c of CONVS) {
        const p = convParams(c);
        const x = randomArray(ctor, p.batch * p.inH * p.inW * p.inC, rng);
        const w = randomArray(ctor, p.kh * p.kw * (p.inC / p.groups) * p.outC, rng);
        const dy = randomArray(ctor, p.batch * p.outH * p.outW * p.outC, rng);
        const k = p.kh * p.kw * p.inC;
        const t = tol(
          ctor,
          { rtol: 1e-5, atol: 3e-6 * Math.sqrt(k) },
          { rtol: 1e-11, atol: 1e-12 },
        );
        const what = JSON.stringify(c);

        const want = new ctor(dy.length);
        const got = new ctor(dy.length);
        ts.conv2d(x, w, want, p);
        nb.conv2d(x, w, got, p);
        expectNear(got, want, t, `conv2d ${what}`);

        const dxWant = new ctor(x.length);
        const dxGot = new ctor(x.length).fill(NaN);
        ts.conv2dBackpropInput(dy, w, dxWant, p);
        nb.conv2dBackpropInput(dy, w, dxGot, p);
        expectNear(dxGot, dxWant, t, `backprop input ${what}`);

        const pixels = p.batch * p.outH * p.outW;
        const dwWant = new ctor(w.length);
        const dwGot = new ctor(w.length).fill(NaN);
        ts.conv2dBackpropFilter(x, dy, dwWant, p);
        nb.conv2dBackpropFilter(x, dy, dwGot, p);
        const tf = tol(
          ctor,
          { rtol: 1e-5, atol: 3e-6 * Math.sqrt(pixels) },
          { rtol: 1e-11, atol: 1e-11 },
        );
        expectNear(dwGot, dwWant, tf, `backprop filter ${what}`);
      }
    });
  }

  it('splits a large batch over threads with per-thread filter gradients', () => {
    const rng = new Random(13);
    const p = convParams({ batch: 32, inH: 20, inW: 20, inC: 8, outC: 16, k: [3, 3], pad: [1, 1] });
    const x = randomArray(Float32Array, p.batch * p.inH * p.inW * p.inC, rng);
    const dy = randomArray(Float32Array, p.batch * p.outH * p.outW * p.outC, rng);
    const want = new Float32Array(3 * 3 * 8 * 16);
    const got = new Float32Array(want.length);
    ts.conv2dBackpropFilter(x, dy, want, p);
    nb.conv2dBackpropFilter(x, dy, got, p);
    expectNear(got, want, { rtol: 1e-4, atol: 2e-4 }, 'dw');
  });
});

const POOLS: readonly Pool2DParams[] = [
  {
    batch: 2,
    inH: 8,
    inW: 8,
    channels: 3,
    outH: 4,
    outW: 4,
    kh: 2,
    kw: 2,
    strideH: 2,
    strideW: 2,
    padTop: 0,
    padLeft: 0,
  },
  {
    batch: 1,
    inH: 7,
    inW: 9,
    channels: 17,
    outH: 7,
    outW: 9,
    kh: 3,
    kw: 3,
    strideH: 1,
    strideW: 1,
    padTop: 1,
    padLeft: 1,
  },
  {
    batch: 3,
    inH: 9,
    inW: 5,
    channels: 33,
    outH: 4,
    outW: 2,
    kh: 3,
    kw: 2,
    strideH: 2,
    strideW: 2,
    padTop: 0,
    padLeft: 0,
  },
  {
    batch: 2,
    inH: 5,
    inW: 5,
    channels: 1,
    outH: 3,
    outW: 3,
    kh: 3,
    kw: 3,
    strideH: 2,
    strideW: 2,
    padTop: 1,
    padLeft: 1,
  },
];

describeNative('pooling', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    it(`${dtype}: max and average pooling with their gradients`, () => {
      const rng = new Random(14);
      for (const p of POOLS) {
        const x = randomArray(ctor, p.batch * p.inH * p.inW * p.channels, rng);
        // Quantized inputs give ties, so the first-maximum rule is exercised.
        x.forEach((v, i) => (x[i] = Math.round(v * 3)));
        x[5] = NaN;
        const dy = randomArray(ctor, p.batch * p.outH * p.outW * p.channels, rng);
        const t = tol(ctor, { rtol: 1e-6, atol: 1e-6 }, { rtol: 1e-13, atol: 1e-14 });
        for (const kind of ['max', 'avg'] as const) {
          const want = new ctor(dy.length);
          const got = new ctor(dy.length);
          const dxWant = new ctor(x.length);
          const dxGot = new ctor(x.length).fill(NaN);
          if (kind === 'max') {
            ts.maxPool2d(x, want, p);
            nb.maxPool2d(x, got, p);
            ts.maxPool2dGrad(x, dy, dxWant, p);
            nb.maxPool2dGrad(x, dy, dxGot, p);
          } else {
            ts.avgPool2d(x, want, p);
            nb.avgPool2d(x, got, p);
            ts.avgPool2dGrad(dy, dxWant, p);
            nb.avgPool2dGrad(dy, dxGot, p);
          }
          expectNear(got, want, t, `${kind}Pool ${JSON.stringify(p)}`);
          expectNear(dxGot, dxWant, t, `${kind}PoolGrad ${JSON.stringify(p)}`);
        }
      }
    });
  }
});

const RESIZES: readonly ResizeParams[] = [
  { batch: 2, inH: 4, inW: 5, channels: 3, outH: 8, outW: 10 },
  { batch: 1, inH: 17, inW: 9, channels: 7, outH: 5, outW: 4 },
  { batch: 3, inH: 1, inW: 1, channels: 2, outH: 3, outW: 3 },
  { batch: 1, inH: 6, inW: 6, channels: 33, outH: 6, outW: 6 },
];

describeNative('resizeBilinear', (nb) => {
  for (const [dtype, ctor] of FLOATS) {
    it(`${dtype}: forward and gradient, up and down`, () => {
      const rng = new Random(15);
      for (const p of RESIZES) {
        const x = randomArray(ctor, p.batch * p.inH * p.inW * p.channels, rng);
        const dy = randomArray(ctor, p.batch * p.outH * p.outW * p.channels, rng);
        const t = tol(ctor, { rtol: 1e-6, atol: 1e-6 }, { rtol: 1e-13, atol: 1e-14 });
        const want = new ctor(dy.length);
        const got = new ctor(dy.length);
        ts.resizeBilinear(x, want, p);
        nb.resizeBilinear(x, got, p);
        expectNear(got, want, t, `resize ${JSON.stringify(p)}`);
        const dxWant = new ctor(x.length);
        const dxGot = new ctor(x.length).fill(NaN);
        ts.resizeBilinearGrad(dy, dxWant, p);
        nb.resizeBilinearGrad(dy, dxGot, p);
        expectNear(dxGot, dxWant, t, `resizeGrad ${JSON.stringify(p)}`);
      }
    });
  }
});
