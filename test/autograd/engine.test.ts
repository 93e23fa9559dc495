import { describe, expect, it } from 'vitest';
import {
  TensileError,
  add,
  div,
  exp,
  grad,
  matmul,
  mul,
  neg,
  noGrad,
  sum,
  tensor,
  valueAndGrad,
} from '../../src/index.js';
import { expectClose } from '../helpers/gradcheck.js';

describe('autograd engine', () => {
  it('computes the sigmoid neuron gradient worked by hand', () => {
    // f = 1/(1+e^-(w0·x0 + w1·x1 + w2)) at w = (2,-3,-3), x = (-1,-2): z = 1, f = σ(1) = 0.7311;
    // df/dz = f(1-f) = 0.19661; df/dw = (x0, x1, 1)·0.19661; df/dx = (w0, w1)·0.19661.
    const w = tensor([2, -3, -3], { dtype: 'float64', requiresGrad: true });
    const x = tensor([-1, -2], { dtype: 'float64', requiresGrad: true });
    const z = add(
      matmul(
        tensor(
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
          { dtype: 'float64' },
        ),
        w,
      ),
      0,
    );
    const wx = sum(mul(z, x));
    const w2 = sum(mul(w, tensor([0, 0, 1], { dtype: 'float64' })));
    const f = div(1, add(1, exp(neg(add(wx, w2)))));
    f.backward();
    const s = 1 / (1 + Math.exp(-1));
    expect(f.item()).toBeCloseTo(s, 12);
    const d = s * (1 - s);
    expectClose(w.grad!, [-1 * d, -2 * d, d], 1e-12);
    expectClose(x.grad!, [2 * d, -3 * d], 1e-12);
  });

  it('sums gradients where a value fans out', () => {
    const a = tensor([3], { dtype: 'float64', requiresGrad: true });
    const b = mul(a, a); // a used twice: d(a²)/da = 2a
    const c = add(b, a); // and again: + 1
    sum(c).backward();
    expectClose(a.grad!, [7]);
  });

  it('handles shared subexpressions once per use', () => {
    const x = tensor([2], { dtype: 'float64', requiresGrad: true });
    const e = exp(x);
    const y = mul(e, e); // e^(2x), dy/dx = 2e^(2x)
    sum(y).backward();
    expectClose(x.grad!, [2 * Math.exp(4)], 1e-12);
  });

  it('walks a chain of 100,000 ops without recursion', () => {
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = add(y, 1e-6);
    sum(mul(y, 2)).backward();
    expectClose(x.grad!, [2]);
  });

  it('accumulates .grad across backward calls until zeroGrad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expectClose(x.grad!, [6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  });

  it('takes an explicit upstream gradient for a non-scalar', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    mul(x, x).backward(tensor([1, 0, 2]));
    expectClose(x.grad!, [2, 0, 12]);
  });

  it('refuses backward on a non-scalar without a gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, 2).backward()).toThrow(/needs a scalar; this tensor has shape \[2\]/);
  });

  it('refuses gradients for int32 tensors', () => {
    const x = tensor([1, 2], { dtype: 'int32' });
    expect(() => (x.requiresGrad = true)).toThrow(TensileError);
    expect(() => grad((t) => sum(t))(x)).toThrow(/Only float32 and float64 tensors/);
  });

  it('records nothing inside noGrad and cuts the graph at detach', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(noGrad(() => mul(x, 2)).requiresGrad).toBe(false);
    expect(mul(x.detach(), 2).requiresGrad).toBe(false);
  });

  it('refuses a second backward through a released graph', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = sum(mul(x, x));
    y.backward();
    expect(() => y.backward()).toThrow(/retainGraph/);
  });

  it('gives functional gradients and values', () => {
    const f = (a: ReturnType<typeof tensor>, b: ReturnType<typeof tensor>) => sum(mul(a, b));
    const a = tensor([1, 2], { dtype: 'float64' });
    const b = tensor([3, 4], { dtype: 'float64' });
    const [ga, gb] = grad(f)(a, b);
    expectClose(ga!, [3, 4]);
    expectClose(gb!, [1, 2]);
    const { value } = valueAndGrad(f)(a, b);
    expect(value.item()).toBe(11);
    expect(a.grad).toBeNull();
  });
});

describe('released graphs', () => {
  it('refuses to drop a gradient through a tensor of a released graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = exp(x);
    sum(y).backward();
    expect(() => sum(mul(y, 2)).backward()).toThrow(/earlier backward\(\) released/);
  });

  it('lets the graph be reused with retainGraph', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = exp(x);
    sum(y).backward(undefined, { retainGraph: true });
    x.zeroGrad();
    sum(mul(y, 2)).backward();
    expectClose(x.grad!, [2 * Math.exp(1), 2 * Math.exp(2)], 1e-12);
  });
});
