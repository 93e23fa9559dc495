import { expect } from 'vitest';
import {
  type DType,
  Input,
  type Layer,
  Random,
  type Tensor,
  add,
  deserializeLayer,
  mul,
  noGrad,
  serializeLayer,
  sum,
  tensor,
} from '../../src/index.js';
import { rand64 } from '../helpers/gradcheck.js';

export interface CheckLayerOptions {
  /** A fresh layer of the given dtype; called twice (float32 for the symbolic checks, float64). */
  make: (dtype: 'float32' | 'float64') => Layer;
  /** Concrete input shape, batch first; or `inputShapes` for several inputs. */
  inputShape?: number[];
  inputShapes?: number[][];
  /** Expected concrete output shape for the eager call, batch first (one per output). */
  expectedOutputShape: number[] | number[][];
  expectedParams?: number;
  expectedTrainableWeights?: number;
  expectedNonTrainableWeights?: number;
  /** Integer inputs (Embedding): their dtype and values; no input gradient then. */
  inputDtype?: DType;
  inputValues?: number[];
  /** Run the eager call and gradient check with training=true. Default false. */
  training?: boolean;
  /** Default true. */
  gradcheck?: boolean;
  /** Tolerances of the gradient check. */
  rtol?: number;
  atol?: number;
}

/**
 * One test of a layer, after Keras' run_layer_test: symbolic output shape, parameter and weight
 * counts, config round trip, eager float64 forward pass, and a finite-difference gradient check
 * with respect to the input and every trainable weight.
 */
export function checkLayer(options: CheckLayerOptions): Layer {
  const shapes = options.inputShapes ?? [options.inputShape!];
  const expected = (
    Array.isArray(options.expectedOutputShape[0])
      ? options.expectedOutputShape
      : [options.expectedOutputShape]
  ) as number[][];
  const inputDtype = options.inputDtype ?? 'float32';

  // Symbolic call: shapes inferred with a null batch dimension.
  const layer = options.make('float32');
  const symbolic = shapes.map((s) => Input({ shape: s.slice(1), dtype: inputDtype }));
  const outs = layer.applyMany(symbolic.length === 1 ? symbolic[0]! : symbolic);
  expect(outs.map((o) => o.shape)).toEqual(expected.map((s) => [null, ...s.slice(1)]));
  expect(layer.built).toBe(true);

  if (options.expectedParams !== undefined) {
    expect(layer.countParams()).toBe(options.expectedParams);
  }
  if (options.expectedTrainableWeights !== undefined) {
    expect(layer.trainableWeights.length).toBe(options.expectedTrainableWeights);
  }
  if (options.expectedNonTrainableWeights !== undefined) {
    expect(layer.nonTrainableWeights.length).toBe(options.expectedNonTrainableWeights);
  }

  // Config round trip, directly and through the registry; the config must be plain JSON.
  const config = layer.getConfig();
  expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  const cls = layer.constructor as unknown as { fromConfig(c: typeof config): Layer };
  expect(cls.fromConfig(config).getConfig()).toEqual(config);
  const again = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
  expect(again.className).toBe(layer.className);
  expect(again.getConfig()).toEqual(config);

  // Eager float64 call.
  const layer64 = options.make('float64');
  const inputs = shapes.map((s, i) => makeInput(s, inputDtype, options.inputValues, 11 + i));
  const training = options.training ?? false;
  const ys = layer64.applyMany(inputs.length === 1 ? inputs[0]! : inputs, { training });
  expect(ys.map((y) => y.shape)).toEqual(expected);
  for (const y of ys) expect(y.dtype === 'float64' || inputDtype !== 'float32').toBe(true);

  if (options.gradcheck ?? true) {
    const wrt = [...inputs.filter((x) => x.dtype === 'float64'), ...layer64.trainableWeights];
    layerGradcheck(
      () => layer64.applyMany(inputs.length === 1 ? inputs[0]! : inputs, { training }),
      wrt,
      options.rtol ?? 1e-5,
      options.atol ?? 1e-7,
    );
  }
  return layer;
}

function makeInput(
  shape: number[],
  dtype: DType,
  values: number[] | undefined,
  seed: number,
): Tensor {
  if (dtype === 'float32' || dtype === 'float64') return rand64(shape, seed);
  return tensor(values ?? new Array(shape.reduce((a, b) => a * b, 1)).fill(0), { shape, dtype });
}

/**
 * Central differences of L = Σ_k Σ f_k(·)·r_k against autograd, for tensors used in place by
 * `forward` (inputs and the layer's own weight variables), all float64.
 */
export function layerGradcheck(
  forward: () => Tensor[],
  wrt: readonly Tensor[],
  rtol = 1e-5,
  atol = 1e-7,
  eps = 1e-6,
): void {
  const probe = noGrad(forward);
  const rng = new Random(5);
  const rs = probe.map((y) =>
    tensor(
      Float64Array.from({ length: y.size }, () => rng.uniform() * 2 - 1),
      { shape: y.shape },
    ),
  );
  const loss = (): Tensor =>
    forward()
      .map((y, k) => sum(mul(y, rs[k]!)))
      .reduce((a, b) => add(a, b));

  const saved = wrt.map((t) => t.requiresGrad);
  for (const t of wrt) {
    t.requiresGrad = true;
    t.zeroGrad();
  }
  loss().backward();
  const analytic = wrt.map((t) => t.grad);
  wrt.forEach((t, i) => {
    t.requiresGrad = saved[i]!;
    t.zeroGrad();
  });

  wrt.forEach((t, which) => {
    const values = t.values as Float64Array;
    const got = analytic[which];
    for (let i = 0; i < t.size; i++) {
      const v = values[i]!;
      values[i] = v + eps;
      const plus = noGrad(loss).item();
      values[i] = v - eps;
      const minus = noGrad(loss).item();
      values[i] = v;
      const numeric = (plus - minus) / (2 * eps);
      const a = got === null ? 0 : got.values[i]!;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `gradient mismatch for ${t.name ?? `tensor ${which}`} at flat index ${i}: ` +
            `analytic ${a}, numeric ${numeric}`,
        );
      }
    }
  });
}
