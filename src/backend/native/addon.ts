import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The compiled addon's exports (native/binding/addon.cpp). Every function works on the typed
 * arrays' own memory; op names travel as indices into `unaryOps` / `binaryOps`, and the conv,
 * pool and resize parameters as flat arrays in the field order of their Params interfaces.
 */
export interface NativeAddon {
  readonly isa: string;
  readonly unaryOps: readonly string[];
  readonly binaryOps: readonly string[];
  unary(op: number, x: ArrayBufferView, out: ArrayBufferView, a: number, b: number): void;
  unaryGrad(
    op: number,
    x: ArrayBufferView,
    y: ArrayBufferView,
    dy: ArrayBufferView,
    out: ArrayBufferView,
    a: number,
    b: number,
  ): void;
  binary(
    op: number,
    a: ArrayBufferView,
    aStrides: readonly number[],
    b: ArrayBufferView,
    bStrides: readonly number[],
    out: ArrayBufferView,
    outShape: readonly number[],
  ): void;
  where(
    cond: ArrayBufferView,
    condStrides: readonly number[],
    a: ArrayBufferView,
    aStrides: readonly number[],
    b: ArrayBufferView,
    bStrides: readonly number[],
    out: ArrayBufferView,
    outShape: readonly number[],
  ): void;
  cast(x: ArrayBufferView, out: ArrayBufferView): void;
  copyStrided(
    src: ArrayBufferView,
    srcOffset: number,
    srcStrides: readonly number[],
    shape: readonly number[],
    dst: ArrayBufferView,
    dstOffset: number,
    dstStrides: readonly number[],
  ): void;
  gather(
    x: ArrayBufferView,
    indices: Int32Array,
    outer: number,
    axisLen: number,
    inner: number,
    out: ArrayBufferView,
  ): void;
  gatherGrad(
    dy: ArrayBufferView,
    indices: Int32Array,
    outer: number,
    axisLen: number,
    inner: number,
    out: ArrayBufferView,
  ): void;
  reduce(
    op: number,
    x: ArrayBufferView,
    outer: number,
    r: number,
    inner: number,
    out: ArrayBufferView,
  ): void;
  argReduce(
    wantMax: boolean,
    x: ArrayBufferView,
    outer: number,
    r: number,
    inner: number,
    out: Int32Array,
  ): void;
  softmax(
    x: ArrayBufferView,
    outer: number,
    r: number,
    inner: number,
    out: ArrayBufferView,
    log: boolean,
  ): void;
  softmaxGrad(
    y: ArrayBufferView,
    dy: ArrayBufferView,
    outer: number,
    r: number,
    inner: number,
    out: ArrayBufferView,
    log: boolean,
  ): void;
  matmul(
    a: ArrayBufferView,
    b: ArrayBufferView,
    out: ArrayBufferView,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    aOffsets: Int32Array | null,
    bOffsets: Int32Array | null,
  ): void;
  conv2d(x: ArrayBufferView, w: ArrayBufferView, out: ArrayBufferView, p: readonly number[]): void;
  conv2dBackpropInput(
    dy: ArrayBufferView,
    w: ArrayBufferView,
    dx: ArrayBufferView,
    p: readonly number[],
  ): void;
  conv2dBackpropFilter(
    x: ArrayBufferView,
    dy: ArrayBufferView,
    dw: ArrayBufferView,
    p: readonly number[],
  ): void;
  maxPool2d(x: ArrayBufferView, out: ArrayBufferView, p: readonly number[]): void;
  maxPool2dGrad(
    x: ArrayBufferView,
    dy: ArrayBufferView,
    dx: ArrayBufferView,
    p: readonly number[],
  ): void;
  avgPool2d(x: ArrayBufferView, out: ArrayBufferView, p: readonly number[]): void;
  avgPool2dGrad(dy: ArrayBufferView, dx: ArrayBufferView, p: readonly number[]): void;
  resizeBilinear(x: ArrayBufferView, out: ArrayBufferView, p: readonly number[]): void;
  resizeBilinearGrad(dy: ArrayBufferView, dx: ArrayBufferView, p: readonly number[]): void;
  adamUpdate(
    p: ArrayBufferView,
    g: ArrayBufferView,
    m: ArrayBufferView,
    v: ArrayBufferView,
    vMax: ArrayBufferView | null,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    step: number,
    weightDecay: number,
  ): void;
  sgdUpdate(
    p: ArrayBufferView,
    g: ArrayBufferView,
    velocity: ArrayBufferView | null,
    lr: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

export type AddonLoad = { ok: true; addon: NativeAddon } | { ok: false; reason: string };

let cached: AddonLoad | null = null;

/**
 * Where `npm install` builds the addon (scripts/build-native.mjs): build/Release under the
 * package root, which is three folders above this file both in src/ and in dist/.
 */
export function addonPath(): string {
  return fileURLToPath(new URL('../../../build/Release/tensile.node', import.meta.url));
}

/** Loads the addon once; later calls return the same result, success or failure. */
export function loadAddon(): AddonLoad {
  if (cached !== null) return cached;
  const path = addonPath();
  try {
    const require = createRequire(import.meta.url);
    const addon = require(path) as NativeAddon;
    if (typeof addon.matmul !== 'function' || !Array.isArray(addon.unaryOps)) {
      throw new Error(`${path} is not Tensile's addon`);
    }
    cached = { ok: true, addon };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const reason =
      code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED'
        ? `the addon ${path} was not built ` +
          `or cannot be loaded (${(err as Error).message.split('\n')[0]})`
        : (err as Error).message;
    cached = { ok: false, reason };
  }
  return cached;
}
