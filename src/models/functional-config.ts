import { invalidArgument } from '../errors.js';
import type { Layer } from '../layers/base/layer.js';
import { deserializeLayer } from '../layers/base/register.js';
import type { Config, JsonValue } from '../layers/base/registry.js';
import { InputLayer } from '../layers/base/input-layer.js';
import type { Node, SymbolicTensor } from '../layers/base/symbolic.js';

/** Where a tensor comes from: a layer, which of that layer's calls in this model, which output. */
interface TensorRef {
  layer: string;
  nodeIndex: number;
  tensorIndex: number;
}

interface LayerEntry {
  className: string;
  name: string;
  config: Config;
  inboundNodes: TensorRef[][];
}

/** The part of a functional model that getConfig() needs: its layers, nodes and ends. */
interface FunctionalLike {
  readonly name: string;
  readonly trainable: boolean;
  readonly layers: Layer[];
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  readonly nodes: Set<Node>;
  /** The record keys of `inputs`/`outputs` when the model was wired from records, else null. */
  readonly inputKeys: readonly string[] | null;
  readonly outputKeys: readonly string[] | null;
}

/** A list of refs, or a record of them when the model's ends were given by name. */
function refsOf(
  tensors: readonly SymbolicTensor[],
  keys: readonly string[] | null,
  ref: (t: SymbolicTensor) => TensorRef,
): JsonValue {
  const refs = tensors.map(ref);
  if (keys === null) return refs as unknown as JsonValue[];
  return Object.fromEntries(keys.map((k, i) => [k, refs[i]])) as unknown as JsonValue;
}

/**
 * A functional model's config, after Keras: each layer with the inputs of each of its calls in
 * this model, and the model's input and output tensors. Node indices count only this model's
 * calls of a layer, so a layer shared with another model serializes the same way.
 */
export function functionalConfig(model: FunctionalLike): Config {
  const nodes = model.nodes;
  const localIndex = (n: Node): number =>
    n.layer instanceof InputLayer ? 0 : n.layer.inboundNodes.filter((m) => nodes.has(m)).indexOf(n);
  const ref = (t: SymbolicTensor): TensorRef => ({
    layer: t.layer.name,
    nodeIndex: localIndex(t.node),
    tensorIndex: t.tensorIndex,
  });
  const layers: LayerEntry[] = model.layers.map((l) => ({
    className: l.className,
    name: l.name,
    config: l.getConfig(),
    inboundNodes:
      l instanceof InputLayer
        ? []
        : l.inboundNodes.filter((n) => nodes.has(n)).map((n) => n.inputs.map(ref)),
  }));
  return {
    name: model.name,
    trainable: model.trainable,
    layers: layers as unknown as JsonValue[],
    inputLayers: refsOf(model.inputs, model.inputKeys, ref),
    outputLayers: refsOf(model.outputs, model.outputKeys, ref),
  };
}

/** Recreates the layers of a functional config and calls them as recorded. */
export function rebuildGraph(config: Config): {
  inputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
  outputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
} {
  const entries = config['layers'] as unknown as LayerEntry[] | undefined;
  if (!Array.isArray(entries)) {
    throw invalidArgument(
      'A functional model config needs a layers array. Received: ' +
        JSON.stringify(config).slice(0, 200),
    );
  }
  const layers = new Map<string, Layer>();
  // Outputs of each (layer, local node index), filled as calls are replayed.
  const produced = new Map<string, SymbolicTensor[][]>();
  for (const e of entries) {
    const layer = deserializeLayer({ className: e.className, config: e.config });
    layers.set(e.name, layer);
    produced.set(e.name, layer instanceof InputLayer ? [[layer.output]] : []);
  }
  const lookup = (r: TensorRef): SymbolicTensor | undefined =>
    produced.get(r.layer)?.[r.nodeIndex]?.[r.tensorIndex];

  // Replay calls whose inputs exist until none is left; a pass with no progress means the
  // config refers to something missing.
  const pending = entries.flatMap((e) => e.inboundNodes.map((refs, k) => ({ e, refs, k })));
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; i++) {
      const { e, refs, k } = pending[i]!;
      const done = produced.get(e.name)!;
      if (done.length !== k) continue; // calls of one layer replay in order
      const xs = refs.map(lookup);
      if (xs.some((x) => x === undefined)) continue;
      done.push(layers.get(e.name)!.applyMany(xs as SymbolicTensor[]));
      pending.splice(i--, 1);
    }
    if (pending.length === before) {
      throw invalidArgument(
        `The model config cannot be rebuilt: layer ${pending[0]!.e.name} reads tensors that no ` +
          `layer produces.`,
      );
    }
  }
  const resolve = (r: TensorRef): SymbolicTensor => {
    const t = lookup(r);
    if (t === undefined)
      throw invalidArgument(`The model config names a missing tensor: ${JSON.stringify(r)}.`);
    return t;
  };
  const resolveAll = (
    refs: TensorRef[] | Record<string, TensorRef>,
  ): SymbolicTensor[] | Record<string, SymbolicTensor> =>
    Array.isArray(refs)
      ? refs.map(resolve)
      : Object.fromEntries(Object.entries(refs).map(([k, r]) => [k, resolve(r)]));
  return {
    inputs: resolveAll(config['inputLayers'] as unknown as TensorRef[]),
    outputs: resolveAll(config['outputLayers'] as unknown as TensorRef[]),
  };
}
