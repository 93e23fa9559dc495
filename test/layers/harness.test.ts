import { describe, expect, it } from 'vitest';
import { Layer, type SymbolicShape, type Tensor, mul, registerLayer } from '../../src/index.js';
import { record } from '../../src/autograd/engine.js';
import { checkLayer } from './harness.js';

/** x² computed right but differentiated as 3x instead of 2x: the harness must catch it. */
class WrongGradient extends Layer {
  static override readonly className = 'WrongGradient';

  override call(x: Tensor): Tensor {
    const out = mul(x, x).detach();
    return record(out, 'wrongSquare', [x], (dy) => [mul(dy, mul(x, 3))]);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return s;
  }
}
registerLayer(WrongGradient);

describe('the layer harness', () => {
  it('fails a layer whose backward pass is wrong', () => {
    expect(() =>
      checkLayer({
        make: (dtype) => new WrongGradient({ dtype }),
        inputShape: [2, 3],
        expectedOutputShape: [2, 3],
      }),
    ).toThrow(/gradient mismatch for tensor 0 at flat index 0/);
  });

  it('fails a wrong output shape and a wrong parameter count', () => {
    const make = (dtype: 'float32' | 'float64'): Layer => new WrongGradient({ dtype });
    expect(() =>
      checkLayer({ make, inputShape: [2, 3], expectedOutputShape: [2, 4], gradcheck: false }),
    ).toThrow(/expected/);
    expect(() =>
      checkLayer({
        make,
        inputShape: [2, 3],
        expectedOutputShape: [2, 3],
        expectedParams: 1,
        gradcheck: false,
      }),
    ).toThrow(/expected \+0 to be 1/);
  });
});
