// Dependency graphs over named nodes (resources, conditions, locals): cycle detection and
// grouping into levels that can run together. Node order is the template's declaration order so
// results are stable. Both walks are iterative and linear in nodes plus edges: a template's
// graph is user input, and a 5,000-resource chain must neither overflow the stack nor take
// quadratic time.
import { ApiError } from '../../protocol/errors.ts';

export type Graph = Map<string, ReadonlySet<string>>;

export function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    // The DFS path with, per node, the iterator over its remaining dependencies.
    const path: string[] = [root];
    const iterators = [graph.get(root)![Symbol.iterator]()];
    state.set(root, 'visiting');
    while (path.length > 0) {
      const step = iterators[iterators.length - 1]!.next();
      if (step.done) {
        state.set(path.pop()!, 'done');
        iterators.pop();
        continue;
      }
      const next = step.value;
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        state.set(next, 'visiting');
        path.push(next);
        iterators.push(graph.get(next)![Symbol.iterator]());
      }
    }
  }
  return undefined;
}

// A cycle through thousands of resources is named by its start and its length, not in full.
const MAX_NAMED_IN_CYCLE = 10;

export function assertAcyclic(graph: Graph, section: string): void {
  const cycle = findCycle(graph);
  if (!cycle) return;
  const path =
    cycle.length <= MAX_NAMED_IN_CYCLE + 1
      ? cycle.join(' -> ')
      : `${cycle.slice(0, MAX_NAMED_IN_CYCLE).join(' -> ')} -> … (${cycle.length - MAX_NAMED_IN_CYCLE - 1} more) -> ${cycle[cycle.length - 1]}`;
  throw new ApiError('CircularDependency', { reason: `${section}: ${path}` });
}

// Kahn's algorithm by rounds: every node whose dependencies all sit in earlier levels joins the
// next level. Edges to nodes outside the graph are ignored. The graph must be acyclic.
export function topologicalLevels(graph: Graph, section = 'Resources'): string[][] {
  const steps = topologicalLevelsSteps(graph, section);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// The same, pausing (yielding) after each node, for a planner run in slices (stacks/run/sliced.ts).
export function* topologicalLevelsSteps(graph: Graph, section = 'Resources'): Generator<void, string[][]> {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [node, deps] of graph) {
    let count = 0;
    for (const dep of new Set(deps)) {
      if (!graph.has(dep)) continue;
      count++;
      const list = dependents.get(dep);
      if (list) list.push(node);
      else dependents.set(dep, [node]);
    }
    waitingOn.set(node, count);
    yield;
  }
  const order = new Map([...graph.keys()].map((node, i) => [node, i]));
  let level = [...graph.keys()].filter((node) => waitingOn.get(node) === 0);
  const levels: string[][] = [];
  let placed = 0;
  while (level.length > 0) {
    // Copied to its size: an array grown by push keeps 17 slots for one element, and a chain
    // of N resources is N one-element levels (~150 bytes each, live while the stack deploys).
    levels.push(level.slice());
    placed += level.length;
    const next: string[] = [];
    for (const node of level) {
      for (const dependent of dependents.get(node) ?? []) {
        const left = waitingOn.get(dependent)! - 1;
        waitingOn.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
      yield;
    }
    level = next.sort((a, b) => order.get(a)! - order.get(b)!);
  }
  if (placed < graph.size) assertAcyclic(graph, section);
  return levels;
}

export function topologicalOrder(graph: Graph, section: string): string[] {
  return topologicalLevels(graph, section).flat();
}
