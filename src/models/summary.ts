import { invalidArgument } from '../errors.js';
import type { Layer } from '../layers/base/layer.js';
import { type Node, formatShape } from '../layers/base/symbolic.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TableColumn, renderTable } from './table.js';

export interface SummaryOptions {
  /** Receives the whole summary as one string. Default: written to stdout. */
  printFn?: (text: string) => void;
  /** Table width. Default: 88 for chains, 108 for graphs, at most the terminal width − 4. */
  lineLength?: number;
  /** Relative column ends, e.g. [0.45, 0.8, 1] (Keras' `positions`). */
  positions?: readonly number[];
  /** List the layers inside nested models, indented. Default false. */
  expandNested?: boolean;
  /** Add a column saying whether each layer is trainable. Default false. */
  showTrainable?: boolean;
}

/** What summary() reads from a model; Model and Sequential provide it. */
export interface SummarizedModel {
  readonly name: string;
  readonly className: string;
  /** The rows: Functional's layers include InputLayers, Sequential's do not. */
  readonly layers: Layer[];
  readonly trainableWeights: readonly Tensor[];
  readonly nonTrainableWeights: readonly Tensor[];
  readonly optimizer: OptimizerView | null;
  /** The model's own nodes, and the same by depth (0 at the outputs). */
  readonly nodes: Set<Node>;
  readonly nodesByDepth: ReadonlyMap<number, readonly Node[]>;
  /** Sequential models always print as chains. */
  readonly isSequential: boolean;
}

/** What summary() reads from an optimizer: Keras' `variables`, or the state getWeights() lists. */
export interface OptimizerView {
  readonly built?: boolean;
  readonly variables?: readonly Tensor[];
  getWeights?(): Tensor[];
}

/** The optimizer's variables once it is built (after the first training step), else null. */
function optimizerState(optimizer: OptimizerView | null): readonly Tensor[] | null {
  if (optimizer === null || optimizer.built === false) return null;
  const vars = optimizer.variables ?? optimizer.getWeights?.() ?? [];
  return vars.length > 0 ? vars : null;
}

const BYTES: Record<string, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Keras' readable_memory_size: 1024-based units, two decimals. */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${twoDecimals(size)} ${unit}`;
    size /= 1024;
  }
  return `${twoDecimals(size * 1024)} PB`;
}

/**
 * Python's `{:.2f}`: sizes are k/1024ⁿ, so exact ties such as 0.125 occur, and Python rounds
 * them to even (0.12) where JavaScript's toFixed rounds up (0.13).
 */
