import { invalidArgument } from '../../errors.js';
import { conv2dTranspose } from '../../ops/conv.js';
import type { Tensor } from '../../tensor/tensor.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import type { SymbolicShape } from '../base/symbolic.js';
import { BaseConv, type ConvArgs } from './base-conv.js';
import { channelsOf, deconvOutputSize } from './conv-utils.js';

export interface Conv2DTransposeArgs extends ConvArgs {
  /** Extra rows/columns at the bottom/right of the output; each less than its stride. */
  outputPadding?: number | readonly number[] | null;
}

/**
 * Transposed 2-D convolution: the gradient of Conv2D with respect to its input, run forward,
 * which upsamples by the strides. Kernel (kh, kw, filters, in), as Keras stores it.
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly className = 'Conv2DTranspose';
  readonly outputPadding: [number, number] | null;

  constructor(args: Conv2DTransposeArgs) {
    super(2, args, ['valid', 'same']);
    if (this.groups !== 1) {
      throw invalidArgument(
        `${this.where}: groups is not supported. Received: groups=${this.groups}`,
      );
    }
    const op = args.outputPadding ?? null;
    if (op === null) {
      this.outputPadding = null;
    } else {
      const pair = typeof op === 'number' ? [op, op] : op.slice();
      if (
        pair.length !== 2 ||
        pair.some((p, i) => !Number.isInteger(p) || p < 0 || p >= this.strides[i]!)
      ) {
        throw invalidArgument(
          `${this.where}: outputPadding must be non-negative integers smaller than the strides ` +
            `${JSON.stringify(this.strides)}. Received: outputPadding=${JSON.stringify(op)}`,
        );
      }
      this.outputPadding = [pair[0]!, pair[1]!];
    }
  }

  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, this.filters, channels];
  }

  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv2dTranspose(x, kernel, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding as 'valid' | 'same',
      dilationRate: [this.dilationRate[0]!, this.dilationRate[1]!],
      ...(this.outputPadding !== null && { outputPadding: this.outputPadding }),
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    channelsOf(this.where, inputShape, 2);
    const spatial = [inputShape[1] ?? null, inputShape[2] ?? null].map((size, i) =>
      deconvOutputSize(
        size,
        this.kernelSize[i]!,
        this.strides[i]!,
        this.dilationRate[i]!,
        this.padding as 'valid' | 'same',
        this.outputPadding?.[i] ?? null,
      ),
    );
    return [inputShape[0] ?? null, ...spatial, this.filters];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), outputPadding: this.outputPadding };
  }
}

registerLayer(Conv2DTranspose);
