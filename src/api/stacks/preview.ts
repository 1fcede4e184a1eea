// PreviewStack: what CreateStack (StackName) or UpdateStack (StackId) would do, checked as they
// check it, without creating or changing anything. Resources carry their template Properties as
// written (intrinsic functions unresolved: their values exist only once resources do).
import { timeOrderedId } from '../../store/time-ordered-id.ts';
import { stackResources } from '../../store/repos/stack-resources.ts';
import { isLive } from '../../stacks/run/deploy-work.ts';
import type { Parameter } from '../../engine/types.ts';
import { givenValues } from '../../stacks/template/given-parameters.ts';
import { pseudoOf } from '../../stacks/standalone/plan-run.ts';
import { checkPolicy } from '../../stacks/standalone/stack-policy.ts';
import { plainText } from '../../stacks/template/json.ts';
import { resolveTemplateSource, type TemplateSource } from '../../stacks/sources/template-source.ts';
import { diffTemplates, planCreate, resolveParameters } from '../../stacks/template/index.ts';
import { checkRegion, exactlyOne } from '../common.ts';
import type { Params } from '../action-params.ts';
import { requireStack } from '../stacks.ts';
import type { ActionTable, RequestContext } from '../types.ts';
import { DEFAULT_TIMEOUT_MINUTES } from '../../engine/types.ts';

async function previewStack(ctx: RequestContext, p: Params<'PreviewStack'>) {
  const regionId = p.RegionId;
  checkRegion('RegionId', regionId);
  const by = exactlyOne(p, ['StackName', 'StackId']);
  exactlyOne(p, ['TemplateBody', 'TemplateURL', 'TemplateId']);
  const { db } = ctx.services;
  const existing = by.name === 'StackId' ? await requireStack(db, ctx, regionId, by.value) : undefined;
  const body = (await resolveTemplateSource(db, ctx.accountId, p))!.body;
  let parameters = p.Parameters ?? [];
  if (existing && p.UsePreviousParameters === true) {
    const given = new Set(parameters.map((x) => x.ParameterKey));
    parameters = [...existing.parameters.filter((x) => !given.has(x.ParameterKey)), ...parameters];
  }
  // Without a stack, the value given is the new stack's name.
  const identity = existing ?? { id: timeOrderedId(), name: by.value, region_id: regionId, account_id: ctx.accountId };
  const pseudo = pseudoOf(identity);
  const template = ctx.services.templates.cached(body);
  const { values, maskedParameters } = resolveParameters(template, givenValues(parameters), pseudo);
  const plan = planCreate(template, values, pseudo);
  const requiredBy = (id: string) => Object.values(plan.resources).filter((r) => r.dependsOn.includes(id)).map((r) => r.logicalId);
  // For an existing stack: Add what it lacks, Modify what changed, Remove what goes.
  let action = (_id: string): string | undefined => 'Add';
  let removed: string[] = [];
  if (existing) {
    const live = new Set((await stackResources.list(db, existing.id)).filter(isLive).map((r) => r.logical_resource_id));
    const held = ctx.services.templates.cached(existing.template_body);
    const heldValues = resolveParameters(held, givenValues(existing.parameters), pseudo).values;
    const modify = new Set(diffTemplates(held, heldValues, template, values, pseudo).modify);
    action = (id) => (!live.has(id) ? 'Add' : modify.has(id) ? 'Modify' : undefined);
    removed = [...live].filter((id) => !Object.hasOwn(plan.resources, id));
  }
  const resources = plan.levels.flat().flatMap((id) => {
    const act = action(id);
    if (!act) return [];
    const def = plan.template.Resources[id]!;
    return [{ LogicalResourceId: id, ResourceType: def.Type, Action: act, Description: plainText(def.Description), Properties: def.Properties ?? {}, RequiredBy: requiredBy(id) }];
  });
  const description = plainText(template.Description);
  return {
    Stack: {
      StackName: identity.name,
      RegionId: regionId,
      Description: description ?? 'No description',
      TemplateDescription: description,
      DisableRollback: p.DisableRollback ?? existing?.disable_rollback ?? false,
      TimeoutInMinutes: p.TimeoutInMinutes ?? existing?.timeout_in_minutes ?? DEFAULT_TIMEOUT_MINUTES,
      Parameters: maskedParameters,
      Resources: [...resources, ...removed.map((id) => ({ LogicalResourceId: id, Action: 'Remove' }))],
      ...(p.StackPolicyBody !== undefined ? { StackPolicyBody: JSON.parse(checkPolicy(p.StackPolicyBody, 'StackPolicyBody')) } : {}),
    },
  };
}

export const stackPreviewActions: ActionTable = { PreviewStack: { handle: previewStack } };
