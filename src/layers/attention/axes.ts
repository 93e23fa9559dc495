import { TensileError, shapeMismatch } from '../../errors.js';
import { reshape, transpose } from '../../ops/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/**
 * Attention over several axes (Keras' `attention_axes`). An input (batch, d₁, …, d_k, features)
 * attends over the axes A ⊆ {1…k}; the other inner axes N act as extra batch axes. Attention
 * over A jointly is attention over their flattened product, so each input folds to
 * (batch·∏N, ∏A, features), the rank-3 computation runs unchanged, and the results unfold:
 * the output to the query's layout, the scores to Keras' (batch, N…, heads, A_query…, A_key…).
 */
export interface AxesPlan {
  /** The inputs' rank. */
  rank: number;
  /** Inner axes that behave as batch axes, ascending. */
  batchAxes: number[];
  /** Inner axes attended over, ascending. */
  attentionAxes: number[];
}

/**
 * The plan for inputs of `rank` given Keras' `attention_axes` (null: every inner axis).
 * Negative axes count from the end of the input, so −2 is the last inner axis.
 */
export function planAxes(axes: readonly number[] | null, rank: number, where: string): AxesPlan {
  const inner = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  if (axes === null) return { rank, batchAxes: [], attentionAxes: inner };
  const attention = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (attention.length === 0 || attention.some((a) => !inner.includes(a))) {
    throw shapeMismatch(
      `${where}: attentionAxes must name axes between 1 and ${rank - 2} (the axes between ` +
        `batch and features) for inputs of rank ${rank}. Received: ` +
        `attentionAxes=${JSON.stringify(axes)}`,
    );
  }
  return { rank, batchAxes: inner.filter((a) => !attention.includes(a)), attentionAxes: attention };
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** True when nothing needs folding: rank 3 with attention over axis 1. */
export function isPlain(plan: AxesPlan): boolean {
  return plan.rank === 3 && plan.batchAxes.length === 0;
}

/** (batch, …, features) → (batch·∏N, ∏A, features). */
export function fold(x: Tensor, plan: AxesPlan): Tensor {
  if (isPlain(plan)) return x;
  const perm = [0, ...plan.batchAxes, ...plan.attentionAxes, plan.rank - 1];
  const moved = plan.batchAxes.length === 0 ? x : transpose(x, perm);
  const s = x.shape;
  return reshape(moved, [
    s[0]! * product(plan.batchAxes.map((a) => s[a]!)),
    product(plan.attentionAxes.map((a) => s[a]!)),
    s[plan.rank - 1]!,
  ]);
}

/** The output (batch·∏N, ∏A_query, …out) back to the query's layout (batch, d₁…d_k, …out). */
export function unfoldOutput(y: Tensor, queryShape: readonly number[], plan: AxesPlan): Tensor {
  if (isPlain(plan)) return y;
  const out = y.shape.slice(2);
  const order = [0, ...plan.batchAxes, ...plan.attentionAxes];
  const grouped = reshape(y, [...order.map((a) => queryShape[a]!), ...out]);
  if (plan.batchAxes.length === 0) return grouped;
  const back = order.map((_, i) => order.indexOf(i));
  return transpose(grouped, [...back, ...out.map((_, i) => order.length + i)]);
}

/** The scores (batch·∏N, heads, ∏A_query, ∏A_key) → (batch, N…, heads, A_query…, A_key…). */
export function unfoldScores(
  scores: Tensor,
  queryShape: readonly (number | null)[],
  valueShape: readonly (number | null)[],
  plan: AxesPlan,
): Tensor {
  if (isPlain(plan)) return scores;
  return reshape(scores, scoresShape(queryShape, valueShape, plan, scores.shape[1]!) as number[]);
}

/** Keras' scores shape: (batch, N…, heads, A_query…, A_key…). */
export function scoresShape(
  queryShape: readonly (number | null)[],
  valueShape: readonly (number | null)[],
  plan: AxesPlan,
  heads: number,
): SymbolicShape {
  return [
    queryShape[0] ?? null,
    ...plan.batchAxes.map((a) => queryShape[a] ?? null),
    heads,
    ...plan.attentionAxes.map((a) => queryShape[a] ?? null),
    ...plan.attentionAxes.map((a) => valueShape[a] ?? null),
  ];
}

/** The batch-like axes of query and value must agree (they pair up, they are not attended). */
export function checkBatchAxes(
  query: SymbolicShape,
  value: SymbolicShape,
  plan: AxesPlan,
  where: string,
): void {
  for (const a of plan.batchAxes) {
    const [q, v] = [query[a] ?? null, value[a] ?? null];
    if (q !== null && v !== null && q !== v) {
      throw shapeMismatch(
        `${where}: query and value must agree on axis ${a}, which is not an attention axis. ` +
          `Received: query.shape=${formatShape(query)} and value.shape=${formatShape(value)}`,
      );
    }
  }
}

/** Masks that only make sense for one attention axis. */
export function requireOneAxis(plan: AxesPlan, what: string, where: string): void {
  if (plan.attentionAxes.length !== 1) {
    throw new TensileError(
      'not_supported',
      `${where}: ${what} needs a single attention axis; this layer attends over axes ` +
        `${JSON.stringify(plan.attentionAxes)}. Pass an attentionMask of shape (batch, …, T…, ` +
        `S…) instead.`,
    );
  }
}
