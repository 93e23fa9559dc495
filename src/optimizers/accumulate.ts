import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';

/**
 * Keras' gradient accumulation for one call of applyGradients. Between updates each gradient
 * is added to its accumulator and null is returned (no update this step); on every `steps`-th
 * call the gradients become (g + accumulated) / steps, the accumulators are zeroed, and the
 * averaged pairs are returned for the usual clip, decay and update.
 */
export function accumulateGradients(
  pairs: ReadonlyArray<readonly [Tensor, Variable]>,
  accumulatorOf: (variable: Variable) => FloatArray,
  steps: number,
  isUpdateStep: boolean,
): [Tensor, Variable][] | null {
  if (!isUpdateStep) {
    for (const [g, v] of pairs) {
      const acc = accumulatorOf(v);
      const gv = g.values;
      for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + gv[i]!;
    }
    return null;
  }
  return pairs.map(([g, v]) => {
    const acc = accumulatorOf(v);
    const out = acc.slice();
    const gv = g.values;
    for (let i = 0; i < out.length; i++) out[i] = (gv[i]! + out[i]!) / steps;
    acc.fill(0);
    return [new Tensor(out, v.shape), v];
  });
}
