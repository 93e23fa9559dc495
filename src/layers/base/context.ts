import type { Tensor } from '../../tensor/tensor.js';

/**
 * State that travels with a forward pass rather than with a layer: the masks attached to
 * tensors (Keras' `_keras_mask`) and the losses that layers add while they run.
 */

const masks = new WeakMap<Tensor, Tensor>();

/** The mask a masking layer (Masking, Embedding with maskZero) attached to this tensor. */
export function getMask(x: Tensor): Tensor | null {
  return masks.get(x) ?? null;
}

/** Attaches a mask to a tensor, or removes it with null. */
export function setMask(x: Tensor, mask: Tensor | null): void {
  if (mask === null) masks.delete(x);
  else masks.set(x, mask);
}

const collectors: Tensor[][] = [];

/**
 * Runs `fn` and returns, with its result, every loss that layers added with `addLoss` while it
 * ran (activity regularization). Collectors nest: an inner one sees only its own losses.
 */
export function collectLosses<T>(fn: () => T): { value: T; losses: Tensor[] } {
  const losses: Tensor[] = [];
  collectors.push(losses);
  try {
    return { value: fn(), losses };
  } finally {
    collectors.pop();
  }
}

/**
 * @internal Layer.addLoss lands here; with no collector active the loss is only kept by the layer.
 */
export function reportLoss(loss: Tensor): void {
  collectors[collectors.length - 1]?.push(loss);
}
