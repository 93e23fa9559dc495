import { TensileError, invalidArgument } from '../errors.js';
import { InputLayer } from '../layers/base/input-layer.js';
import type { Layer } from '../layers/base/layer.js';
import { type Node, SymbolicTensor, formatShape } from '../layers/base/symbolic.js';

/** The wiring of a functional model, found by walking back from its outputs. */
export interface Graph {
  /** Nodes in an order where every node comes after the nodes it reads from. */
  executionOrder: Node[];
  /** Depth → nodes, depth 0 at the outputs (Keras' `_nodes_by_depth`). */
  nodesByDepth: Map<number, Node[]>;
  /** Layers in Keras' order: by decreasing depth, ties by order of discovery from the outputs. */
  layers: Layer[];
}

/**
 * Maps the graph between `inputs` and `outputs` the way Keras' functional model does, so that
 * `model.layers` and summary() list layers in Keras' order.
 * @throws TensileError naming the output when it depends on an Input not among `inputs`, or
 *   when two layers share a name.
 */
export function mapGraph(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): Graph {
  const inputSet = new Set(inputs);
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const nodesInDecreasingDepth: Node[] = [];
  const layerIndices = new Map<Layer, number>();

  const visit = (tensor: SymbolicTensor, output: SymbolicTensor, outputIndex: number): void => {
    const node = tensor.node;
    if (finished.has(node)) return;
    if (inProgress.has(node)) {
      throw invalidArgument(`The graph has a cycle through layer ${node.layer.name}.`);
    }
    if (node.layer instanceof InputLayer && !inputSet.has(tensor)) {
      throw new TensileError(
        'invalid_argument',
        `Output ${outputIndex} (${output.toString()}) is not reachable from the model's ` +
          `inputs: it depends on ${node.layer.name} with shape ${formatShape(tensor.shape)}, ` +
          `which is not among inputs=[${inputs.map((i) => i.layer.name).join(', ')}]. ` +
          `Add that Input to the model's inputs.`,
      );
    }
    if (!layerIndices.has(node.layer)) layerIndices.set(node.layer, layerIndices.size);
    inProgress.add(node);
    if (!inputSet.has(tensor)) {
      for (const t of node.inputs) visit(t, output, outputIndex);
    }
    finished.add(node);
    inProgress.delete(node);
    nodesInDecreasingDepth.push(node);
  };
  outputs.forEach((o, i) => visit(o, o, i));

  // Depth of a node: the longest path from it to an output. A shared layer takes the largest
  // depth of its nodes, as Keras does.
  const nodeDepths = new Map<Node, number>();
  const layerDepths = new Map<Layer, number>();
  for (let i = nodesInDecreasingDepth.length - 1; i >= 0; i--) {
    const node = nodesInDecreasingDepth[i]!;
    let depth = nodeDepths.get(node) ?? 0;
    depth = Math.max(depth, layerDepths.get(node.layer) ?? 0);
    layerDepths.set(node.layer, depth);
    nodeDepths.set(node, depth);
    if (node.layer instanceof InputLayer) continue;
    for (const parent of node.parentNodes) {
      nodeDepths.set(parent, Math.max(depth + 1, nodeDepths.get(parent) ?? 0));
    }
  }

  const nodesByDepth = new Map<number, Node[]>();
  for (const node of nodesInDecreasingDepth) {
    const d = nodeDepths.get(node)!;
    if (!nodesByDepth.has(d)) nodesByDepth.set(d, []);
    nodesByDepth.get(d)!.push(node);
  }
  const depthKeys = [...nodesByDepth.keys()].sort((a, b) => b - a);
  const executionOrder = depthKeys.flatMap((d) => nodesByDepth.get(d)!);

  const layersByDepth = new Map<number, Layer[]>();
  for (const [layer, d] of layerDepths) {
    if (!layersByDepth.has(d)) layersByDepth.set(d, []);
    layersByDepth.get(d)!.push(layer);
  }
  const layers = [...layersByDepth.keys()]
    .sort((a, b) => b - a)
    .flatMap((d) =>
      layersByDepth.get(d)!.sort((a, b) => layerIndices.get(a)! - layerIndices.get(b)!),
    );

  const seen = new Map<string, number>();
  for (const l of layers) seen.set(l.name, (seen.get(l.name) ?? 0) + 1);
  for (const [name, count] of seen) {
    if (count > 1) {
      throw invalidArgument(
        `The name "${name}" is used ${count} times in the model. All layer names should be ` +
          `unique; pass distinct names, or omit them to get automatic ones.`,
      );
    }
  }
  return { executionOrder, nodesByDepth, layers };
}

/** Checks that every input of a model is an `Input()` tensor. */
export function checkModelInputs(inputs: readonly unknown[]): SymbolicTensor[] {
  // One Input listed twice would need the same data fed twice; Keras refuses it too.
  inputs.forEach((x, i) => {
    const first = inputs.indexOf(x);
    if (first !== i && x instanceof SymbolicTensor) {
      throw invalidArgument(
        `Model inputs list ${x.layer.name} twice (inputs[${first}] and inputs[${i}]). Each ` +
          'Input appears once; feed one Input to as many layers as need it.',
      );
    }
  });
  return inputs.map((x, i) => {
    if (!(x instanceof SymbolicTensor) || !(x.node.layer instanceof InputLayer)) {
      throw invalidArgument(
        `Model inputs must come from Input(). Received: inputs[${i}]=${String(x)}. Pass the ` +
          'Input() tensors the graph starts from; to start a model mid-graph, make a new ' +
          'Input and call the later layers on it.',
      );
    }
    return x;
  });
}
