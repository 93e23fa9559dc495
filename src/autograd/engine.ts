import { TensileError, fmtShape, internalError, invalidArgument } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { type BackwardFn, Tensor, registerBackward } from '../tensor/tensor.js';

let gradEnabled = true;

/** True unless inside `noGrad`: ops record their graph only when this holds. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording any graph: for inference and for parameter updates. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Links `out` to the inputs it was computed from, when any of them requires a gradient and
 * recording is on. Every differentiable op ends with this call.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], fn: BackwardFn): Tensor {
  out.op = op;
  if (!gradEnabled) return out;
  let needed = false;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]!.requiresGrad) {
      needed = true;
      break;
    }
  }
  if (!needed) return out;
  out.requiresGrad = true;
  out.parents = inputs;
  out.backwardFn = fn;
  return out;
}

/** Nodes that need a gradient, parents before children, found without recursion. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  // Each stack frame is a node and the index of the next parent to visit.
  const nodes: Tensor[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top]!;
    const i = next[top]!;
    if (i < node.parents.length) {
      next[top] = i + 1;
      const parent = node.parents[i]!;
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        nodes.push(parent);
        next.push(0);
      }
    } else {
      order.push(node);
      nodes.pop();
      next.pop();
    }
  }
  return order;
}

function addInto(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  const av = a.values;
  const bv = b.values;
  for (let i = 0; i < out.length; i++) out[i] = av[i]! + bv[i]!;
  return new Tensor(out, a.shape);
}

function backward(root: Tensor, gradient: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new TensileError(
      'no_gradient',
      `backward() was called on a tensor that does not require a gradient (op=${root.op}). ` +
        `Create the inputs you differentiate with {requiresGrad: true}.`,
    );
  }
  if (root.graphReleased) {
    throw new TensileError(
      'no_gradient',
      `backward() was called a second time through a graph already released. ` +
        `Pass {retainGraph: true} to the first backward() to call it again.`,
    );
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw invalidArgument(
        `backward() without an upstream gradient needs a scalar; this tensor has shape ` +
          `${fmtShape(root.shape)}. Reduce it (sum, mean) or pass a gradient of that shape.`,
      );
    }
    seed = new Tensor(allocate(root.dtype, 1).fill(1), root.shape);
  } else {
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw invalidArgument(
        `backward(): the upstream gradient has shape ${fmtShape(gradient.shape)} but the ` +
          `tensor has shape ${fmtShape(root.shape)}; they must match.`,
      );
    }
    seed = gradient.dtype === root.dtype ? gradient : castValues(gradient, root);
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // Gradients made here by summing may be updated in place; others may be shared with the graph.
  const owned = new Set<Tensor>();

  noGrad(() => {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      const dy = grads.get(node);
      if (dy === undefined) continue;
      grads.delete(node);
      if (node.backwardFn === null) {
        node.grad = node.grad === null ? dy : addInto(node.grad, dy);
        continue;
      }
      const inputGrads = node.backwardFn(dy);
      const parents = node.parents;
      for (let i = 0; i < parents.length; i++) {
        const parent = parents[i]!;
        const g = inputGrads[i];
        if (!parent.requiresGrad || g === null || g === undefined) continue;
        if (!shapesEqual(g.shape, parent.shape)) {
          throw internalError(
            `op ${node.op} gave a gradient of shape ${fmtShape(g.shape)} for an input of shape ` +
              `${fmtShape(parent.shape)}`,
          );
        }
        const gc = g.dtype === parent.dtype ? g : castValues(g, parent);
        const existing = grads.get(parent);
        if (existing === undefined) {
          grads.set(parent, gc);
        } else if (owned.has(existing)) {
          const ev = existing.values;
          const gv = gc.values;
          for (let j = 0; j < ev.length; j++) ev[j] = ev[j]! + gv[j]!;
        } else {
          const sum = addInto(existing, gc);
          owned.add(sum);
          grads.set(parent, sum);
        }
      }
      if (!retainGraph) {
        node.backwardFn = releasedBackward;
        node.parents = [];
        node.graphReleased = true;
      }
    }
  });
}

// A tensor whose graph a previous backward() released can still be used in a new graph; a
// gradient reaching it could not continue to its inputs, so stop loudly rather than drop it.
const releasedBackward: BackwardFn = () => {
  throw new TensileError(
    'no_gradient',
    `backward() reached a tensor whose graph an earlier backward() released, so the gradient ` +
      `cannot flow on to its inputs. Pass {retainGraph: true} to the earlier backward(), or ` +
      `recompute the tensor.`,
  );
};

function castValues(t: Tensor, like: Tensor): Tensor {
  const out = allocate(like.dtype, t.size);
  out.set(t.values);
  return new Tensor(out, t.shape);
}

registerBackward(backward);
