// One target's stack action, as the executor drives it: opened from the database (the template
// is checked and the work planned; a template the stack service would refuse rejects the action
// before any stack exists), begun (the stack shows *_IN_PROGRESS), then finished on a virtual
// clock (simulate.ts). Only `begin` writes (batched with the other targets beginning at the same
// moment) and it is idempotent: a target run again after a crash finds its stack IN_PROGRESS and
// carries on with it. Everything else the action leaves is written by apply.ts.
import { randomUUID } from 'node:crypto';
import { rosTime } from '../../engine/clock.ts';
import type { TargetAction } from '../../engine/fault-registry.ts';
import type { Parameter } from '../../engine/types.ts';
import { ApiError } from '../../protocol/errors.ts';
import type { Db } from '../../store/db.ts';
import { stackInstances } from '../../store/repos/stack-instances.ts';
import { stacks } from '../../store/repos/stacks.ts';
import { effectiveParameters, givenValues } from '../template/given-parameters.ts';
import { createPhases, deletePhases, updatePhases } from './deploy-work.ts';
import { heldTemplate } from '../template/held-template.ts';
import { loadRunContext, type OperationReads, type RunContext } from './run-context.ts';
import { startedReason, timeoutReason, type DeployedTemplate, type Deployment, type SimulationInput, type StackAction, type Timing } from './deployment.ts';
import { simulateSliced } from './simulate.ts';
import { handBack, inSlice, Slice } from './sliced.ts';
import type { TemplateLoader } from '../template/template-loader.ts';
import { submitWrite } from './write-batch.ts';
import { packEventsAhead, writeResourcesAhead, writesAhead } from './write-ahead.ts';
import { timeOrderedId } from '../../store/time-ordered-id.ts';
import { diffTemplates, planCreateSteps, resolveParameters, type PseudoParameters, type ResolvedParameters, type StackOutputLookup, type Template } from '../template/index.ts';
import { stackOutputLookup } from './stack-outputs.ts';
import { jqReadyFor } from '../template/jq.ts';
import { NESTED_STACK_TYPE } from '../template/nested-stack.ts';
import { loadChildTree } from '../standalone/child-stacks-store.ts';
import { fetchNestedSources, type NestedSources } from '../standalone/nested-sources.ts';
import { NestedStacks, type ChildStack } from '../standalone/nested-stacks.ts';

// What a finished stack action leaves for apply.ts to write.
export type StackEffect =
  | {
      kind: 'deployed';
      action: StackAction;
      stackId: string;
      stackName: string;
      templateBody: string;
      parameters: Parameter[];
      deployment: Deployment;
      // The stack holds deployment.resources already (write-ahead.ts): only the rest is written.
      resourcesWritten?: true;
      // deployment.events packed ahead, a row at a time (write-ahead.ts).
      packedEvents?: readonly string[];
      // What the action did to the stack's nested stacks (standalone/nested-stacks.ts).
      children?: ChildStack[];
    }
  // The stack service refused the action (e.g. an override the template does not accept): no
  // stack was created or changed.
  | { kind: 'rejected' };

// How one target's action ended; `drift` is what a DETECT_DRIFT target found.
export type Outcome = ({ ok: true; drift?: 'DRIFTED' | 'IN_SYNC' } | { ok: false; reason: string }) & { stack?: StackEffect };

export interface StackRun {
  begin(atMs: number): Promise<void>;
  finish(timing: Timing): Promise<{ durationMs: number; outcome: Outcome }>;
  // Once the action's time has passed, before its result is written: writes what a large
  // action leaves ahead, in small transactions (write-ahead.ts); answers the outcome to record.
  settle(outcome: Outcome): Promise<Outcome>;
}

const settled = async (outcome: Outcome): Promise<Outcome> => outcome;

// No stack to act on (a retained or missing stack, drift detection): only time and faults count.
function plainRun(action: string): StackRun {
  return {
    begin: async () => undefined,
    settle: settled,
    finish: async (t) => {
      const total = t.faultDelayMs + t.stackOperationMs;
      if (total > t.timeoutMs) return { durationMs: t.timeoutMs, outcome: { ok: false, reason: timeoutReason(action, t.timeoutMs) } };
      return { durationMs: total, outcome: t.failMessage === undefined ? { ok: true } : { ok: false, reason: t.failMessage } };
    },
  };
}

function rejectedRun(reason: string): StackRun {
  return { begin: async () => undefined, settle: settled, finish: async () => ({ durationMs: 0, outcome: { ok: false, reason, stack: { kind: 'rejected' } } }) };
}

function pseudoOf(ctx: RunContext, stackId: string, stackName: string): PseudoParameters {
  return { StackName: stackName, StackId: stackId, Region: ctx.instance.region_id, AccountId: ctx.instance.account_id };
}


