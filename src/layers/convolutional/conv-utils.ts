import { invalidArgument, shapeMismatch } from '../../errors.js';
import { type Padding, deconvLength, planAxis } from '../../ops/conv.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/** A size option of a rank-`rank` layer: one number for every axis, or one per axis. */
export function tupleOf(
  layer: string,
  name: string,
  value: number | readonly number[] | undefined,
  rank: number,
  fallback: number,
): number[] {
  const v = value ?? fallback;
  const list = typeof v === 'number' ? new Array<number>(rank).fill(v) : v.slice();
  if (list.length !== rank || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw invalidArgument(
      `${layer}: ${name} must be a positive integer or a list of ${rank} of them. ` +
        `Received: ${name}=${JSON.stringify(value)}`,
    );
  }
  return list;
}

/**
 * Spatial output sizes of a convolution or pooling window over `spatial` (null stays null).
 * Throws when a window does not fit under 'valid' padding, naming the layer and shapes.
 */
export function convOutputSizes(
  layer: string,
  inputShape: SymbolicShape,
  spatial: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  padding: Padding | 'causal',
): (number | null)[] {
  return spatial.map((size, i) => {
    if (size === null) return null;
    const plan = planAxis(size, kernel[i]!, strides[i]!, dilation[i]!, padding);
    if (plan === null || plan.out <= 0) {
      throw shapeMismatch(
        `${layer}: the window (kernel ${formatShape(kernel)}, dilation ${formatShape(dilation)}) ` +
          `is larger than the input ${formatShape(inputShape)} under padding='${padding}'. ` +
          `Use padding 'same' or a smaller kernel.`,
      );
    }
    return plan.out;
  });
}

/** deconvLength of src/ops/conv.ts for a size that may be unknown (null). */
export function deconvOutputSize(
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
  outputPadding: number | null,
): number | null {
  return size === null
    ? null
    : deconvLength(size, kernel, stride, dilation, padding, outputPadding);
}

/** The channel count of a channels-last input, which must be known to build. */
export function channelsOf(layer: string, inputShape: SymbolicShape, rank: number): number {
  const c = inputShape[inputShape.length - 1];
  if (inputShape.length !== rank + 2 || c === null || c === undefined) {
    throw shapeMismatch(
      `${layer}: expected an input of rank ${rank + 2} ` +
        `(batch, ${rank === 1 ? 'steps' : 'height, width'}, ` +
        `channels) with known channels. Received: inputShape=${formatShape(inputShape)}. ` +
        'Single-channel data needs its channels axis, e.g. Input({shape: [28, 28, 1]}) or a ' +
        'Reshape layer before this one.',
    );
  }
  return c;
}
