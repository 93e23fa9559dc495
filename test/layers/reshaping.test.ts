import { beforeEach, describe, expect, it } from 'vitest';
import {
  Cropping2D,
  Input,
  TensileError,
  UpSampling2D,
  ZeroPadding2D,
  clearSession,
  tensor,
} from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('spatial reshaping layers', () => {
  it('UpSampling2D repeats rows and columns', () => {
    checkLayer({
      make: (dtype) => new UpSampling2D({ size: [2, 3], dtype }),
      inputShape: [1, 2, 2, 1],
      expectedOutputShape: [1, 4, 6, 1],
    });
    const x = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    expect(new UpSampling2D().apply(x).toArray()).toEqual([
      [
        [[1], [1], [2], [2]],
        [[1], [1], [2], [2]],
        [[3], [3], [4], [4]],
        [[3], [3], [4], [4]],
      ],
    ]);
  });

  it('UpSampling2D bilinear keeps the shape rule', () => {
    checkLayer({
      make: (dtype) => new UpSampling2D({ interpolation: 'bilinear', dtype }),
      inputShape: [1, 2, 3, 2],
      expectedOutputShape: [1, 4, 6, 2],
    });
  });

  it('ZeroPadding2D pads each side as given', () => {
    checkLayer({
      make: (dtype) =>
        new ZeroPadding2D({
          padding: [
            [1, 0],
            [2, 1],
          ],
          dtype,
        }),
      inputShape: [1, 2, 2, 1],
      expectedOutputShape: [1, 3, 5, 1],
    });
    const y = new ZeroPadding2D().apply(tensor([5], { shape: [1, 1, 1, 1] }));
    expect(y.toArray()).toEqual([
      [
        [[0], [0], [0]],
        [[0], [5], [0]],
        [[0], [0], [0]],
      ],
    ]);
  });

  it('Cropping2D removes borders and refuses to remove everything', () => {
    checkLayer({
      make: (dtype) => new Cropping2D({ cropping: [1, 2], dtype }),
      inputShape: [1, 4, 6, 1],
      expectedOutputShape: [1, 2, 2, 1],
    });
    expect(() => new Cropping2D({ cropping: 2 }).apply(Input({ shape: [4, 4, 1] }))).toThrow(
      TensileError,
    );
  });
});
