// Drift of a stack's resources (issue 12): a resource is checked against the properties its
// template gives it now; the control plane says whether it was changed outside ROS (MODIFIED,
// DELETED) and with which property values. A live resource the control plane never touched is
// IN_SYNC; one without a physical id (never created, or failed) cannot be checked.
import type { Db } from '../../store/db.ts';
import { stackDrift, type ResourceDriftResult } from '../../store/repos/stack-drift.ts';
import { stackResources, type StackResource } from '../../store/repos/stack-resources.ts';
import type { Stack } from '../../store/repos/stacks.ts';
import { isLive } from '../run/deploy-work.ts';
import { givenValues } from '../template/given-parameters.ts';
import type { TemplateLoader } from '../template/template-loader.ts';
import { resolveParameters, resolveResourceProperties, type JsonObject, type JsonValue, type ResourceState } from '../template/index.ts';
import { isJsonObject } from '../template/types.ts';

export interface PropertyDifference {
  PropertyPath: string;
  ExpectedValue?: string;
  ActualValue?: string;
  DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

// The resolved properties of each live resource, as its stack's template and parameters give them.
function expectedProperties(templates: TemplateLoader, stack: Stack, resources: readonly StackResource[]): (logicalId: string) => JsonObject {
  const template = templates.cached(stack.template_body);
  const pseudo = { StackName: stack.name, StackId: stack.id, Region: stack.region_id, AccountId: stack.account_id };
  const parameters = resolveParameters(template, givenValues(stack.parameters), pseudo).values;
  const states: Record<string, ResourceState> = Object.create(null);
  for (const r of resources.filter(isLive)) states[r.logical_resource_id] = { type: r.resource_type, physicalId: r.physical_resource_id!, attributes: r.attributes };
  return (logicalId) => {
    try {
      return resolveResourceProperties(template, logicalId, { parameters, pseudo, resources: states });
    } catch {
      // A resource its current template no longer resolves (kept by a failed update): nothing
      // is expected of it.
      return {};
    }
  };
}

// Properties found outside ROS replace the expected ones; a null removes one.
function actualProperties(expected: JsonObject, found: JsonObject | null): JsonObject {
  const actual: JsonObject = { ...expected };
  for (const [key, value] of Object.entries(found ?? {})) {
    if (value === null) delete actual[key];
    else actual[key] = value;
  }
  return actual;
}

const text = (v: JsonValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function propertyDifferences(expected: JsonObject, actual: JsonObject | null, path = ''): PropertyDifference[] {
  if (actual === null) return [];
  const out: PropertyDifference[] = [];
  const compare = (at: string, e: JsonValue | undefined, a: JsonValue | undefined, inList: boolean) => {
    if (e === undefined && a === undefined) return;
    if (a === undefined) out.push({ PropertyPath: at, ExpectedValue: text(e!), DifferenceType: 'REMOVE' });
    else if (e === undefined) out.push({ PropertyPath: at, ActualValue: text(a), DifferenceType: inList ? 'ADD' : 'NOT_EQUAL' });
    else if (isJsonObject(e) && isJsonObject(a)) out.push(...propertyDifferences(e, a, at));
    else if (Array.isArray(e) && Array.isArray(a)) {
      for (let i = 0; i < Math.max(e.length, a.length); i++) compare(`${at}/${i}`, e[i], a[i], true);
    } else if (JSON.stringify(e) !== JSON.stringify(a)) out.push({ PropertyPath: at, ExpectedValue: text(e), ActualValue: text(a), DifferenceType: 'NOT_EQUAL' });
  };
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) compare(`${path}/${key}`, expected[key], actual[key], false);
  return out;
}

// Checks the stack's live resources (or the ones named) and records each result; answers them.
export async function checkResources(db: Db, templates: TemplateLoader, stack: Stack, now: string, only?: readonly string[]): Promise<ResourceDriftResult[]> {
  const resources = await stackResources.list(db, stack.id);
  const expectedOf = expectedProperties(templates, stack, resources);
  const results: ResourceDriftResult[] = [];
  for (const input of await stackDrift.inputs(db, stack.id)) {
    if (input.physical_resource_id === null || (only && !only.includes(input.logical_resource_id))) continue;
    const expected = expectedOf(input.logical_resource_id);
    const result: ResourceDriftResult = {
      logical_resource_id: input.logical_resource_id,
      resource_type: input.resource_type,
      physical_resource_id: input.physical_resource_id,
      drift_status: input.drift ?? 'IN_SYNC',
      drift_detection_time: now,
      expected,
      actual: input.drift === 'DELETED' ? null : actualProperties(expected, input.drift === 'MODIFIED' ? input.drift_properties : null),
    };
    await stackDrift.record(db, stack.id, result);
    results.push(result);
  }
  return results;
}

export const isDrifted = (r: ResourceDriftResult): boolean => r.drift_status === 'MODIFIED' || r.drift_status === 'DELETED';