// The resources whose definition changed; undefined (everything is updated) when the stack's
// previous template cannot be compared.
function modifiedSince(previous: DeployedTemplate, template: Template, values: ResolvedParameters, pseudo: PseudoParameters): Set<string> | undefined {
  try {
    return new Set(diffTemplates(previous.template, previous.parameters, template, values, pseudo).modify);
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

interface RunSubject {
  action: StackAction;
  stackId: string;
  stackName: string;
  templateBody: string;
  parameters: Parameter[];
}

// Marks the stack *_IN_PROGRESS, creating it (and linking it to the instance) on a first create,
// so that it is visible while the action runs. The action's events, the "started" one included,
// are written with its result. A target run again after a crash finds its stack so already.
async function beginStack(db: Db, ctx: RunContext, s: RunSubject, atMs: number): Promise<void> {
  const { op } = ctx;
  const status = `${s.action}_IN_PROGRESS`;
  if (ctx.stack?.status === status && ctx.stack.operation_id === op.id) return;
  const key = { accountId: ctx.instance.account_id, regionId: ctx.instance.region_id };
  const time = rosTime(atMs);
  await submitWrite(db, async (tx) => {
    if (ctx.stack) {
      await stacks.start(tx, s.stackId, status, startedReason(s.action), op.id, time);
      return;
    }
    const created = await stacks.insertForInstance(tx, {
      id: s.stackId,
      account_id: key.accountId,
      region_id: key.regionId,
      name: s.stackName,
      status,
      status_reason: startedReason(s.action),
      group_id: op.group_id,
      template_body: s.templateBody,
      parameters: s.parameters,
      outputs: [],
      create_time: time,
      update_time: null,
      disable_rollback: op.run_spec.disableRollback,
      timeout_in_minutes: op.run_spec.timeoutInMinutes,
      operation_id: op.id,
    });
    if (created) await stackInstances.setDeployed(tx, op.group_id, key, ctx.instance.status, ctx.instance.status_reason, s.stackId);
  });
}

// The child stacks below a stack and the templates its nested stacks name by TemplateURL, read
// before its action; undefined when the template has no nested stack (most have none: nothing
// is read for them).
interface NestedInputs {
  templates: TemplateLoader;
  stored: Awaited<ReturnType<typeof loadChildTree>>;
  sources: NestedSources;
}

// Asked once per target of a rollout: answered once per (cached) template.
const nestedStackTemplates = new WeakMap<Template, boolean>();
function hasNestedStacks(template: Template): boolean {
  let has = nestedStackTemplates.get(template);
  if (has === undefined) nestedStackTemplates.set(template, (has = Object.values(template.Resources).some((r) => r.Type === NESTED_STACK_TYPE)));
  return has;
}

async function nestedInputs(deps: StackRunDeps, operationId: string, stackId: string | undefined, templateBody: string, action: StackAction): Promise<NestedInputs | undefined> {
  let template: Template;
  try {
    template = deps.templates.cached(templateBody);
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
  if (!hasNestedStacks(template)) return undefined;
  const stored = stackId ? await loadChildTree(deps.db, stackId) : new Map();
  const sources = action === 'DELETE' ? {} : await deps.operations.nestedSources(operationId, () => fetchNestedSources(deps.templates, templateBody));
  return { templates: deps.templates, stored, sources };
}

// `slice`: the one the action was planned in, which its simulation goes on in (sliced.ts).
function simulatedRun(db: Db, ctx: RunContext, subject: RunSubject, input: SimulationInput, slice: Slice, nestedFrom?: NestedInputs): StackRun {
  // Begun once: by a hold, by an action that takes time, or to hold resources written ahead.
  let begun: Promise<void> | undefined;
  const begin = (atMs: number) => (begun ??= beginStack(db, ctx, subject, atMs));
  let startMs = 0;
  return {
    begin,
    settle: async (outcome) => {
      const stack = outcome.stack;
      if (stack?.kind !== 'deployed' || !writesAhead(stack.action, stack.deployment.resources.length, ctx.resources.length)) return outcome;
      await begin(startMs);
      if (!(await writeResourcesAhead(db, stack.stackId, stack.deployment.resources))) return outcome;
      return { ...outcome, stack: { ...stack, resourcesWritten: true, packedEvents: await packEventsAhead(stack.deployment.events) } };
    },
    finish: async (timing) => {
      startMs = timing.startMs;
      const children = new Map<string, ChildStack>();
      const parent = {
        id: subject.stackId,
        name: subject.stackName,
        region_id: ctx.instance.region_id,
        account_id: ctx.instance.account_id,
        timeout_in_minutes: ctx.op.run_spec.timeoutInMinutes,
        resource_group_id: null,
      };
      const nested = nestedFrom && new NestedStacks(parent, { ...nestedFrom, startMs: timing.startMs, timeoutMs: timing.timeoutMs, children });
      const deployment = await simulateSliced(nested ? { ...input, nested } : input, timing, slice);
      const stack: StackEffect = { kind: 'deployed', ...subject, deployment, ...(children.size ? { children: [...children.values()] } : {}) };
      const outcome: Outcome = deployment.ok ? { ok: true, stack } : { ok: false, reason: deployment.statusReason, stack };
      return { durationMs: deployment.durationMs, outcome };
    },
  };
}

// A stack is created when the instance has none (or only the one a crashed create began);
// otherwise it is updated, whatever state an earlier action left it in.
async function deployRun(deps: StackRunDeps, ctx: RunContext, stackOutputs: StackOutputLookup | undefined): Promise<StackRun> {
  const { db, templates } = deps;
  const { op, stack } = ctx;
  const action: StackAction = !stack || stack.status === 'CREATE_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  const stackId = stack?.id ?? timeOrderedId();
  const stackName = stack?.name ?? `StackGroup-${ctx.groupName}-${randomUUID().slice(0, 8)}`;
  const pseudo = pseudoOf(ctx, stackId, stackName);
  const parameters = effectiveParameters(op.run_spec.parameters, ctx.instance.parameter_overrides);
  // Read off the event loop and validated in slices when not cached (a server restarted during
  // an operation, a YAML template).
  const template = await templates.checked(op.run_spec.templateBody);
  const { values } = resolveParameters(template, givenValues(parameters), pseudo);
  // Planned in slices: a large template takes tens of milliseconds to plan. The target has
  // handed the event loop back already (openStackRun, its instance's read): the first slice
  // starts at once.
  const slice = new Slice();
  const plan = await inSlice(planCreateSteps(template, values, pseudo), slice);
  const target: DeployedTemplate = { template: plan.template, conditions: plan.conditions, parameters: values, planned: plan.resources };
  const subject: RunSubject = { action, stackId, stackName, templateBody: op.run_spec.templateBody, parameters };
  const common = { action, stackId, stackName, pseudo, target, disableRollback: op.run_spec.disableRollback, stackOutputs };
  const nested = await nestedInputs(deps, op.id, stack?.id, op.run_spec.templateBody, action);
  if (action === 'CREATE') return simulatedRun(db, ctx, subject, { ...common, existing: [], phases: createPhases(plan) }, slice, nested);
  const previous = heldTemplate(templates, stack!.template_body, stack!.parameters, pseudo);
  const modified = previous && modifiedSince(previous, template, values, pseudo);
  return simulatedRun(db, ctx, subject, { ...common, previous, existing: ctx.resources, phases: updatePhases(plan, modified, ctx.resources) }, slice, nested);
}

async function deleteRun(deps: StackRunDeps, ctx: RunContext): Promise<StackRun> {
  const { db, templates } = deps;
  const stack = ctx.stack!;
  const pseudo = pseudoOf(ctx, stack.id, stack.name);
  const subject: RunSubject = { action: 'DELETE', stackId: stack.id, stackName: stack.name, templateBody: stack.template_body, parameters: stack.parameters };
  return simulatedRun(db, ctx, subject, {
    action: 'DELETE',
    stackId: stack.id,
    stackName: stack.name,
    pseudo,
    target: heldTemplate(templates, stack.template_body, stack.parameters, pseudo),
    existing: ctx.resources,
    phases: deletePhases(ctx.resources),
    // A failed delete is never rolled back.
    disableRollback: true,
  }, new Slice(), await nestedInputs(deps, ctx.op.id, stack.id, stack.template_body, 'DELETE'));
}

// What opening a stack run needs of the engine that owns it.
export interface StackRunDeps {
  db: Db;
  templates: TemplateLoader;
  operations: OperationReads;
}

export async function openStackRun(deps: StackRunDeps, target: TargetAction): Promise<StackRun> {
  // A target is launched in the same turn as the request that started its operation (the
  // engine's first step follows it on setImmediate, before any other request is read): reading
  // and preparing a large stack's action after one more turn keeps that turn short (issue 18).
  // Once its operation is read, the target's next read (its instance, with the other targets'
  // at the next turn: run-context.ts) hands the event loop back by itself.
  if (!deps.operations.has(target.operationId)) await handBack();
  const { db, templates } = deps;
  const op = await deps.operations.get(db, target.operationId);
  // Drift detection, stack import and deletes that retain their stacks change no stack: they
  // only take the simulated time, and need nothing more from the database.
  if (!op || op.action === 'DETECT_DRIFT' || op.run_spec.adoptStacks || (op.action === 'DELETE' && op.retain_stacks === true)) {
    return plainRun(target.action);
  }
  const ctx = await loadRunContext(db, deps.operations, op, target);
  if (!ctx) return plainRun(target.action);
  // Fn::Jq's engine compiles without blocking the server, before any evaluation needs it.
  await jqReadyFor(ctx.op.run_spec.templateBody);
  if (ctx.stack) {
    await jqReadyFor(ctx.stack.template_body);
    // The template the stack holds, read back for an update or delete, without holding the event loop.
    await templates.prepare(ctx.stack.template_body);
  }
  if (ctx.op.action === 'DELETE') return ctx.stack ? await deleteRun(deps, ctx) : plainRun('DELETE');
  const stackOutputs = await stackOutputLookup(db, ctx.instance.account_id, ctx.op.run_spec.templateBody);
  try {
    return await deployRun(deps, ctx, stackOutputs);
  } catch (e) {
    if (e instanceof ApiError) return rejectedRun(e.message);
    throw e;
  }
}
