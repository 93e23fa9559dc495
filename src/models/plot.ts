import { InputLayer } from '../layers/base/input-layer.js';
import type { Layer } from '../layers/base/layer.js';
import { formatShape } from '../layers/base/symbolic.js';
import type { Model } from './model.js';

export interface PlotOptions {
  /** Show each layer's output shape. Default true. */
  showShapes?: boolean;
  /** Show each layer's class. Default true. */
  showLayerTypes?: boolean;
  /** 'TB' (top to bottom, default) or 'LR'. */
  rankdir?: 'TB' | 'LR';
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function label(layer: Layer, options: PlotOptions): string {
  const parts = [layer.name];
  if (options.showLayerTypes ?? true) parts[0] += ` (${layer.className})`;
  if (options.showShapes ?? true) {
    const node = layer.inboundNodes[layer.inboundNodes.length - 1];
    if (node !== undefined) {
      parts.push(node.outputs.map((t) => formatShape(t.shape)).join(', '));
    }
  }
  return parts.join('\\n');
}

/**
 * The model's graph in Graphviz DOT: one box per layer, one arrow per connection. Render it
 * with `dot -Tsvg model.dot > model.svg`, or with `plotModelSvg` without any tool.
 */
export function plotModel(model: Model, options: PlotOptions = {}): string {
  const lines = [
    `digraph ${quote(model.name)} {`,
    `  graph [rankdir=${options.rankdir ?? 'TB'}];`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  for (const layer of model.layers) {
    const shape = layer instanceof InputLayer ? ', style="rounded,dashed"' : '';
    lines.push(`  ${quote(layer.name)} [label="${label(layer, options).replace(/"/g, '\\"')}"${shape}];`);
  }
  for (const [from, to] of edges(model)) lines.push(`  ${quote(from)} -> ${quote(to)};`);
  lines.push('}');
  return lines.join('\n');
}

/** Distinct (from, to) layer-name pairs in the model's graph, in layer order. */
export function edges(model: Model): [string, string][] {
  const nodes = model.nodes;
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes) {
      if (!nodes.has(node)) continue;
      for (const t of node.inputs) {
        const key = `${t.layer.name}\u0000${layer.name}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push([t.layer.name, layer.name]);
        }
      }
    }
  }
  return out;
}
