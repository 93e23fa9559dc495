import { TensileError, fmtShape, shapeMismatch } from '../../errors.js';
import { add, cast, mul, sub } from '../../ops/elementwise.js';
import { broadcastTo, reshape } from '../../ops/shape.js';
import { allocate, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { type AxesPlan, isPlain, requireOneAxis, scoresShape } from './axes.js';

/**
 * The masks of attention, as 0/1 tensors of the scores' dtype: 1 where a query may attend to a
 * key. They combine by multiplication (logical and) and broadcast to (batch, T, S).
 */

/** Lower-triangular (1, T, S): query i sees keys j ≤ i, as Keras' causal mask. */
export function causalMask(t: number, s: number, dtype: DType): Tensor {
  const data = allocate(dtype, t * s);
  for (let i = 0; i < t; i++) for (let j = 0; j <= Math.min(i, s - 1); j++) data[i * s + j] = 1;
  return new Tensor(data, [1, t, s]);
}

/**
 * An attention mask given by the caller, as 0/1 of `dtype` folded to (batch', T, S). It must
 * broadcast to `target`, the scores' shape without heads: (batch, T, S) for sequences, (batch,
 * N…, T…, S…) for inputs of higher rank (see axes.ts); a lower rank gains leading 1s.
 */
export function attentionMaskOf(
  mask: Tensor,
  target: readonly number[],
  folded: readonly [number, number, number],
  dtype: DType,
  where: string,
): Tensor {
  const shape = mask.shape;
  const lead = target.length - shape.length;
  const fits = lead >= 0 && shape.every((d, i) => d === target[lead + i] || d === 1);
  if (!fits) {
    const axes = target.length === 3 ? '(batch, T, S)' : '(batch, …, T…, S…)';
    throw shapeMismatch(
      `${where}: attentionMask must broadcast to ${axes} = ${fmtShape(target)}. ` +
        `Received: attentionMask.shape=${fmtShape(shape)}. Pass a mask with 1 (or true) where ` +
        `a query position may attend to a key position.`,
    );
  }
  const values = cast(cast(mask, 'bool'), dtype);
  const full = [...new Array<number>(lead).fill(1), ...shape];
  // Sequences keep their broadcast axes; higher ranks expand first, then fold like the scores.
  if (target.length === 3) return reshape(values, full);
  return reshape(broadcastTo(reshape(values, full), target), [...folded]);
}

/** The Keras mask of a sequence (batch, L) as 0/1 reshaped for one side of (batch, T, S). */
export function sequenceMask(
  mask: Tensor,
  side: 'query' | 'key',
  expected: readonly [number, number],
  dtype: DType,
  where: string,
): Tensor {
  const [b, l] = expected;
  if (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== l) {
    const name = side === 'query' ? 'queryMask' : 'valueMask/keyMask';
    throw shapeMismatch(
      `${where}: a ${side} mask must have shape (batch, ${side === 'query' ? 'T' : 'S'}) = ` +
        `${fmtShape(expected)}. Received: ${name}.shape=${fmtShape(mask.shape)}`,
    );
  }
  return reshape(cast(cast(mask, 'bool'), dtype), side === 'query' ? [b, l, 1] : [b, 1, l]);
}

/** The logical and of the defined masks, or null when there are none. */
export function combineMasks(masks: readonly (Tensor | null)[]): Tensor | null {
  let out: Tensor | null = null;
  for (const m of masks) if (m !== null) out = out === null ? m : mul(out, m);
  return out;
}

/**
 * Softmax input with masked scores pushed to a large negative number, so they get ~0 weight:
 * scores + (1 − mask)·(−1e9), Keras' choice (−3e4 in float16, which Tensile does not have).
 */
export function maskScores(scores: Tensor, mask: Tensor): Tensor {
  return add(scores, mul(sub(1, mask), -1e9));
}

/** What decides which keys each query sees. */
export interface MaskRequest {
  /** [query, value, key?] as the layer received them (before folding). */
  inputs: readonly Tensor[];
  /** Keras masks of query, value and key: (batch, T) and (batch, S). */
  masks: readonly (Tensor | null)[];
  attentionMask: Tensor | null;
  causal: boolean;
  plan: AxesPlan;
  /** (batch', T, S) of the folded scores. */
  folded: readonly [number, number, number];
  where: string;
}

/** The and of every mask that applies, as 0/1 (batch' or 1, T, S); null when none does. */
export function combinedMask(request: MaskRequest): Tensor | null {
  const { inputs, plan, folded, where } = request;
  const [b, t, s] = folded;
  const dtype = inputs[0]!.dtype;
  const qm = request.masks[0] ?? null;
  const vm = request.masks[1] ?? null;
  const km = request.masks[2] ?? null;
  // A key that is the value tensor itself adds nothing to the value's mask.
  const keyMask = inputs[2] !== undefined && inputs[2] !== inputs[1] ? km : null;
  if (!isPlain(plan) && (qm !== null || vm !== null || keyMask !== null)) {
    throw new TensileError(
      'not_supported',
      `${where}: query, value and key masks apply to (batch, sequence) inputs; for inputs ` +
        `of rank ${plan.rank} pass an attentionMask of shape (batch, …, T…, S…) instead.`,
    );
  }
  if (request.causal) requireOneAxis(plan, 'useCausalMask', where);
  const target = scoresShape(inputs[0]!.shape, inputs[1]!.shape, plan, 1) as number[];
  target.splice(1 + plan.batchAxes.length, 1); // the mask has no heads axis
  const given = request.attentionMask;
  return combineMasks([
    qm === null ? null : sequenceMask(qm, 'query', [b, t], dtype, where),
    vm === null ? null : sequenceMask(vm, 'key', [b, s], dtype, where),
    keyMask === null ? null : sequenceMask(keyMask, 'key', [b, s], dtype, where),
    request.causal ? causalMask(t, s, dtype) : null,
    given === null ? null : attentionMaskOf(given, target, folded, dtype, where),
  ]);
}
