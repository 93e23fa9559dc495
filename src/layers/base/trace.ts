import { noGrad } from '../../autograd/engine.js';
import { TensileError } from '../../errors.js';
import { zeros } from '../../tensor/creation.js';
import type { Layer } from './layer.js';
import { type SymbolicShape, formatShape } from './symbolic.js';

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
  const outputs = noGrad(() =>
    layer.callMany(
      shapes.map((s) =>
        zeros(
          s.map((d) => d ?? 1),
          { dtype: layer.dtype },
        ),
      ),
      { training: false, masks: shapes.map(() => null) },
    ),
  );
  const batchUnknown = shapes[0]![0] === null;
  return outputs.map((y) => (batchUnknown ? [null, ...y.shape.slice(1)] : y.shape));
}
