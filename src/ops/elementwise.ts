import { record } from '../autograd/engine.js';
import { invalidArgument } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { type DType, type FloatArray, isFloat, promoteTypes } from '../tensor/dtype.js';
import { broadcastShapes, broadcastStrides } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type TensorLike, castTo, empty, expectTensor, scalarOf, sumToShape } from './util.js';

/** Turns the operands of a binary op into tensors of one dtype. Numbers take the tensor's dtype. */
function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor, DType] {
  if (typeof a === 'number' && typeof b === 'number') {
    return [scalarOf(a, 'float32'), scalarOf(b, 'float32'), 'float32'];
  }
  if (typeof a === 'number') {
    const bt = expectTensor(b, op, 'b');
    const dtype = numberDType(a, bt.dtype);
    return [scalarOf(a, dtype), cast(bt, dtype), dtype];
  }
  const at = expectTensor(a, op, 'a');
  if (typeof b === 'number') {
    const dtype = numberDType(b, at.dtype);
    return [cast(at, dtype), scalarOf(b, dtype), dtype];
  }
  const bt = expectTensor(b, op, 'b');
  const dtype = promoteTypes(at.dtype, bt.dtype);
  return [cast(at, dtype), cast(bt, dtype), dtype];
}

/** A number meeting an integer tensor keeps it integer only if the number is an integer. */
function numberDType(value: number, tensorDType: DType): DType {
  if (isFloat(tensorDType)) return tensorDType;
  return Number.isInteger(value) ? (tensorDType === 'bool' ? 'int32' : tensorDType) : 'float32';
}

function broadcastKernel(
  op: BinaryOp,
  a: Tensor,
  b: Tensor,
  outDType: DType,
  name: string,
): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = empty(shape, outDType);
  getBackend().binary(
    op,
    a.values,
    broadcastStrides(a.shape, shape),
    b.values,
    broadcastStrides(b.shape, shape),
    out.values,
    shape,
  );
  return out;
}

/** Arithmetic on bool operands happens in int32, as NumPy does for booleans added together. */
function arithmeticDType(dtype: DType): DType {
  return dtype === 'bool' ? 'int32' : dtype;
}

function arithmetic(
  op: BinaryOp,
  a: TensorLike,
  b: TensorLike,
  backward: (dy: Tensor, x: Tensor, y: Tensor, out: Tensor) => [Tensor | null, Tensor | null],
  floatOnly = false,
): Tensor {
  const [x0, y0, dtype0] = operands(a, b, op);
  const dtype = floatOnly && !isFloat(dtype0) ? 'float32' : arithmeticDType(dtype0);
  const x = cast(x0, dtype);
  const y = cast(y0, dtype);
  const out = broadcastKernel(op, x, y, dtype, op);
  return record(out, op, [x, y], (dy) => {
    const [gx, gy] = backward(dy, x, y, out);
    return [gx && sumToShape(gx, x.shape), gy && sumToShape(gy, y.shape)];
  });
}

