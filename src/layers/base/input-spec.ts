import { TensileError } from '../../errors.js';
import { type SymbolicShape, formatShape } from './symbolic.js';

/**
 * What a layer accepts, checked on every call once set: a rank (exact or bounded) and sizes
 * fixed on some axes, e.g. Dense's last axis after build.
 */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Axis (negative counts from the end) → required size. */
  axes?: Record<number, number>;
}

/** Throws a shape_mismatch naming the layer and both shapes when an input breaks its spec. */
export function checkInputSpecs(
  specs: readonly (InputSpec | null)[],
  shapes: readonly SymbolicShape[],
  layer: string,
): void {
  if (specs.length !== shapes.length) {
    throw new TensileError(
      'invalid_argument',
      `Layer ${layer} expects ${specs.length} input(s), but it received ${shapes.length}.`,
    );
  }
  specs.forEach((spec, i) => {
    if (spec === null) return;
    const shape = shapes[i]!;
    const which = specs.length > 1 ? `input ${i} of layer ${layer}` : `the input of layer ${layer}`;
    const rank = shape.length;
    if (spec.ndim !== undefined && rank !== spec.ndim) {
      throw mismatch(`${which} must have rank ${spec.ndim}`, shape, expected(spec, rank), RANK);
    }
    if (spec.minNdim !== undefined && rank < spec.minNdim) {
      throw mismatch(`${which} must have rank >= ${spec.minNdim}`, shape, null, RANK);
    }
    if (spec.maxNdim !== undefined && rank > spec.maxNdim) {
      throw mismatch(`${which} must have rank <= ${spec.maxNdim}`, shape, null, RANK);
    }
    for (const [key, size] of Object.entries(spec.axes ?? {})) {
      const axis = Number(key) < 0 ? rank + Number(key) : Number(key);
      const got = shape[axis];
      if (got !== null && got !== undefined && got !== size) {
        throw mismatch(
          `${which} must have size ${size} on axis ${key}`,
          shape,
          expected(spec, rank),
          SIZE,
        );
      }
    }
  });
}

/** The expected shape with the spec's fixed sizes filled in, the rest None. */
function expected(spec: InputSpec, rank: number): SymbolicShape {
  const n = spec.ndim ?? rank;
  const shape: (number | null)[] = new Array<number | null>(n).fill(null);
  for (const [key, size] of Object.entries(spec.axes ?? {})) {
    const axis = Number(key) < 0 ? n + Number(key) : Number(key);
    if (axis >= 0 && axis < n) shape[axis] = size;
  }
  return shape;
}

const RANK = 'Reshape or flatten the input to the rank the layer takes.';
// Fixed sizes come from the shape the layer was built with; a layer shared between two places
// needs the same size at both.
const SIZE =
  'The layer was built for that size when first called; to use it on inputs of another ' +
  'size, create a separate layer.';

function mismatch(
  what: string,
  got: SymbolicShape,
  want: SymbolicShape | null,
  hint: string,
): TensileError {
  const expectedText = want === null ? '' : `expected shape ${formatShape(want)}, `;
  return new TensileError(
    'shape_mismatch',
    `Incompatible input: ${what}; ${expectedText}received shape ${formatShape(got)}. ${hint}`,
  );
}
