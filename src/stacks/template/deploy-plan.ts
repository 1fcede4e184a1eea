// Pure stack simulation helpers for the operation engine: what to create in which order, the
// resolved properties of one resource, and the stack outputs.
import { evaluateConditions } from './conditions.ts';
import { expandCount } from './count.ts';
import { dependsOnList, referencedResources } from './dependencies.ts';
import { evaluate, type EvalContext, type StackOutputLookup } from './evaluate.ts';
import { readFaultInjection, type FaultInjection } from './metadata-faults.ts';
import { topologicalLevelsSteps, type Graph } from './graph.ts';
import { own, plainText, setKey } from './json.ts';
import { parentProperties, withChildTemplate } from './nested-stack.ts';
import { invalidReference } from './references.ts';
import { resourceResolver } from './resource-types.ts';
import {
  NO_VALUE,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type PseudoParameters,
  type ResolvedParameters,
  type ResourceState,
  type Template,
} from './types.ts';

export interface PlannedResource {
  logicalId: string;
  type: string;
  // Resources of this plan that must be created first.
  dependsOn: string[];
  deletionPolicy: 'Delete' | 'Retain';
  fault: FaultInjection;
}

export interface DeployPlan {
  // The template after Count expansion: the one to resolve properties and outputs against.
  template: Template;
  conditions: Record<string, boolean>;
  resources: Record<string, PlannedResource>;
  // Resources of one level depend only on earlier levels and may be created together.
  levels: string[][];
  // Resources left out because their Condition is false.
  omitted: string[];
}

export interface StackContext {
  parameters: ResolvedParameters;
  pseudo: PseudoParameters;
  // Evaluated from the template when absent.
  conditions?: Record<string, boolean>;
  // Resources created so far.
  resources: Readonly<Record<string, ResourceState>>;
  // Other stacks' outputs for Fn::GetStackOutput.
  stackOutputs?: StackOutputLookup;
}

export interface OutputItem {
  OutputKey: string;
  OutputValue: JsonValue;
  Description?: string;
}

export interface PreparedTemplate {
  template: Template;
  conditions: Record<string, boolean>;
}

// Conditions evaluated and Count expanded: the form every stack computation works on. Expanding
// an already expanded template changes nothing, so callers may pass either.
export function prepareTemplate(
  template: Template,
  parameters: ResolvedParameters,
  pseudo: PseudoParameters,
  known?: Record<string, boolean>,
): PreparedTemplate {
  // A deploy resolves each of its resources with the same inputs: the expansion is computed once
  // for them, not once per resource (which made a deploy with Count quadratic).
  const last = lastPrepared.get(template);
  if (last && known && last.parameters === parameters && last.pseudo === pseudo && last.prepared.conditions === known) return last.prepared;
  const conditions = known ?? evaluateConditions(template, parameters, pseudo);
  const prepared = { template: expandCount(template, { template, parameters, pseudo, conditions }), conditions };
  lastPrepared.set(template, { parameters, pseudo, prepared });
  return prepared;
}

const lastPrepared = new WeakMap<Template, { parameters: ResolvedParameters; pseudo: PseudoParameters; prepared: PreparedTemplate }>();

// A resource is created unless its Condition is false ("Resources" page, Condition).
export function isActive(template: Template, conditions: Record<string, boolean>, logicalId: string): boolean {
  const condition = own(template.Resources, logicalId)?.Condition;
  return condition === undefined || own(conditions, condition) === true;
}

export function planCreate(template: Template, parameters: ResolvedParameters, pseudo: PseudoParameters): DeployPlan {
  const steps = planCreateSteps(template, parameters, pseudo);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// planCreate, pausing (yielding) after each resource so that a driver can hand the event loop
// back while a large template is planned (stacks/run/sliced.ts).
export function* planCreateSteps(template: Template, parameters: ResolvedParameters, pseudo: PseudoParameters): Generator<void, DeployPlan> {
  const prepared = prepareTemplate(template, parameters, pseudo);
  const { conditions } = prepared;
  const expanded = prepared.template;
  const active = Object.keys(expanded.Resources).filter((id) => isActive(expanded, conditions, id));
  const activeSet = new Set(active);

  const graph: Graph = new Map();
  const resources: Record<string, PlannedResource> = {};
  for (const logicalId of active) {
    const def = expanded.Resources[logicalId]!;
    const referenced = referencedResources(expanded, logicalId, conditions);
    // Referring to a resource that is not created cannot be resolved, while DependsOn on it is
    // allowed: "The value of False does not affect resource creation" ("Resources" page).
    for (const name of referenced) if (!activeSet.has(name)) throw invalidReference(name, logicalId);
    const deps = [...new Set([...dependsOnList(def).filter((d) => activeSet.has(d)), ...referenced])];
    graph.set(logicalId, new Set(deps));
    setKey(resources, logicalId, {
      logicalId,
      type: def.Type,
      dependsOn: deps,
      deletionPolicy: def.DeletionPolicy ?? 'Delete',
      fault: readFaultInjection(logicalId, def),
    });
    yield;
  }
  return {
    template: expanded,
    conditions,
    resources,
    levels: yield* topologicalLevelsSteps(graph),
    omitted: Object.keys(expanded.Resources).filter((id) => !activeSet.has(id)),
  };
}

function evalContext(prepared: PreparedTemplate, ctx: StackContext, where: string): EvalContext {
  return {
    template: prepared.template,
    parameters: ctx.parameters,
    pseudo: ctx.pseudo,
    conditions: prepared.conditions,
    resources: resourceResolver(ctx.resources),
    where,
    stackOutputs: ctx.stackOutputs,
  };
}

export function resolveResourceProperties(template: Template, logicalId: string, ctx: StackContext): JsonObject {
  const prepared = prepareTemplate(template, ctx.parameters, ctx.pseudo, ctx.conditions);
  const def = own(prepared.template.Resources, logicalId);
  if (!def) throw invalidReference(logicalId, 'Resources');
  const result = evaluate(parentProperties(def), evalContext(prepared, ctx, logicalId));
  return withChildTemplate(def, isJsonObject(result) ? result : {});
}

export interface ResolveOutputsOptions {
  // 'omit' leaves out outputs that cannot be resolved (e.g. their resource was never created),
  // which is what a read API on a failed stack needs.
  onError?: 'throw' | 'omit';
}

export function resolveOutputs(template: Template, ctx: StackContext, options: ResolveOutputsOptions = {}): OutputItem[] {
  const prepared = prepareTemplate(template, ctx.parameters, ctx.pseudo, ctx.conditions);
  const items: OutputItem[] = [];
  for (const [key, output] of Object.entries(prepared.template.Outputs)) {
    if (output.Condition !== undefined && own(prepared.conditions, output.Condition) !== true) continue;
    let value;
    try {
      value = evaluate(output.Value, evalContext(prepared, ctx, `Outputs.${key}`));
    } catch (err) {
      if (options.onError === 'omit') continue;
      throw err;
    }
    if (value === NO_VALUE) continue;
    const item: OutputItem = { OutputKey: key, OutputValue: value };
    const description = plainText(output.Description);
    if (description !== undefined) item.Description = description;
    items.push(item);
  }
  return items;
}
