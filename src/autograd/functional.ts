import { TensileError, invalidArgument } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

function prepare(args: readonly Tensor[], what: string): Tensor[] {
  return args.map((a, i) => {
    if (!(a instanceof Tensor)) {
      throw invalidArgument(`${what}: argument ${i} must be a Tensor. Received: ${String(a)}`);
    }
    const leaf = a.detach();
    leaf.requiresGrad = true; // throws a clear error for int32 and bool arguments
    return leaf;
  });
}

function run(
  f: (...args: Tensor[]) => Tensor,
  args: readonly Tensor[],
  what: string,
): { value: Tensor; grads: Tensor[] } {
  const leaves = prepare(args, what);
  const value = f(...leaves);
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw invalidArgument(
      `${what}: the function must return a scalar Tensor. Received: ${
        value instanceof Tensor ? `shape [${value.shape.join(',')}]` : String(value)
      }`,
    );
  }
  if (value.requiresGrad) value.backward();
  const grads = leaves.map(
    (leaf) => leaf.grad ?? new Tensor(allocate(leaf.dtype, leaf.size), leaf.shape),
  );
  return { value: value.detach(), grads };
}

/**
 * Returns a function that computes the gradients of scalar-valued `f` with respect to each of
 * its tensor arguments (zeros for an argument f does not use).
 */
export function grad(f: (...args: Tensor[]) => Tensor): (...args: Tensor[]) => Tensor[] {
  if (typeof f !== 'function')
    throw new TensileError('invalid_argument', 'grad(f): f must be a function');
  return (...args) => run(f, args, 'grad').grads;
}

/** Like grad, but also returns f's value: `{value, grads}`. */
export function valueAndGrad(
  f: (...args: Tensor[]) => Tensor,
): (...args: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  if (typeof f !== 'function') {
    throw new TensileError('invalid_argument', 'valueAndGrad(f): f must be a function');
  }
  return (...args) => run(f, args, 'valueAndGrad');
}
