import type { DataArray, FloatArray } from '../../tensor/dtype.js';
import type {
  AdamParams,
  Backend,
  BinaryOp,
  Conv2DParams,
  MatmulParams,
  Pool2DParams,
  ReduceOp,
  ResizeParams,
  SgdParams,
  UnaryOp,
} from '../backend.js';
import type { NativeAddon } from './addon.js';
import { checkCount, checkLength, checkSpan, fail, product, sameFloat } from './validate.js';

const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, prod: 3 };
const COMPARISONS = new Set<BinaryOp>([
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
  'logicalAnd',
  'logicalOr',
]);

function codes(names: readonly string[]): Map<string, number> {
  return new Map(names.map((name, i) => [name, i]));
}

function convArgs(p: Conv2DParams): number[] {
  return [
    p.batch,
    p.inH,
    p.inW,
    p.inC,
    p.outH,
    p.outW,
    p.outC,
    p.kh,
    p.kw,
    p.strideH,
    p.strideW,
    p.dilationH,
    p.dilationW,
    p.padTop,
    p.padLeft,
    p.groups,
  ];
}

function poolArgs(p: Pool2DParams): number[] {
  return [
    p.batch,
    p.inH,
    p.inW,
    p.channels,
    p.outH,
    p.outW,
    p.kh,
    p.kw,
    p.strideH,
    p.strideW,
    p.padTop,
    p.padLeft,
  ];
}

function resizeArgs(p: ResizeParams): number[] {
  return [p.batch, p.inH, p.inW, p.channels, p.outH, p.outW];
}

function checkParams(kernel: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0)
      fail(kernel, `parameters must be non-negative integers. Received: [${values.join(',')}]`);
  }
}

function checkConv(
  kernel: string,
  x: FloatArray,
  w: FloatArray,
  y: FloatArray,
  p: Conv2DParams,
): number[] {
  const args = convArgs(p);
  checkParams(kernel, args);
  if (p.groups < 1 || p.inC % p.groups !== 0 || p.outC % p.groups !== 0) {
    fail(
      kernel,
      `groups must divide inC and outC. Received: groups=${p.groups}, inC=${p.inC}, outC=${p.outC}`,
    );
  }
  if (p.strideH < 1 || p.strideW < 1 || p.dilationH < 1 || p.dilationW < 1) {
    fail(kernel, `strides and dilations must be positive. Received: [${args.join(',')}]`);
  }
  checkLength(kernel, 'x', x, p.batch * p.inH * p.inW * p.inC);
  checkLength(kernel, 'kernel', w, p.kh * p.kw * (p.inC / p.groups) * p.outC);
  checkLength(kernel, 'y', y, p.batch * p.outH * p.outW * p.outC);
  return args;
}

function checkPool(kernel: string, x: FloatArray, y: FloatArray, p: Pool2DParams): number[] {
  const args = poolArgs(p);
  checkParams(kernel, args);
  if (p.strideH < 1 || p.strideW < 1)
    fail(kernel, `strides must be positive. Received: [${args.join(',')}]`);
  checkLength(kernel, 'x', x, p.batch * p.inH * p.inW * p.channels);
  checkLength(kernel, 'y', y, p.batch * p.outH * p.outW * p.channels);
  return args;
}

function checkResize(kernel: string, x: FloatArray, y: FloatArray, p: ResizeParams): number[] {
  const args = resizeArgs(p);
  checkParams(kernel, args);
  checkLength(kernel, 'x', x, p.batch * p.inH * p.inW * p.channels);
  checkLength(kernel, 'y', y, p.batch * p.outH * p.outW * p.channels);
  return args;
}

/**
 * The native backend: every kernel validates its arguments, then runs in the addon on the typed
 * arrays' memory. Kernels on dtypes the addon does not implement (integer arithmetic, mixed-dtype
 * calls) run on `fallback`, the TypeScript backend, so the native backend is always complete.
 */
