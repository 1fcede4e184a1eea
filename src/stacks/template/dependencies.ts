// Which resources a resource depends on: its DependsOn list plus every resource it reaches with
// Ref, Fn::GetAtt or Fn::Sub, directly or through a Locals macro ("Resources" page, DependsOn;
// "Locals" page, Macro substitution).
import type { Graph } from './graph.ts';
import { own } from './json.ts';
import { parentProperties } from './nested-stack.ts';
import { referencedNames } from './references.ts';
import type { JsonValue, ResourceDef, Template } from './types.ts';

export function dependsOnList(def: ResourceDef): string[] {
  if (def.DependsOn === undefined) return [];
  return typeof def.DependsOn === 'string' ? [def.DependsOn] : def.DependsOn;
}

function namesThroughLocals(template: Template, value: JsonValue, conditions?: Record<string, boolean>): Set<string> {
  const found = new Set<string>();
  const seenLocals = new Set<string>();
  const pending = [value];
  while (pending.length > 0) {
    for (const name of referencedNames(pending.pop()!, { conditions })) {
      const local = own(template.Locals, name);
      if (local && !seenLocals.has(name)) {
        seenLocals.add(name);
        pending.push(local.Value ?? null);
      }
      found.add(name);
    }
  }
  return found;
}

// Resources referenced by a resource's Properties (only the taken Fn::If branches when condition
// values are given).
export function referencedResources(template: Template, logicalId: string, conditions?: Record<string, boolean>): Set<string> {
  const def = template.Resources[logicalId]!;
  const names = namesThroughLocals(template, parentProperties(def), conditions);
  return new Set([...names].filter((name) => Object.hasOwn(template.Resources, name)));
}

export function resourceGraph(template: Template, conditions?: Record<string, boolean>): Graph {
  const steps = resourceGraphSteps(template, conditions);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// The same, pausing (yielding) after each resource, for a template validated in slices
// (template-loader.ts).
export function* resourceGraphSteps(template: Template, conditions?: Record<string, boolean>): Generator<void, Graph> {
  const graph: Graph = new Map();
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    graph.set(logicalId, new Set([...dependsOnList(def), ...referencedResources(template, logicalId, conditions)]));
    yield;
  }
  return graph;
}
