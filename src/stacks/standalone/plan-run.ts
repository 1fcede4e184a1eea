// What one operation of a standalone stack deploys: the simulation input (simulate.ts) built from
// the stack as stored, its resources and its pending operation. Pure: the engine
// (src/engine/stack-operations.ts) reads, claims faults, sleeps and writes around it.
import { ApiError } from '../../protocol/errors.ts';
import type { StackResource } from '../../store/repos/stack-resources.ts';
import type { PendingOperation, Stack } from '../../store/repos/stacks.ts';
import { createPhases, deletePhases, updatePhases } from '../run/deploy-work.ts';
import type { DeployedTemplate, SimulationInput } from '../run/deployment.ts';
import { givenValues } from '../template/given-parameters.ts';
import { heldTemplate } from '../template/held-template.ts';
import type { TemplateLoader } from '../template/template-loader.ts';
import { diffTemplates, planCreateSteps, resolveParameters, type PseudoParameters } from '../template/index.ts';
import { runSliced } from '../run/sliced.ts';

export const pseudoOf = (stack: Pick<Stack, 'id' | 'name' | 'region_id' | 'account_id'>): PseudoParameters => ({
  StackName: stack.name,
  StackId: stack.id,
  Region: stack.region_id,
  AccountId: stack.account_id,
});


// DeleteStack's RetainAllResources / RetainResources: the kept resources leave the stack as a
// `DeletionPolicy: Retain` resource does.
function retained(resources: StackResource[], retain: PendingOperation['retain']): StackResource[] {
  if (!retain) return resources;
  const keep = retain === 'ALL' ? undefined : new Set(retain);
  return resources.map((r) => (!keep || keep.has(r.logical_resource_id) ? { ...r, deletion_policy: 'Retain' } : r));
}

export function planStackRun(templates: TemplateLoader, stack: Stack, op: PendingOperation, resources: StackResource[]): SimulationInput {
  const steps = planStackRunSteps(templates, stack, op, resources);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

// The same, planned in slices that hand the event loop back (run/sliced.ts): a large template
// takes tens of milliseconds to plan (issue 18).
export const planStackRunSliced = (templates: TemplateLoader, stack: Stack, op: PendingOperation, resources: StackResource[]): Promise<SimulationInput> =>
  runSliced(planStackRunSteps(templates, stack, op, resources));

function* planStackRunSteps(templates: TemplateLoader, stack: Stack, op: PendingOperation, resources: StackResource[]): Generator<void, SimulationInput> {
  const pseudo = pseudoOf(stack);
  const base = { stackId: stack.id, stackName: stack.name, pseudo };
  if (op.kind === 'DELETE') {
    const existing = retained(resources, op.retain);
    return { ...base, action: 'DELETE', target: heldTemplate(templates, stack.template_body, stack.parameters, pseudo), existing, phases: deletePhases(existing), disableRollback: true };
  }
  const template = templates.cached(op.templateBody);
  const { values } = resolveParameters(template, givenValues(op.parameters), pseudo);
  const plan = yield* planCreateSteps(template, values, pseudo);
  const target: DeployedTemplate = { template: plan.template, conditions: plan.conditions, parameters: values, planned: plan.resources };
  const common = { ...base, target, disableRollback: op.disableRollback };
  if (op.kind === 'CREATE') return { ...common, action: 'CREATE', existing: [], phases: createPhases(plan) };
  // ContinueCreateStack creates what the failed create left out and leaves the rest alone.
  if (op.kind === 'CONTINUE') return { ...common, action: 'CREATE', existing: resources, phases: updatePhases(plan, new Set(), resources) };
  const previous = heldTemplate(templates, stack.template_body, stack.parameters, pseudo);
  let modified: Set<string> | undefined;
  try {
    modified = previous && new Set(diffTemplates(previous.template, previous.parameters, template, values, pseudo).modify);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  return { ...common, action: 'UPDATE', previous, existing: resources, phases: updatePhases(plan, modified, resources) };
}
