// What ValidateTemplate and GetTemplateSummary return about a template (ros-api.md §5.22, §5.23).
// Parameter items follow the documented examples: every template setting of the parameter, plus
// ParameterKey, Label (defaulting to the key), Description (defaulting to "") and NoEcho as the
// string "true"/"false"; "No description" stands in for a missing template Description.
// Fields the SDK models as strings (the template's and the outputs' Description and Label) are
// strings even when the template gives a language map; parameter items are free-form maps in the
// SDK and keep the template's settings as written.
import { plainText, setKey } from './json.ts';
import { isNoEcho, numericSetting } from './parameter-types.ts';
import { isDataSourceType, resourceTypeSpec } from './resource-types.ts';
import type { JsonObject, JsonValue, ParameterDef, Template } from './types.ts';

export interface ParameterSummary {
  ParameterKey: string;
  [setting: string]: JsonValue;
}

export interface ValidateTemplateResult {
  Description: string;
  Parameters: ParameterSummary[];
  Outputs: Array<{ OutputKey: string; Description?: string; Label?: string }>;
  ResourceTypes: { Resources: string[]; DataSources: string[] };
  Resources: Array<{ LogicalResourceIdPattern: string; ResourceType: string; ResourcePath: string }>;
}

export interface TemplateSummary {
  Description: string;
  Metadata: JsonObject;
  Parameters: ParameterSummary[];
  ResourceTypes: string[];
  ResourceIdentifierSummaries: Array<{ ResourceType: string; LogicalResourceIds: string[]; ResourceIdentifiers: string[] }>;
  Version: string;
}

const NUMERIC_SETTINGS = new Set(['MinLength', 'MaxLength', 'MinValue', 'MaxValue']);

function parameterSummary(key: string, def: ParameterDef): ParameterSummary {
  const item: ParameterSummary = { ParameterKey: key, Label: key, Description: '' };
  for (const [setting, value] of Object.entries(def)) {
    if (value === undefined) continue;
    setKey(item, setting, NUMERIC_SETTINGS.has(setting) ? (numericSetting(value) ?? value) : value);
  }
  item.NoEcho = isNoEcho(def) ? 'true' : 'false';
  return item;
}

const parameterSummaries = (template: Template): ParameterSummary[] =>
  Object.entries(template.Parameters).map(([key, def]) => parameterSummary(key, def));

const description = (template: Template): string => plainText(template.Description) ?? 'No description';

function uniqueTypes(template: Template): string[] {
  return [...new Set(Object.values(template.Resources).map((def) => def.Type))];
}

export function validateTemplateResult(template: Template): ValidateTemplateResult {
  const types = uniqueTypes(template);
  return {
    Description: description(template),
    Parameters: parameterSummaries(template),
    Outputs: Object.entries(template.Outputs).map(([key, output]) => {
      const item: ValidateTemplateResult['Outputs'][number] = { OutputKey: key };
      const text = plainText(output.Description);
      const label = plainText(output.Label);
      if (text !== undefined) item.Description = text;
      if (label !== undefined) item.Label = label;
      return item;
    }),
    ResourceTypes: { Resources: types.filter((t) => !isDataSourceType(t)), DataSources: types.filter(isDataSourceType) },
    // A resource with Count stands for A[0], A[1], ...: the pattern names them all.
    Resources: Object.entries(template.Resources).map(([logicalId, def]) => ({
      LogicalResourceIdPattern: def.Count === undefined ? logicalId : `${logicalId}[*]`,
      ResourceType: def.Type,
      ResourcePath: logicalId,
    })),
  };
}

export function templateSummary(template: Template): TemplateSummary {
  const identifiable = new Map<string, string[]>();
  for (const [logicalId, def] of Object.entries(template.Resources)) {
    if (!resourceTypeSpec(def.Type)?.identifiers) continue;
    identifiable.set(def.Type, [...(identifiable.get(def.Type) ?? []), logicalId]);
  }
  return {
    Description: description(template),
    Metadata: template.Metadata ?? {},
    Parameters: parameterSummaries(template),
    ResourceTypes: uniqueTypes(template),
    ResourceIdentifierSummaries: [...identifiable].map(([type, ids]) => ({
      ResourceType: type,
      LogicalResourceIds: ids,
      ResourceIdentifiers: [...resourceTypeSpec(type)!.identifiers!],
    })),
    Version: template.ROSTemplateFormatVersion,
  };
}
