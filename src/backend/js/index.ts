import type { Backend } from '../backend.js';
import { registerBackend } from '../registry.js';
import { binary, cast, where } from './binary.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { copyStrided, gather, gatherGrad } from './copy.js';
import { matmul } from './matmul.js';
import { adamUpdate, sgdUpdate } from './optim.js';
import { avgPool2d, avgPool2dGrad, maxPool2d, maxPool2dGrad } from './pool.js';
import { argReduce, reduce, softmax, softmaxGrad } from './reduce.js';
import { resizeBilinear, resizeBilinearGrad } from './resize.js';
import { unary, unaryGrad } from './unary.js';

/** The pure-TypeScript backend: runs everywhere, the browser included. */
export const tsBackend: Backend = {
  name: 'ts',
  unary,
  unaryGrad,
  binary,
  where,
  cast,
  copyStrided,
  reduce,
  argReduce,
  softmax,
  softmaxGrad,
  matmul,
  gather,
  gatherGrad,
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  maxPool2d,
  maxPool2dGrad,
  avgPool2d,
  avgPool2dGrad,
  resizeBilinear,
  resizeBilinearGrad,
  adamUpdate,
  sgdUpdate,
};

registerBackend('ts', () => tsBackend);
