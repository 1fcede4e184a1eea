// The Changes of a change set (GetChangeSet), in the JSON-changes structure of the ROS user
// guide ("Data structures" of change sets): one `{ Type: 'Resource', ResourceChange }` per
// resource the change set would add, modify or remove. Pure: computed once, when the change set
// is created, from the template and values it carries and the stack as it is then.
import type { Parameter } from '../../engine/types.ts';
import type { StackResource } from '../../store/repos/stack-resources.ts';
import { isLive } from '../run/deploy-work.ts';
import { givenValues } from '../template/given-parameters.ts';
import type { TemplateLoader } from '../template/template-loader.ts';
import { diffTemplates, planCreate, resolveParameters, type PseudoParameters } from '../template/index.ts';
import type { ResourceChange as Diffed } from '../template/diff.ts';

export interface Change {
  Type: 'Resource';
  ResourceChange: {
    Action: 'Add' | 'Modify' | 'Remove';
    LogicalResourceId: string;
    PhysicalResourceId?: string;
    ResourceType: string;
    Replacement?: 'True' | 'False';
    Scope?: string[];
    Details?: unknown[];
  };
}

export interface ComputedChangeSet {
  changes: Change[];
  // The values as GetChangeSet shows them (defaults, pseudo parameters, NoEcho masked).
  shownParameters: Parameter[];
}

export interface HeldStack {
  templateBody: string;
  parameters: Parameter[];
  resources: StackResource[];
}

// A changed type replaces the resource (delete, then create); every other change is made in
// place, as the stack engine does [INF].
function modification(change: Diffed, physicalId: string | undefined): Change {
  const scope = [...(change.changedProperties.length ? ['Properties'] : []), ...(change.metadataChanged ? ['Metadata'] : [])];
  const recreation = change.replacement ? 'Always' : 'Never';
  const details = [
    ...change.changedProperties.map((name) => ({ Attribute: 'Properties', Name: name })),
    ...(change.metadataChanged ? [{ Attribute: 'Metadata' }] : []),
  ].map((target) => ({ ChangeSource: 'DirectModification', Evaluation: 'Static', Target: { ...target, RequiresRecreation: recreation } }));
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: change.logicalId,
      ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
      ResourceType: change.resourceType,
      Replacement: change.replacement ? 'True' : 'False',
      Scope: scope,
      Details: details,
    },
  };
}

// Throws the template's ApiError when the template or the values are refused.
export function computeChangeSet(templates: TemplateLoader, templateBody: string, parameters: Parameter[], pseudo: PseudoParameters, held: HeldStack | undefined): ComputedChangeSet {
  const template = templates.cached(templateBody);
  const { values, maskedParameters } = resolveParameters(template, givenValues(parameters), pseudo);
  const plan = planCreate(template, values, pseudo);
  const add = (logicalId: string): Change => ({
    Type: 'Resource',
    ResourceChange: { Action: 'Add', LogicalResourceId: logicalId, ResourceType: plan.template.Resources[logicalId]!.Type },
  });
  if (!held) return { changes: plan.levels.flat().map(add), shownParameters: maskedParameters };
  // Resources of the stack that do not exist (a failed create left them out) are added again.
  const live = new Map(held.resources.filter(isLive).map((r) => [r.logical_resource_id, r]));
  const before = templates.cached(held.templateBody);
  const beforeValues = resolveParameters(before, givenValues(held.parameters), pseudo).values;
  const diff = new Map(diffTemplates(before, beforeValues, template, values, pseudo).changes.map((c) => [c.logicalId, c]));
  const changes = plan.levels.flat().flatMap((id): Change[] => {
    const resource = live.get(id);
    if (!resource) return [add(id)];
    const change = diff.get(id);
    return change?.action === 'Modify' ? [modification(change, resource.physical_resource_id ?? undefined)] : [];
  });
  for (const [id, resource] of live) {
    if (Object.hasOwn(plan.resources, id)) continue;
    changes.push({
      Type: 'Resource',
      ResourceChange: { Action: 'Remove', LogicalResourceId: id, PhysicalResourceId: resource.physical_resource_id!, ResourceType: resource.resource_type },
    });
  }
  return { changes, shownParameters: maskedParameters };
}