/** a + b with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('add', a, b, (dy) => [dy, dy]);
}

/** a − b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('sub', a, b, (dy) => [dy, neg(dy)]);
}

/** a · b elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('mul', a, b, (dy, x, y) => [mul(dy, y), mul(dy, x)]);
}

/** a / b elementwise with broadcasting. Integer operands divide in float32 (true division). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('div', a, b, (dy, _x, z, out) => [div(dy, z), neg(div(mul(dy, out), z))], true);
}

/** aᵇ elementwise with broadcasting. The gradient in b uses log(a) where a > 0 and 0 elsewhere. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('pow', a, b, (dy, x, y, out) => {
    const gx = mul(dy, mul(y, pow(x, sub(y, 1))));
    const safeLog = where(greater(x, 0), log(where(greater(x, 0), x, 1)), 0);
    const gy = mul(dy, mul(out, safeLog));
    return [gx, gy];
  });
}

/** Elementwise maximum; ties send the gradient to a, as TensorFlow does. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('maximum', a, b, (dy, x, y) => {
    const mask = greaterEqual(x, y);
    return [where(mask, dy, 0), where(mask, 0, dy)];
  });
}

/** Elementwise minimum; ties send the gradient to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arithmetic('minimum', a, b, (dy, x, y) => {
    const mask = lessEqual(x, y);
    return [where(mask, dy, 0), where(mask, 0, dy)];
  });
}

function comparison(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, op);
  const out = broadcastKernel(op, x, y, 'bool', op);
  out.op = op;
  return out;
}

/** a == b elementwise, as a bool tensor (no gradient). */
export const equal = (a: TensorLike, b: TensorLike): Tensor => comparison('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => comparison('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => comparison('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => comparison('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => comparison('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor =>
  comparison('greaterEqual', a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => comparison('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => comparison('logicalOr', a, b);

/** Picks a where cond holds and b elsewhere, with broadcasting over all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  expectTensor(cond, 'where', 'cond');
  const c = castTo(cond, 'bool');
  const [x, y, dtype] = operands(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(c.shape, x.shape, 'where'), y.shape, 'where');
  const out = empty(shape, dtype);
  getBackend().where(
    c.values as Uint8Array,
    broadcastStrides(c.shape, shape),
    x.values,
    broadcastStrides(x.shape, shape),
    y.values,
    broadcastStrides(y.shape, shape),
    out.values,
    shape,
  );
  return record(out, 'where', [x, y], (dy) => [
    sumToShape(where(c, dy, 0), x.shape),
    sumToShape(where(c, 0, dy), y.shape),
  ]);
}

/** Converts to another dtype. The gradient flows back only between float dtypes. */
export function cast(x: Tensor, dtype: DType): Tensor {
  expectTensor(x, 'cast');
  const out = castTo(x, dtype);
  if (out === x) return x;
  if (!isFloat(dtype) || !isFloat(x.dtype)) {
    out.op = 'cast';
    return out;
  }
  return record(out, 'cast', [x], (dy) => [castTo(dy, x.dtype)]);
}

/**
 * Applies an elementwise kernel and records its gradient kernel. `a` and `b` are the op's
 * parameters, passed through to both kernels.
 */
export function unaryOp(op: UnaryOp, x: Tensor, a = 0, b = 0): Tensor {
  expectTensor(x, op);
  if (!isFloat(x.dtype)) {
    // Integer inputs: ops that map integers to integers keep the dtype; the rest compute in
    // float32. Neither records a gradient, since integer tensors never require one.
    const dtype = INTEGER_CLOSED.has(op) ? x.dtype : 'float32';
    const out = empty(x.shape, dtype === 'bool' ? 'int32' : dtype);
    getBackend().unary(op, castTo(x, out.dtype).values, out.values, a, b);
    out.op = op;
    return out;
  }
  const out = empty(x.shape, x.dtype);
  getBackend().unary(op, x.values, out.values, a, b);
  return record(out, op, [x], (dy) => {
    const dx = empty(x.shape, x.dtype);
    getBackend().unaryGrad(
      op,
      x.values as FloatArray,
      out.values as FloatArray,
      castTo(dy, x.dtype).values as FloatArray,
      dx.values as FloatArray,
      a,
      b,
    );
    return [dx];
  });
}

const INTEGER_CLOSED = new Set<UnaryOp>([
  'neg',
  'abs',
  'sign',
  'square',
  'floor',
  'ceil',
  'round',
  'clip',
  'relu',
  'relu6',
]);

/** −x. */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x);
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unaryOp('rsqrt', x);
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);
export const square = (x: Tensor): Tensor => unaryOp('square', x);
export const floor = (x: Tensor): Tensor => unaryOp('floor', x);
export const ceil = (x: Tensor): Tensor => unaryOp('ceil', x);
export const round = (x: Tensor): Tensor => unaryOp('round', x);
export const sin = (x: Tensor): Tensor => unaryOp('sin', x);
export const cos = (x: Tensor): Tensor => unaryOp('cos', x);

/**
 * Clamps every element into [min, max]. The gradient passes where min ≤ x ≤ max, bounds
 * included. An integer tensor stays integer unless a bound is fractional.
 */
export function clip(x: Tensor, min: number, max: number): Tensor {
  expectTensor(x, 'clip');
  if (
    typeof min !== 'number' ||
    typeof max !== 'number' ||
    Number.isNaN(min) ||
    Number.isNaN(max)
  ) {
    throw invalidArgument(
      `clip: min and max must be numbers. Received: min=${String(min)}, max=${String(max)}`,
    );
  }
  const whole = (v: number): boolean => Number.isInteger(v) || !Number.isFinite(v);
  const source = isFloat(x.dtype) || (whole(min) && whole(max)) ? x : cast(x, 'float32');
  return unaryOp('clip', source, min, max);
}

/** Elementwise logical not of a bool (or any) tensor, as bool. */
export function logicalNot(x: Tensor): Tensor {
  const out = empty(expectTensor(x, 'logicalNot').shape, 'bool');
  getBackend().unary('logicalNot', x.values, out.values, 0, 0);
  return out;
}

/** True where x is NaN. */
export function isNaN(x: Tensor): Tensor {
  const out = empty(expectTensor(x, 'isNaN').shape, 'bool');
  getBackend().unary('isNaN', x.values, out.values, 0, 0);
  return out;
}
