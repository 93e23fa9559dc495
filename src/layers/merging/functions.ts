import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../base/layer.js';
import type { SymbolicTensor } from '../base/symbolic.js';
import { Concatenate, type ConcatenateArgs, Dot, type DotArgs } from './concatenate.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge.js';

/**
 * Keras' function forms of the merge layers: `add([a, b])` makes an Add layer and calls it.
 * They take symbolic tensors (functional API) or tensors (eager).
 */
interface MergeFn<A> {
  (inputs: readonly SymbolicTensor[], args?: A): SymbolicTensor;
  (inputs: readonly Tensor[], args?: A): Tensor;
}

function mergeFn<A extends LayerArgs>(
  make: (args: A) => { apply(x: never): unknown },
  defaults: A,
): MergeFn<A> {
  return ((inputs: readonly (SymbolicTensor | Tensor)[], args?: A) =>
    make({ ...defaults, ...(args ?? {}) } as A).apply(inputs as never)) as MergeFn<A>;
}

export const add = mergeFn<LayerArgs>((a) => new Add(a), {});
export const subtract = mergeFn<LayerArgs>((a) => new Subtract(a), {});
export const multiply = mergeFn<LayerArgs>((a) => new Multiply(a), {});
export const average = mergeFn<LayerArgs>((a) => new Average(a), {});
export const maximum = mergeFn<LayerArgs>((a) => new Maximum(a), {});
export const minimum = mergeFn<LayerArgs>((a) => new Minimum(a), {});
export const concatenate = mergeFn<ConcatenateArgs>((a) => new Concatenate(a), {});
export const dot = mergeFn<DotArgs>((a) => new Dot(a), { axes: -1 });
