import type { Tensor } from './tensor.js';

const EDGE = 3;
const MAX_FULL = 1000;

/** Renders a tensor as `tensor([[1, 2], [3, 4]], dtype=float32)`, eliding the middle of large ones. */
export function formatTensor(t: Tensor): string {
  const summarize = t.size > MAX_FULL;
  const float = t.dtype === 'float32' || t.dtype === 'float64';
  const fmt = (v: number): string => {
    if (t.dtype === 'bool') return v ? 'true' : 'false';
    if (!float || !Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
    const abs = Math.abs(v);
    return abs !== 0 && (abs < 1e-4 || abs >= 1e8) ? v.toExponential(4) : String(+v.toPrecision(6));
  };
  const strides: number[] = [];
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i]!;
  }
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === t.shape.length) return fmt(t.values[offset]!);
    const n = t.shape[dim]!;
    const parts: string[] = [];
    const push = (i: number): void => {
      parts.push(render(dim + 1, offset + i * strides[dim]!, indent + ' '));
    };
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) push(i);
      parts.push('...');
      for (let i = n - EDGE; i < n; i++) push(i);
    } else {
      for (let i = 0; i < n; i++) push(i);
    }
    const sep = dim === t.shape.length - 1 ? ', ' : ',\n' + indent + ' ';
    return '[' + parts.join(sep) + ']';
  };
  const name = t.name === undefined ? '' : `, name=${t.name}`;
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  return `tensor(${render(0, 0, '       ')}, shape=[${t.shape.join(',')}], dtype=${t.dtype}${grad}${name})`;
}
