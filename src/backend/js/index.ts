import { TensileError } from '../../errors.js';
import type { Backend } from '../backend.js';
import { registerBackend } from '../registry.js';
import { binary, cast, where } from './binary.js';
import { copyStrided, gather, gatherGrad } from './copy.js';
import { matmul } from './matmul.js';
import { adamUpdate, sgdUpdate } from './optim.js';
import { argReduce, reduce, softmax, softmaxGrad } from './reduce.js';
import { unary, unaryGrad } from './unary.js';

function notYet(kernel: string): () => never {
  return () => {
    throw new TensileError('not_supported', `kernel ${kernel} is not implemented yet`);
  };
}

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
  conv2d: notYet('conv2d'),
  conv2dBackpropInput: notYet('conv2dBackpropInput'),
  conv2dBackpropFilter: notYet('conv2dBackpropFilter'),
  maxPool2d: notYet('maxPool2d'),
  maxPool2dGrad: notYet('maxPool2dGrad'),
  avgPool2d: notYet('avgPool2d'),
  avgPool2dGrad: notYet('avgPool2dGrad'),
  resizeBilinear: notYet('resizeBilinear'),
  resizeBilinearGrad: notYet('resizeBilinearGrad'),
  adamUpdate,
  sgdUpdate,
};

registerBackend('ts', () => tsBackend);