function twoDecimals(x: number): string {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  const frac = scaled - floor;
  const n = frac > 0.5 || (frac === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}

/** `101,770`: thousands separators as Python's `{:,}`. */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function countAndBytes(weights: readonly Tensor[]): [number, number] {
  const unique = [...new Set(weights)];
  return [
    unique.reduce((n, w) => n + w.size, 0),
    unique.reduce((n, w) => n + w.size * (BYTES[w.dtype] ?? 4), 0),
  ];
}

/**
 * Keras' test for the three-column layout: no depth of the graph holds two nodes or a node
 * with several inputs, and no layer is called twice in the model.
 */
function isChain(model: SummarizedModel): boolean {
  if (model.isSequential) return true;
  for (const nodes of model.nodesByDepth.values()) {
    if (nodes.length > 1 || (nodes.length === 1 && nodes[0]!.inputs.length > 1)) return false;
  }
  const nodes = model.nodes;
  return model.layers.every((l) => l.inboundNodes.filter((n) => nodes.has(n)).length <= 1);
}

function terminalColumns(): number {
  const fromEnv = Number(process.env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
}

/**
 * The layer's last call in this model: a layer shared with another model (a Flatten reused on
 * another input size) has later calls there, with other shapes. Keras reads the last call of
 * all; that shows another model's shape, so only a layer with no call here falls back to it.
 */
export function lastNodeIn(layer: Layer, nodes: ReadonlySet<Node> | null): Node | undefined {
  const own = nodes === null ? [] : layer.inboundNodes.filter((n) => nodes.has(n));
  return own[own.length - 1] ?? layer.inboundNodes[layer.inboundNodes.length - 1];
}

function outputShapeOf(layer: Layer, nodes: ReadonlySet<Node> | null): string {
  const node = lastNodeIn(layer, nodes);
  let shapes: (readonly (number | null)[])[] | null = null;
  if (node !== undefined) shapes = node.outputs.map((t) => t.shape);
  else if (layer.buildShapes !== null) {
    try {
      shapes = layer.computeOutputShapes(layer.buildShapes);
    } catch {
      return '?';
    }
  }
  if (shapes === null) return '?';
  return shapes.length === 1 ? formatShape(shapes[0]!) : `[${shapes.map(formatShape).join(', ')}]`;
}

function connections(layer: Layer, nodes: Set<Node>): string {
  const parts: string[] = [];
  for (const node of layer.inboundNodes) {
    if (!nodes.has(node)) continue;
    for (const t of node.inputs) parts.push(`${t.layer.name}[${t.node.index}][${t.tensorIndex}]`);
  }
  return parts.length === 0 ? '-' : parts.join(', ');
}

/** Keras 3's model.summary(): the table and the parameter counts, as one string. */
export function summaryText(model: SummarizedModel, options: SummaryOptions = {}): string {
  const chain = isChain(model);
  let lineLength = chain ? 88 : 108;
  let positions = options.positions ?? (chain ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  const headers = chain
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const justify: TableColumn['justify'][] = chain
    ? ['left', 'left', 'right']
    : ['left', 'left', 'right', 'left'];
  if (options.showTrainable) {
    lineLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1];
    headers.push('Trainable');
    justify.push('center');
  }
  lineLength = options.lineLength ?? Math.min(lineLength, terminalColumns() - 4);

  let current = 0;
  const columns: TableColumn[] = positions.map((pos, i) => {
    const width = Math.floor(pos <= 1 ? pos * lineLength : pos) - current;
    if (width < 4) {
      throw invalidArgument(
        `summary(): the table is too narrow. Received: lineLength=${lineLength}. Use at least 40.`,
      );
    }
    current += width;
    return { header: headers[i] ?? '', justify: justify[i] ?? 'left', width };
  });

  const nodes = model.nodes;
  const rows: string[][] = [];
  // Nested rows read their shapes from the nodes of the model that holds them.
  const addRows = (layer: Layer, depth: number, owner: ReadonlySet<Node> | null): void => {
    const prefix = depth > 0 ? '   '.repeat(depth) + '└ ' : '';
    const params = !layer.built ? '0 (unbuilt)' : withCommas(layer.countParams());
    const row = [
      `${prefix}${layer.name} (${layer.className})`,
      outputShapeOf(layer, owner),
      params,
    ];
    if (!chain) row.push(connections(layer, nodes));
    if (options.showTrainable) {
      row.push(layer.built && layer.weights.length > 0 ? (layer.trainable ? 'Y' : 'N') : '-');
    }
    rows.push(row);
    const inner = (layer as { layers?: Layer[] }).layers;
    if (options.expandNested && Array.isArray(inner)) {
      const innerNodes = (layer as { nodes?: Set<Node> }).nodes ?? null;
      for (const l of inner) addRows(l, depth + 1, innerNodes);
    }
  };
  for (const layer of model.layers) addRows(layer, 0, nodes);

  const [trainable, trainableBytes] = countAndBytes(model.trainableWeights);
  const [frozen, frozenBytes] = countAndBytes(model.nonTrainableWeights);
  const optimizerVars = optimizerState(model.optimizer);
  const [opt, stateBytes] = optimizerVars === null ? [0, 0] : countAndBytes(optimizerVars);
  // The first optimizer variable is the step counter, an int64 (8 bytes) in Keras.
  const optBytes = stateBytes + (optimizerVars?.[0]?.dtype === 'int32' ? 4 : 0);

  const lines = [`Model: "${model.name}"`, ...renderTable(columns, rows, lineLength)];
  lines.push(
    ` Total params: ${withCommas(trainable + frozen + opt)} ` +
      `(${readableSize(trainableBytes + frozenBytes + optBytes)})`,
  );
  lines.push(` Trainable params: ${withCommas(trainable)} (${readableSize(trainableBytes)})`);
  lines.push(` Non-trainable params: ${withCommas(frozen)} (${readableSize(frozenBytes)})`);
  if (optimizerVars !== null) {
    lines.push(` Optimizer params: ${withCommas(opt)} (${readableSize(optBytes)})`);
  }
  return lines.join('\n');
}

/** Prints the summary through `printFn`, or to stdout. */
export function printSummary(model: SummarizedModel, options: SummaryOptions = {}): void {
  const text = summaryText(model, options);
  if (options.printFn !== undefined) options.printFn(text);
  else process.stdout.write(text + '\n');
}
