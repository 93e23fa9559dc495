import { beforeEach, describe, expect, it } from 'vitest';
import {
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  Input,
  SeparableConv2D,
  TensileError,
  clearSession,
  tensor,
} from '../../src/index.js';
import { checkLayer } from './harness.js';

beforeEach(() => clearSession());

describe('Conv2D', () => {
  it('passes the harness with valid padding', () => {
    // Params: 3·3·2·4 + 4 = 76.
    checkLayer({
      make: (dtype) => new Conv2D({ filters: 4, kernelSize: 3, dtype, activation: 'tanh' }),
      inputShape: [2, 5, 6, 2],
      expectedOutputShape: [2, 3, 4, 4],
      expectedParams: 76,
      expectedTrainableWeights: 2,
    });
  });

  it('passes the harness with same padding, stride 2, groups 2', () => {
    // 'same' with stride 2: ceil(5/2) = 3, ceil(6/2) = 3. Params: 3·3·(4/2)·2 + 2 = 38.
    checkLayer({
      make: (dtype) =>
        new Conv2D({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', groups: 2, dtype }),
      inputShape: [1, 5, 6, 4],
      expectedOutputShape: [1, 3, 3, 2],
      expectedParams: 38,
    });
  });

  it('computes a hand-worked convolution', () => {
    // A 2×2 kernel of ones over a 3×3 ramp sums each 2×2 window; bias 1 is added.
    const layer = new Conv2D({
      filters: 1,
      kernelSize: 2,
      kernelInitializer: 'ones',
      biasInitializer: 'ones',
    });
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
    expect(layer.apply(x).toArray()).toEqual([
      [
        [[13], [17]],
        [[25], [29]],
      ],
    ]);
  });

  it('names a kernel larger than its input at construction', () => {
    const x = Input({ shape: [2, 2, 1] });
    expect(() => new Conv2D({ filters: 1, kernelSize: 3 }).apply(x)).toThrow(TensileError);
    expect(() => new Conv2D({ filters: 1, kernelSize: 3, name: 'big' }).apply(x)).toThrow(
      /big.*larger than the input/,
    );
  });

  it('rejects filters not divisible by groups', () => {
    expect(() => new Conv2D({ filters: 3, kernelSize: 1, groups: 2 })).toThrow(
      /filters must be divisible by groups/,
    );
  });
});

describe('Conv1D', () => {
  it('passes the harness with causal padding and dilation', () => {
    checkLayer({
      make: (dtype) =>
        new Conv1D({ filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2, dtype }),
      inputShape: [2, 5, 2],
      expectedOutputShape: [2, 5, 3],
      expectedParams: 2 * 2 * 3 + 3,
    });
  });
});

describe('Conv2DTranspose', () => {
  it('doubles the size with stride 2 and same padding', () => {
    // Kernel (3, 3, filters=2, in=3): 54 + 2 = 56 params.
    checkLayer({
      make: (dtype) =>
        new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', dtype }),
      inputShape: [1, 3, 4, 3],
      expectedOutputShape: [1, 6, 8, 2],
      expectedParams: 56,
    });
  });

  it('follows deconv_output_length under valid padding', () => {
    // valid: in·stride + max(k − stride, 0) = 3·2 + 1 = 7.
    checkLayer({
      make: (dtype) => new Conv2DTranspose({ filters: 1, kernelSize: 3, strides: 2, dtype }),
      inputShape: [1, 3, 3, 1],
      expectedOutputShape: [1, 7, 7, 1],
      expectedParams: 10,
    });
  });
});

describe('DepthwiseConv2D and SeparableConv2D', () => {
  it('DepthwiseConv2D counts kh·kw·C·mult + C·mult parameters', () => {
    checkLayer({
      make: (dtype) => new DepthwiseConv2D({ kernelSize: 2, depthMultiplier: 2, dtype }),
      inputShape: [1, 4, 4, 3],
      expectedOutputShape: [1, 3, 3, 6],
      expectedParams: 2 * 2 * 3 * 2 + 6,
    });
  });

  it('SeparableConv2D has depthwise, pointwise and bias weights', () => {
    const layer = checkLayer({
      make: (dtype) => new SeparableConv2D({ filters: 4, kernelSize: 3, padding: 'same', dtype }),
      inputShape: [1, 4, 4, 2],
      expectedOutputShape: [1, 4, 4, 4],
      expectedParams: 3 * 3 * 2 + 2 * 4 + 4,
      expectedTrainableWeights: 3,
    });
    expect(layer.weights.map((w) => w.name)).toEqual([
      'separable_conv2d/depthwise_kernel',
      'separable_conv2d/pointwise_kernel',
      'separable_conv2d/bias',
    ]);
  });
});
