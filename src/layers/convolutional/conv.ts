import { conv1d, conv2d } from '../../ops/conv.js';
import type { Tensor } from '../../tensor/tensor.js';
import { registerLayer } from '../base/register.js';
import { BaseConv, type ConvArgs } from './base-conv.js';

/**
 * 2-D convolution over (batch, height, width, channels). Kernel (kh, kw, in/groups, filters),
 * bias (filters); parameters kh·kw·(in/groups)·filters + filters, as Keras counts them.
 */
export class Conv2D extends BaseConv {
  static override readonly className = 'Conv2D';

  constructor(args: ConvArgs) {
    super(2, args, ['valid', 'same']);
  }

  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels / this.groups, this.filters];
  }

  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv2d(x, kernel, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding as 'valid' | 'same',
      dilationRate: [this.dilationRate[0]!, this.dilationRate[1]!],
      groups: this.groups,
    });
  }
}

/**
 * 1-D convolution over (batch, steps, channels); padding may also be 'causal' (output step t
 * sees input steps up to t). Kernel (k, in/groups, filters).
 */
export class Conv1D extends BaseConv {
  static override readonly className = 'Conv1D';

  constructor(args: ConvArgs) {
    super(1, args, ['valid', 'same', 'causal']);
  }

  protected kernelShape(channels: number): number[] {
    return [this.kernelSize[0]!, channels / this.groups, this.filters];
  }

  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv1d(x, kernel, {
      strides: this.strides[0]!,
      padding: this.padding,
      dilationRate: this.dilationRate[0]!,
      groups: this.groups,
    });
  }
}

registerLayer(Conv2D);
registerLayer(Conv1D);
