import { invalidArgument, shapeMismatch } from '../../errors.js';
import { upSampling2d } from '../../ops/image.js';
import { pad, slice } from '../../ops/indexing.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs } from '../base/layer.js';
import { registerLayer } from '../base/register.js';
import type { Config } from '../base/registry.js';
import { type SymbolicShape, formatShape } from '../base/symbolic.js';

/** ((top, bottom), (left, right)) as Keras writes 2-D paddings and croppings. */
export type Margins2D = [[number, number], [number, number]];

/** Keras' forms: n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. */
export type Margins2DSpec =
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];

function marginsOf(
  where: string,
  name: string,
  spec: Margins2DSpec | undefined,
  fallback: number,
): Margins2D {
  const s = spec ?? fallback;
  let m: number[][];
  if (typeof s === 'number')
    m = [
      [s, s],
      [s, s],
    ];
  else if (typeof s[0] === 'number')
    m = [
      [s[0], s[0]],
      [s[1] as number, s[1] as number],
    ];
  else m = (s as readonly (readonly number[])[]).map((p) => p.slice());
  const ok =
    m.length === 2 &&
    m.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw invalidArgument(
      `${where}: ${name} must be a non-negative integer, ` +
        `[rows, cols], or [[top, bottom], [left, right]]. ` +
        `Received: ${name}=${JSON.stringify(spec)}`,
    );
  }
  return [
    [m[0]![0]!, m[0]![1]!],
    [m[1]![0]!, m[1]![1]!],
  ];
}

function expectImage(where: string, shape: SymbolicShape): void {
  if (shape.length !== 4) {
    throw shapeMismatch(
      `${where}: expected a 4-D input (batch, height, width, channels). ` +
        `Received: inputShape=${formatShape(shape)}`,
    );
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Factors [rows, cols] or one for both. Default 2. */
  size?: number | readonly [number, number];
  /** 'nearest' (default) or 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
}

/** Repeats rows and columns (nearest) or interpolates (bilinear) by integer factors. */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    const s = args.size ?? 2;
    const pair = typeof s === 'number' ? [s, s] : s.slice();
    if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
      throw invalidArgument(
        `UpSampling2D ${this.name}: size must be a positive integer or [rows, cols]. ` +
          `Received: size=${JSON.stringify(s)}`,
      );
    }
    this.size = [pair[0]!, pair[1]!];
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw invalidArgument(
        `UpSampling2D ${this.name}: interpolation must be 'nearest' or 'bilinear'. ` +
          `Received: interpolation=${String(interpolation)}`,
      );
    }
    this.interpolation = interpolation;
  }

  override call(x: Tensor): Tensor {
    return upSampling2d(x, { size: this.size, interpolation: this.interpolation });
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    expectImage(`UpSampling2D ${this.name}`, s);
    const scale = (d: number | null, f: number): number | null => (d === null ? null : d * f);
    return [
      s[0] ?? null,
      scale(s[1] ?? null, this.size[0]),
      scale(s[2] ?? null, this.size[1]),
      s[3] ?? null,
    ];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: this.size, interpolation: this.interpolation };
  }
}

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Default 1: one row/column of zeros on every side. */
  padding?: Margins2DSpec;
}

/** Adds rows and columns of zeros around an image. */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  readonly padding: Margins2D;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    this.padding = marginsOf(`ZeroPadding2D ${this.name}`, 'padding', args.padding, 1);
  }

  override call(x: Tensor): Tensor {
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    expectImage(`ZeroPadding2D ${this.name}`, s);
    const grow = (d: number | null, m: [number, number]): number | null =>
      d === null ? null : d + m[0] + m[1];
    return [
      s[0] ?? null,
      grow(s[1] ?? null, this.padding[0]),
      grow(s[2] ?? null, this.padding[1]),
      s[3] ?? null,
    ];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), padding: this.padding };
  }
}

export interface Cropping2DArgs extends LayerArgs {
  /** Default 0. */
  cropping?: Margins2DSpec;
}

/** Removes rows and columns from the borders of an image. */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  readonly cropping: Margins2D;

  constructor(args: Cropping2DArgs = {}) {
    super(args);
    this.cropping = marginsOf(`Cropping2D ${this.name}`, 'cropping', args.cropping, 0);
  }

  override call(x: Tensor): Tensor {
    const [[top, bottom], [left, right]] = this.cropping;
    const [n, h, w, c] = x.shape as [number, number, number, number];
    return slice(x, [0, top, left, 0], [n, h - top - bottom, w - left - right, c]);
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const where = `Cropping2D ${this.name}`;
    expectImage(where, s);
    const crop = (d: number | null, m: [number, number]): number | null => {
      if (d === null) return null;
      if (d - m[0] - m[1] <= 0) {
        throw shapeMismatch(
          `${where}: cropping ${JSON.stringify(this.cropping)} ` +
            `leaves nothing of the input ${formatShape(s)}.`,
        );
      }
      return d - m[0] - m[1];
    };
    return [
      s[0] ?? null,
      crop(s[1] ?? null, this.cropping[0]),
      crop(s[2] ?? null, this.cropping[1]),
      s[3] ?? null,
    ];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), cropping: this.cropping };
  }
}

for (const cls of [UpSampling2D, ZeroPadding2D, Cropping2D]) registerLayer(cls);
