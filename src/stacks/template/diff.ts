// What an update changes: resources to add, modify, delete or leave alone. Properties are compared
// after resolution, with references to other resources kept symbolic (their physical ids are not
// known before the update runs), so a changed parameter that flows into a property is a change
// and a reformatted template that resolves to the same values is not.
import { ApiError } from '../../protocol/errors.ts';
import { isActive, prepareTemplate } from './deploy-plan.ts';
import { evaluate, type EvalContext, type ResourceResolver } from './evaluate.ts';
import { canonicalJson, setKey } from './json.ts';
import { referencedNames } from './references.ts';
import { isJsonObject, type JsonObject, type JsonValue, type PseudoParameters, type ResolvedParameters, type Template } from './types.ts';

export interface ResourceChange {
  logicalId: string;
  action: 'Add' | 'Modify' | 'Remove';
  resourceType: string;
  // The type changed, so the resource is deleted and created again.
  replacement: boolean;
  // Top-level property names whose resolved value differs.
  changedProperties: string[];
  metadataChanged: boolean;
}

export interface TemplateDiff {
  add: string[];
  modify: string[];
  delete: string[];
  unchanged: string[];
  changes: ResourceChange[];
}

interface Snapshot {
  type: string;
  properties: Record<string, string>;
  metadata: string;
}

const symbolic: ResourceResolver = {
  ref: (logicalId) => `{{Ref ${logicalId}}}`,
  getAtt: (logicalId, attribute) => `{{GetAtt ${logicalId}.${attribute}}}`,
};

// When a property cannot be resolved symbolically (e.g. Fn::Select over an attribute list), the
// raw expression plus the values of the parameters it uses stand in for its value.
function propertyFingerprint(value: JsonValue, ctx: EvalContext): string {
  try {
    return canonicalJson(evaluate(value, ctx) as JsonValue);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const used: JsonObject = {};
    for (const name of referencedNames(value)) if (Object.hasOwn(ctx.parameters, name)) setKey(used, name, ctx.parameters[name]!);
    return canonicalJson({ expression: value, parameters: used });
  }
}

function snapshot(template: Template, parameters: ResolvedParameters, pseudo: PseudoParameters): Map<string, Snapshot> {
  const prepared = prepareTemplate(template, parameters, pseudo);
  const out = new Map<string, Snapshot>();
  for (const [logicalId, def] of Object.entries(prepared.template.Resources)) {
    if (!isActive(prepared.template, prepared.conditions, logicalId)) continue;
    const ctx: EvalContext = { template: prepared.template, parameters, pseudo, conditions: prepared.conditions, resources: symbolic, where: logicalId };
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries(isJsonObject(def.Properties) ? def.Properties : {})) {
      setKey(properties, key, propertyFingerprint(value, ctx));
    }
    out.set(logicalId, { type: def.Type, properties, metadata: canonicalJson(def.Metadata ?? {}) });
  }
  return out;
}

function changedKeys(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => before[key] !== after[key]);
}

export function diffTemplates(
  oldTemplate: Template,
  oldParameters: ResolvedParameters,
  newTemplate: Template,
  newParameters: ResolvedParameters,
  pseudo: PseudoParameters,
): TemplateDiff {
  const before = snapshot(oldTemplate, oldParameters, pseudo);
  const after = snapshot(newTemplate, newParameters, pseudo);
  const diff: TemplateDiff = { add: [], modify: [], delete: [], unchanged: [], changes: [] };
  for (const [logicalId, next] of after) {
    const previous = before.get(logicalId);
    if (!previous) {
      diff.add.push(logicalId);
      diff.changes.push({ logicalId, action: 'Add', resourceType: next.type, replacement: false, changedProperties: Object.keys(next.properties), metadataChanged: false });
      continue;
    }
    const replacement = previous.type !== next.type;
    const changedProperties = changedKeys(previous.properties, next.properties);
    const metadataChanged = previous.metadata !== next.metadata;
    if (replacement || changedProperties.length > 0 || metadataChanged) {
      diff.modify.push(logicalId);
      diff.changes.push({ logicalId, action: 'Modify', resourceType: next.type, replacement, changedProperties, metadataChanged });
    } else {
      diff.unchanged.push(logicalId);
    }
  }
  for (const [logicalId, previous] of before) {
    if (after.has(logicalId)) continue;
    diff.delete.push(logicalId);
    diff.changes.push({ logicalId, action: 'Remove', resourceType: previous.type, replacement: false, changedProperties: [], metadataChanged: false });
  }
  return diff;
}
