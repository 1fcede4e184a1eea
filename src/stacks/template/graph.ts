// Dependency graphs over named nodes (resources, conditions, locals): cycle detection and
// grouping into levels that can run together. Node order is the template's declaration order so
// results are stable.
import { ApiError } from '../../protocol/errors.ts';

export type Graph = Map<string, ReadonlySet<string>>;

export function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

export function assertAcyclic(graph: Graph, section: string): void {
  const cycle = findCycle(graph);
  if (cycle) throw new ApiError('CircularDependency', { reason: `${section}: ${cycle.join(' -> ')}` });
}

// Kahn's algorithm by rounds: every node whose dependencies all sit in earlier levels joins the
// next level. Edges to nodes outside the graph are ignored. The graph must be acyclic.
export function topologicalLevels(graph: Graph, section = 'Resources'): string[][] {
  const placed = new Set<string>();
  const levels: string[][] = [];
  while (placed.size < graph.size) {
    const level = [...graph.keys()].filter(
      (node) => !placed.has(node) && [...graph.get(node)!].every((dep) => placed.has(dep) || !graph.has(dep)),
    );
    if (level.length === 0) assertAcyclic(graph, section);
    for (const node of level) placed.add(node);
    levels.push(level);
  }
  return levels;
}

export function topologicalOrder(graph: Graph, section: string): string[] {
  return topologicalLevels(graph, section).flat();
}
