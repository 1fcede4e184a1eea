// The Conditions section: "the system first evaluates all conditions in the template and then
// creates resources" ("Template structure"). Conditions may reference other conditions, so they
// are evaluated in dependency order.
import { evaluateCondition, type EvalContext } from './evaluate.ts';
import { assertAcyclic, topologicalOrder, type Graph } from './graph.ts';
import { setKey } from './json.ts';
import { collectReferences } from './references.ts';
import type { PseudoParameters, ResolvedParameters, Template } from './types.ts';

export function conditionGraph(template: Template): Graph {
  const graph: Graph = new Map();
  for (const [name, body] of Object.entries(template.Conditions)) {
    const refs = typeof body === 'string' ? [{ kind: 'Condition' as const, name: body }] : collectReferences(body, { conditionContext: true });
    graph.set(name, new Set(refs.flatMap((r) => (r.kind === 'Condition' ? [r.name] : []))));
  }
  return graph;
}

export function evaluateConditions(
  template: Template,
  parameters: ResolvedParameters,
  pseudo: PseudoParameters,
): Record<string, boolean> {
  const graph = conditionGraph(template);
  assertAcyclic(graph, 'Conditions');
  const conditions: Record<string, boolean> = {};
  for (const name of topologicalOrder(graph, 'Conditions')) {
    const ctx: EvalContext = { template, parameters, pseudo, conditions, where: `Conditions.${name}` };
    setKey(conditions, name, evaluateCondition(template.Conditions[name]!, ctx));
  }
  return conditions;
}