export function createNativeBackend(addon: NativeAddon, fallback: Backend): Backend {
  const unaryCodes = codes(addon.unaryOps);
  const binaryCodes = codes(addon.binaryOps);

  return {
    name: 'native',

    unary(op: UnaryOp, x: DataArray, out: DataArray, a: number, b: number): void {
      const code = unaryCodes.get(op);
      if (code === undefined || !sameFloat(x, out)) return fallback.unary(op, x, out, a, b);
      checkLength('unary', 'out', out, x.length);
      addon.unary(code, x, out, a, b);
    },

    unaryGrad(op, x, y, dy, out, a, b): void {
      const code = unaryCodes.get(op);
      if (code === undefined || !sameFloat(x, y, dy, out)) {
        return fallback.unaryGrad(op, x, y, dy, out, a, b);
      }
      checkLength('unaryGrad', 'y', y, x.length);
      checkLength('unaryGrad', 'dy', dy, x.length);
      checkLength('unaryGrad', 'out', out, x.length);
      addon.unaryGrad(code, x, y, dy, out, a, b);
    },

    binary(op, a, aStrides, b, bStrides, out, outShape): void {
      const code = binaryCodes.get(op);
      const outOk = COMPARISONS.has(op)
        ? out instanceof Uint8Array
        : out.constructor === a.constructor;
      if (code === undefined || !sameFloat(a, b) || !outOk) {
        return fallback.binary(op, a, aStrides, b, bStrides, out, outShape);
      }
      checkSpan('binary', 'a', a, 0, aStrides, outShape);
      checkSpan('binary', 'b', b, 0, bStrides, outShape);
      checkLength('binary', 'out', out, product(outShape));
      addon.binary(code, a, aStrides, b, bStrides, out, outShape);
    },

    where(cond, condStrides, a, aStrides, b, bStrides, out, outShape): void {
      if (a.constructor !== b.constructor || a.constructor !== out.constructor) {
        return fallback.where(cond, condStrides, a, aStrides, b, bStrides, out, outShape);
      }
      checkSpan('where', 'cond', cond, 0, condStrides, outShape);
      checkSpan('where', 'a', a, 0, aStrides, outShape);
      checkSpan('where', 'b', b, 0, bStrides, outShape);
      checkLength('where', 'out', out, product(outShape));
      addon.where(cond, condStrides, a, aStrides, b, bStrides, out, outShape);
    },

    cast(x, out): void {
      checkLength('cast', 'out', out, x.length);
      addon.cast(x, out);
    },

    copyStrided(src, srcOffset, srcStrides, shape, dst, dstOffset, dstStrides): void {
      if (src.constructor !== dst.constructor) {
        return fallback.copyStrided(src, srcOffset, srcStrides, shape, dst, dstOffset, dstStrides);
      }
      checkSpan('copyStrided', 'src', src, srcOffset, srcStrides, shape);
      checkSpan('copyStrided', 'dst', dst, dstOffset, dstStrides, shape);
      addon.copyStrided(src, srcOffset, srcStrides, shape, dst, dstOffset, dstStrides);
    },

    reduce(op, x, outer, r, inner, out): void {
      if (!sameFloat(x, out)) return fallback.reduce(op, x, outer, r, inner, out);
      checkCount('reduce', 'outer', outer);
      checkCount('reduce', 'r', r);
      checkCount('reduce', 'inner', inner);
      checkLength('reduce', 'x', x, outer * r * inner);
      checkLength('reduce', 'out', out, outer * inner);
      addon.reduce(REDUCE_CODES[op], x, outer, r, inner, out);
    },

    argReduce(op, x, outer, r, inner, out): void {
      if (!sameFloat(x)) return fallback.argReduce(op, x, outer, r, inner, out);
      checkCount('argReduce', 'outer', outer);
      checkCount('argReduce', 'r', r);
      checkCount('argReduce', 'inner', inner);
      if (r === 0 && outer * inner > 0)
        fail('argReduce', 'the reduced axis is empty. Received: r=0');
      checkLength('argReduce', 'x', x, outer * r * inner);
      checkLength('argReduce', 'out', out, outer * inner);
      addon.argReduce(op === 'argMax', x, outer, r, inner, out);
    },

    softmax(x, outer, r, inner, out, log): void {
      if (!sameFloat(x, out)) return fallback.softmax(x, outer, r, inner, out, log);
      checkCount('softmax', 'outer', outer);
      checkCount('softmax', 'r', r);
      checkCount('softmax', 'inner', inner);
      checkLength('softmax', 'x', x, outer * r * inner);
      checkLength('softmax', 'out', out, outer * r * inner);
      addon.softmax(x, outer, r, inner, out, log);
    },

    softmaxGrad(y, dy, outer, r, inner, out, log): void {
      if (!sameFloat(y, dy, out)) return fallback.softmaxGrad(y, dy, outer, r, inner, out, log);
      checkCount('softmaxGrad', 'outer', outer);
      checkCount('softmaxGrad', 'r', r);
      checkCount('softmaxGrad', 'inner', inner);
      const n = outer * r * inner;
      checkLength('softmaxGrad', 'y', y, n);
      checkLength('softmaxGrad', 'dy', dy, n);
      checkLength('softmaxGrad', 'out', out, n);
      addon.softmaxGrad(y, dy, outer, r, inner, out, log);
    },

    matmul(a, b, out, p: MatmulParams): void {
      if (!sameFloat(a, b, out)) return fallback.matmul(a, b, out, p);
      const { batch, m, n, k } = p;
      checkCount('matmul', 'batch', batch);
      checkCount('matmul', 'm', m);
      checkCount('matmul', 'n', n);
      checkCount('matmul', 'k', k);
      if (p.aOffsets === null) checkLength('matmul', 'a', a, batch * m * k);
      else checkLength('matmul', 'aOffsets', p.aOffsets, batch);
      if (p.bOffsets === null) checkLength('matmul', 'b', b, batch * k * n);
      else checkLength('matmul', 'bOffsets', p.bOffsets, batch);
      checkLength('matmul', 'out', out, batch * m * n);
      addon.matmul(a, b, out, batch, m, n, k, p.transA, p.transB, p.aOffsets, p.bOffsets);
    },

    gather(x, indices, outer, axisLen, inner, out): void {
      if (x.constructor !== out.constructor) {
        return fallback.gather(x, indices, outer, axisLen, inner, out);
      }
      checkCount('gather', 'outer', outer);
      checkCount('gather', 'axisLen', axisLen);
      checkCount('gather', 'inner', inner);
      checkLength('gather', 'x', x, outer * axisLen * inner);
      checkLength('gather', 'out', out, outer * indices.length * inner);
      addon.gather(x, indices, outer, axisLen, inner, out);
    },

    gatherGrad(dy, indices, outer, axisLen, inner, out): void {
      if (!sameFloat(dy, out)) return fallback.gatherGrad(dy, indices, outer, axisLen, inner, out);
      checkCount('gatherGrad', 'outer', outer);
      checkCount('gatherGrad', 'axisLen', axisLen);
      checkCount('gatherGrad', 'inner', inner);
      checkLength('gatherGrad', 'dy', dy, outer * indices.length * inner);
      checkLength('gatherGrad', 'out', out, outer * axisLen * inner);
      addon.gatherGrad(dy, indices, outer, axisLen, inner, out);
    },

    conv2d(x, w, out, p): void {
      if (!sameFloat(x, w, out)) return fallback.conv2d(x, w, out, p);
      addon.conv2d(x, w, out, checkConv('conv2d', x, w, out, p));
    },

    conv2dBackpropInput(dy, w, dx, p): void {
      if (!sameFloat(dy, w, dx)) return fallback.conv2dBackpropInput(dy, w, dx, p);
      addon.conv2dBackpropInput(dy, w, dx, checkConv('conv2dBackpropInput', dx, w, dy, p));
    },

    conv2dBackpropFilter(x, dy, dw, p): void {
      if (!sameFloat(x, dy, dw)) return fallback.conv2dBackpropFilter(x, dy, dw, p);
      addon.conv2dBackpropFilter(x, dy, dw, checkConv('conv2dBackpropFilter', x, dw, dy, p));
    },

    maxPool2d(x, out, p): void {
      if (!sameFloat(x, out)) return fallback.maxPool2d(x, out, p);
      addon.maxPool2d(x, out, checkPool('maxPool2d', x, out, p));
    },

    maxPool2dGrad(x, dy, dx, p): void {
      if (!sameFloat(x, dy, dx)) return fallback.maxPool2dGrad(x, dy, dx, p);
      const args = checkPool('maxPool2dGrad', x, dy, p);
      checkLength('maxPool2dGrad', 'dx', dx, x.length);
      addon.maxPool2dGrad(x, dy, dx, args);
    },

    avgPool2d(x, out, p): void {
      if (!sameFloat(x, out)) return fallback.avgPool2d(x, out, p);
      addon.avgPool2d(x, out, checkPool('avgPool2d', x, out, p));
    },

    avgPool2dGrad(dy, dx, p): void {
      if (!sameFloat(dy, dx)) return fallback.avgPool2dGrad(dy, dx, p);
      addon.avgPool2dGrad(dy, dx, checkPool('avgPool2dGrad', dx, dy, p));
    },

    resizeBilinear(x, out, p): void {
      if (!sameFloat(x, out)) return fallback.resizeBilinear(x, out, p);
      const args = checkResize('resizeBilinear', x, out, p);
      if ((p.outH > 0 && p.inH === 0) || (p.outW > 0 && p.inW === 0)) {
        fail('resizeBilinear', `cannot resize an empty image. Received: [${args.join(',')}]`);
      }
      addon.resizeBilinear(x, out, args);
    },

    resizeBilinearGrad(dy, dx, p): void {
      if (!sameFloat(dy, dx)) return fallback.resizeBilinearGrad(dy, dx, p);
      const args = checkResize('resizeBilinearGrad', dx, dy, p);
      if ((p.outH > 0 && p.inH === 0) || (p.outW > 0 && p.inW === 0)) {
        fail('resizeBilinearGrad', `cannot resize an empty image. Received: [${args.join(',')}]`);
      }
      addon.resizeBilinearGrad(dy, dx, args);
    },

    adamUpdate(p, g, m, v, vMax, h: AdamParams): void {
      const arrays = vMax === null ? [p, g, m, v] : [p, g, m, v, vMax];
      if (!sameFloat(...arrays)) return fallback.adamUpdate(p, g, m, v, vMax, h);
      for (const a of arrays) checkLength('adamUpdate', 'g, m, v and vMax', a, p.length);
      addon.adamUpdate(p, g, m, v, vMax, h.lr, h.beta1, h.beta2, h.epsilon, h.step, h.weightDecay);
    },

    sgdUpdate(p, g, velocity, h: SgdParams): void {
      const arrays = velocity === null ? [p, g] : [p, g, velocity];
      if (!sameFloat(...arrays)) return fallback.sgdUpdate(p, g, velocity, h);
      for (const a of arrays) checkLength('sgdUpdate', 'g and velocity', a, p.length);
      addon.sgdUpdate(p, g, velocity, h.lr, h.momentum, h.nesterov);
    },
  };
}
