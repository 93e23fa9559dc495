import { InputLayer } from '../layers/base/input-layer.js';
import type { Layer } from '../layers/base/layer.js';
import { type Node, formatShape } from '../layers/base/symbolic.js';
import type { Model } from './model.js';
import { lastNodeIn } from './summary.js';

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

function label(layer: Layer, options: PlotOptions, nodes: ReadonlySet<Node>): string {
  const parts = [layer.name];
  if (options.showLayerTypes ?? true) parts[0] += ` (${layer.className})`;
  if (options.showShapes ?? true) {
    const node = lastNodeIn(layer, nodes);
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
    lines.push(
      `  ${quote(layer.name)} ` +
        `[label="${label(layer, options, model.nodes).replace(/"/g, '\\"')}"${shape}];`,
    );
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

const BOX_HEIGHT = 44;
const ROW_GAP = 36;
const COL_GAP = 24;
const CHAR_WIDTH = 7.2;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * The same picture as SVG, laid out without Graphviz: each layer in the row of its longest
 * path from an input, rows centred, arrows from each box to the boxes it feeds.
 */
export function plotModelSvg(model: Model, options: PlotOptions = {}): string {
  const layers = model.layers;
  const links = edges(model);
  const row = new Map<string, number>();
  // Layers come in an order where producers precede consumers, so one pass finds the rows.
  for (const l of layers) row.set(l.name, 0);
  for (let pass = 0; pass < layers.length; pass++) {
    let changed = false;
    for (const [from, to] of links) {
      const r = row.get(from)! + 1;
      if (r > row.get(to)!) {
        row.set(to, r);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const labels = new Map(layers.map((l) => [l.name, label(l, options, model.nodes).split('\\n')]));
  const widthOf = (name: string): number =>
    Math.max(...labels.get(name)!.map((s) => s.length)) * CHAR_WIDTH + 24;
  const rows: string[][] = [];
  for (const l of layers) (rows[row.get(l.name)!] ??= []).push(l.name);
  const rowWidth = (names: string[]): number =>
    names.reduce((w, n) => w + widthOf(n), 0) + COL_GAP * (names.length - 1);
  const width = Math.max(...rows.map(rowWidth)) + 40;
  const pos = new Map<string, { x: number; y: number; w: number }>();
  rows.forEach((names, r) => {
    let x = (width - rowWidth(names)) / 2;
    for (const n of names) {
      pos.set(n, { x, y: 20 + r * (BOX_HEIGHT + ROW_GAP), w: widthOf(n) });
      x += widthOf(n) + COL_GAP;
    }
  });
  const height = 20 + rows.length * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + 20;

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" ' +
      'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
  ];
  for (const [from, to] of links) {
    const a = pos.get(from)!;
    const b = pos.get(to)!;
    out.push(
      `<line x1="${(a.x + a.w / 2).toFixed(1)}" y1="${a.y + BOX_HEIGHT}" ` +
        `x2="${(b.x + b.w / 2).toFixed(1)}" ` +
        `y2="${b.y}" stroke="#444" marker-end="url(#arrow)"/>`,
    );
  }
  for (const l of layers) {
    const p = pos.get(l.name)!;
    const dash = l instanceof InputLayer ? ' stroke-dasharray="4 3"' : '';
    out.push(
      `<rect x="${p.x.toFixed(1)}" y="${p.y}" width="${p.w.toFixed(1)}" ` +
        `height="${BOX_HEIGHT}" rx="6" ` +
        `fill="#f4f6fb" stroke="#334"${dash}/>`,
    );
    const lines = labels.get(l.name)!;
    lines.forEach((text, i) => {
      const y = p.y + BOX_HEIGHT / 2 + (i - (lines.length - 1) / 2) * 15 + 4;
      out.push(
        `<text x="${(p.x + p.w / 2).toFixed(1)}" y="${y.toFixed(1)}" ` +
          `text-anchor="middle">${escapeXml(text)}</text>`,
      );
    });
  }
  out.push('</svg>');
  return out.join('\n');
}
