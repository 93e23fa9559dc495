import type { Tensor } from './tensor.js';

/** Elements shown at each end of an axis when a large tensor is summarized. */
const EDGE = 3;
/** Tensors with more elements than this are summarized, as NumPy's default threshold. */
const MAX_FULL = 1000;

/**
 * Renders a tensor the way NumPy prints arrays: nested brackets, one row per line, elements
 * right-aligned to a common width, a blank line between blocks of rank 3 and more, and the
 * middle of long axes replaced by `...` once the tensor has more than 1000 elements.
 *
 * @example
 * formatTensor(tensor([[1, 2], [3, 40]]));
 * // tensor([[ 1.,  2.],
 * //         [ 3., 40.]], shape=[2,2], dtype=float32)
 */
export function formatTensor(t: Tensor): string {
  const summarize = t.size > MAX_FULL;
  const rank = t.shape.length;
  const strides: number[] = [];
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i]!;
  }
  const fmt = elementFormatter(t);

  // Visits the indices along an axis that are shown, with null where the ellipsis goes.
  const shown = (n: number): (number | null)[] => {
    if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
    const head = Array.from({ length: EDGE }, (_, i) => i);
    const tail = Array.from({ length: EDGE }, (_, i) => n - EDGE + i);
    return [...head, null, ...tail];
  };

  // First pass: the width of the widest shown element.
  let width = 0;
  const measure = (dim: number, offset: number): void => {
    if (dim === rank) {
      width = Math.max(width, fmt(t.values[offset]!).length);
      return;
    }
    for (const i of shown(t.shape[dim]!))
      if (i !== null) measure(dim + 1, offset + i * strides[dim]!);
  };
  measure(0, 0);

  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === rank) return fmt(t.values[offset]!).padStart(width);
    const parts = shown(t.shape[dim]!).map((i) =>
      i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + ' '),
    );
    const gap = '\n'.repeat(Math.max(rank - dim - 1, 1));
    const sep = dim === rank - 1 ? ', ' : ',' + gap + indent + ' ';
    return '[' + parts.join(sep) + ']';
  };

  const name = t.name === undefined ? '' : `, name=${t.name}`;
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  const body = render(0, 0, ' '.repeat('tensor('.length));
  return `tensor(${body}, shape=[${t.shape.join(',')}], dtype=${t.dtype}${grad}${name})`;
}

/**
 * Booleans as true/false, integers as they are; floats with a trailing dot when integral (as
 * NumPy does), six significant digits otherwise, and exponent notation when very small or large.
 */
function elementFormatter(t: Tensor): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (t.dtype === 'int32') return (v) => String(v);
  return (v) => {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
    const abs = Math.abs(v);
    return abs !== 0 && (abs < 1e-4 || abs >= 1e8) ? v.toExponential(4) : String(+v.toPrecision(6));
  };
}
