import { beforeEach, describe, expect, it } from 'vitest';
import {
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  MaxPooling1D,
  MaxPooling2D,
  clearSession,
  tensor,
} from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('pooling layers', () => {
  it('MaxPooling2D halves each side and has no parameters', () => {
    checkLayer({
      make: (dtype) => new MaxPooling2D({ dtype }),
      inputShape: [2, 4, 6, 3],
      expectedOutputShape: [2, 2, 3, 3],
      expectedParams: 0,
    });
  });

  it('AveragePooling2D with same padding rounds the size up', () => {
    checkLayer({
      make: (dtype) => new AveragePooling2D({ poolSize: 2, padding: 'same', dtype }),
      inputShape: [1, 5, 5, 2],
      expectedOutputShape: [1, 3, 3, 2],
    });
  });

  it('1-D pooling works over steps', () => {
    checkLayer({
      make: (dtype) => new MaxPooling1D({ poolSize: 3, strides: 1, dtype }),
      inputShape: [2, 5, 2],
      expectedOutputShape: [2, 3, 2],
    });
    checkLayer({
      make: (dtype) => new AveragePooling1D({ dtype }),
      inputShape: [2, 4, 2],
      expectedOutputShape: [2, 2, 2],
    });
  });

  it('global pooling leaves (batch, channels), or keeps the axes', () => {
    checkLayer({
      make: (dtype) => new GlobalMaxPooling2D({ dtype }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 4],
    });
    checkLayer({
      make: (dtype) => new GlobalAveragePooling2D({ dtype, keepDims: true }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 1, 1, 4],
    });
    checkLayer({
      make: (dtype) => new GlobalMaxPooling1D({ dtype }),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 3],
    });
    checkLayer({
      make: (dtype) => new GlobalAveragePooling1D({ dtype }),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 3],
    });
  });

  it('computes window maxima and means', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], {
      shape: [1, 4, 4, 1],
    });
    expect(new MaxPooling2D().apply(x).toArray()).toEqual([
      [
        [[6], [8]],
        [[14], [16]],
      ],
    ]);
    expect(new AveragePooling2D().apply(x).toArray()).toEqual([
      [
        [[3.5], [5.5]],
        [[11.5], [13.5]],
      ],
    ]);
    expect(new GlobalAveragePooling2D().apply(x).toArray()).toEqual([[8.5]]);
  });
});
