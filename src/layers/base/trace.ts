import { noGrad } from '../../autograd/engine.js';
import { TensileError } from '../../errors.js';
import { zeros } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import type { Layer } from './layer.js';
import { type SymbolicShape, formatShape } from './symbolic.js';

/**
 * The dtypes of the inputs a symbolic call is about to trace with, and the dtypes the trace
 * found for its outputs: a traced call knows its output dtypes exactly, which
 * `computeOutputDtype` can only guess (a subclassed model that returns its int32 input).
 */
const inputDtypes = new WeakMap<Layer, readonly DType[]>();
const tracedDtypes = new WeakMap<Layer, DType[]>();

/** @internal Runs `fn` (the shape inference of a symbolic call) and returns the traced dtypes. */
export function withTraceDtypes<T>(
  layer: Layer,
  dtypes: readonly DType[],
  fn: () => T,
): { value: T; traced: DType[] | null } {
  inputDtypes.set(layer, dtypes);
  tracedDtypes.delete(layer);
  try {
    return { value: fn(), traced: tracedDtypes.get(layer) ?? null };
  } finally {
    inputDtypes.delete(layer);
    tracedDtypes.delete(layer);
  }
}

/**
 * A layer's output shapes found by running it once on zeros with batch 1: the fallback for
 * layers that do not override computeOutputShape. It needs every non-batch size known.
 */
export function traceOutputShapes(layer: Layer, shapes: readonly SymbolicShape[]): SymbolicShape[] {
  for (const s of shapes) {
    if (s.slice(1).some((d) => d === null)) {
      throw new TensileError(
        'not_supported',
        `Layer ${layer.name} (${layer.className}) cannot infer its output shape from input ` +
          `shape ${formatShape(s)}: override computeOutputShape().`,
      );
    }
  }
  const dtypes = inputDtypes.get(layer);
  const outputs = noGrad(() =>
    layer.callMany(
      shapes.map((s, i) =>
        zeros(
          s.map((d) => d ?? 1),
          { dtype: dtypes?.[i] ?? layer.dtype },
        ),
      ),
      { training: false, masks: shapes.map(() => null) },
    ),
  );
  tracedDtypes.set(
    layer,
    outputs.map((y) => y.dtype),
  );
  const batchUnknown = shapes[0]![0] === null;
  return outputs.map((y) => (batchUnknown ? [null, ...y.shape.slice(1)] : y.shape));
}
