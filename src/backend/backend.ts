import type { DataArray, FloatArray } from '../tensor/dtype.js';

/**
 * The compute kernels, by name. Ops reach arithmetic only through this interface, so the
 * TypeScript backend and the native addon are interchangeable: each implements every kernel
 * with the same semantics, reading inputs and writing `out` in place (no allocation of results;
 * the op layer allocates `out` with the right dtype and size).
 *
 * Conventions: arrays are row-major and contiguous; `strides` arguments are in elements and may
 * be 0 for broadcast dimensions; images are NHWC; conv kernels are (kh, kw, in/groups, out).
 */
export interface Backend {
  readonly name: BackendName;

  /** out[i] = f(x[i]); `a` and `b` are the op's parameters (leakyRelu slope, clip bounds, ...). */
  unary(op: UnaryOp, x: DataArray, out: DataArray, a: number, b: number): void;
  /** out[i] = dy[i] * f'(x[i]), given also y = f(x). */
  unaryGrad(
    op: UnaryOp,
    x: FloatArray,
    y: FloatArray,
    dy: FloatArray,
    out: FloatArray,
    a: number,
    b: number,
  ): void;
  /** out = a (op) b with broadcasting: a and b are read through their broadcast strides. */
  binary(
    op: BinaryOp,
    a: DataArray,
    aStrides: readonly number[],
    b: DataArray,
    bStrides: readonly number[],
    out: DataArray,
    outShape: readonly number[],
  ): void;
  /** out = cond ? a : b, all three read through broadcast strides. */
  where(
    cond: Uint8Array,
    condStrides: readonly number[],
    a: DataArray,
    aStrides: readonly number[],
    b: DataArray,
    bStrides: readonly number[],
    out: DataArray,
    outShape: readonly number[],
  ): void;
  /** Converts between dtypes; to bool gives x != 0. */
  cast(x: DataArray, out: DataArray): void;

  /**
   * Copies a strided view into a strided destination: for every index i of `shape`,
   * dst[dstOffset + i·dstStrides] = src[srcOffset + i·srcStrides]. Transpose, slice, pad, concat,
   * tile and broadcasting are all this one kernel.
   */
  copyStrided(
    src: DataArray,
    srcOffset: number,
    srcStrides: readonly number[],
    shape: readonly number[],
    dst: DataArray,
    dstOffset: number,
    dstStrides: readonly number[],
  ): void;

  /** Reduces x viewed as (outer, r, inner) over the middle axis into out (outer, inner). */
  reduce(op: ReduceOp, x: DataArray, outer: number, r: number, inner: number, out: DataArray): void;
  /** Index of the max / min over the middle axis of (outer, r, inner); the first on ties. */
  argReduce(
    op: ArgReduceOp,
    x: DataArray,
    outer: number,
    r: number,
    inner: number,
    out: Int32Array,
  ): void;
  /** Softmax (or log-softmax) over the middle axis of (outer, r, inner), max-shifted. */
  softmax(
    x: FloatArray,
    outer: number,
    r: number,
    inner: number,
    out: FloatArray,
    log: boolean,
  ): void;
  /** Gradient of softmax / log-softmax given its output y and upstream dy. */
  softmaxGrad(
    y: FloatArray,
    dy: FloatArray,
    outer: number,
    r: number,
    inner: number,
    out: FloatArray,
    log: boolean,
  ): void;

  /** Batched matrix product; see MatmulParams. `out` is (batch, m, n). */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, p: MatmulParams): void;

  /** x (outer, axisLen, inner) gathered by indices into out (outer, indices.length, inner). */
  gather(
    x: DataArray,
    indices: Int32Array,
    outer: number,
    axisLen: number,
    inner: number,
    out: DataArray,
  ): void;
  /** The gradient of gather: out (outer, axisLen, inner) is zeroed, then dy rows are added. */
  gatherGrad(
    dy: FloatArray,
    indices: Int32Array,
    outer: number,
    axisLen: number,
    inner: number,
    out: FloatArray,
  ): void;

  conv2d(x: FloatArray, w: FloatArray, out: FloatArray, p: Conv2DParams): void;
  /** dx from dy and w (also conv2dTranspose's forward). dx is overwritten. */
  conv2dBackpropInput(dy: FloatArray, w: FloatArray, dx: FloatArray, p: Conv2DParams): void;
  /** dw from x and dy. dw is overwritten. */
  conv2dBackpropFilter(x: FloatArray, dy: FloatArray, dw: FloatArray, p: Conv2DParams): void;

  maxPool2d(x: FloatArray, out: FloatArray, p: Pool2DParams): void;
  /** dx from x and dy, routing each gradient to the first maximum of its window. */
  maxPool2dGrad(x: FloatArray, dy: FloatArray, dx: FloatArray, p: Pool2DParams): void;
  /** Average over the window's elements inside the input (padding is not counted). */
  avgPool2d(x: FloatArray, out: FloatArray, p: Pool2DParams): void;
  avgPool2dGrad(dy: FloatArray, dx: FloatArray, p: Pool2DParams): void;

  /** Bilinear resize with half-pixel centers (Keras 3 / tf.image.resize), NHWC. */
  resizeBilinear(x: FloatArray, out: FloatArray, p: ResizeParams): void;
  resizeBilinearGrad(dy: FloatArray, dx: FloatArray, p: ResizeParams): void;

  /** One Adam / AdamW step in place on p, m, v (and vMax when amsgrad). See AdamParams. */
  adamUpdate(
    p: FloatArray,
    g: FloatArray,
    m: FloatArray,
    v: FloatArray,
    vMax: FloatArray | null,
    h: AdamParams,
  ): void;
  /** One SGD step in place; velocity is null without momentum. */
  sgdUpdate(p: FloatArray, g: FloatArray, velocity: FloatArray | null, h: SgdParams): void;
}

export type BackendName = 'ts' | 'native';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'abs'
  | 'sign'
  | 'square'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'sin'
  | 'cos'
  | 'clip' // a = lower bound, b = upper bound
  | 'relu'
  | 'relu6'
  | 'leakyRelu' // a = negative slope
  | 'elu' // a = alpha
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'silu'
  | 'logicalNot'
  | 'isNaN';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'logicalAnd'
  | 'logicalOr';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argMax' | 'argMin';

/**
 * out[b] = op(A[b]) · op(B[b]) where op transposes when asked. A[b] starts at aOffsets[b]
 * (b · m·k when null) and is stored (m, k), or (k, m) when transA; B[b] starts at bOffsets[b]
 * (b · k·n when null) and is stored (k, n), or (n, k) when transB. Offsets express broadcast
 * batch dimensions without copies.
 */
export interface MatmulParams {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aOffsets: Int32Array | null;
  bOffsets: Int32Array | null;
}

export interface Conv2DParams {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
  groups: number;
}

export interface Pool2DParams {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export interface ResizeParams {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
}

/**
 * Keras 3's Adam: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε), with v replaced by max(vMax, v) under amsgrad.
 * `weightDecay` > 0 first applies decoupled decay p ← p − p·lr·weightDecay (AdamW).
 */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** The step number t, from 1. */
  step: number;
  weightDecay: number;
}

/** Keras 3's SGD: v ← momentum·v − lr·g; p ← p + v (nesterov: p ← p + momentum·v − lr·g). */
export interface SgdParams {
  lr: number;
  momentum: number;
  nesterov: boolean;
}
