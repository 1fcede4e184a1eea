// The registered MODULE types as ListResourceTypes, GetResourceType and GetResourceTypeTemplate
// show them: properties are the module's parameters, attributes its outputs.
import { ApiError } from '../protocol/errors.ts';
import { plainText } from '../stacks/template/json.ts';
import { parseTemplate } from '../stacks/template/parse.ts';
import type { JsonObject, Template } from '../stacks/template/types.ts';
import type { Db } from '../store/db.ts';
import { moduleVersions, type ModuleVersion } from '../store/repos/modules.ts';

export async function registeredModules(db: Db, accountId: string): Promise<string[]> {
  return [...new Set((await moduleVersions.all(db, accountId)).map((v) => v.resource_type))].sort();
}

const versionId = (v: ModuleVersion) => `v${v.version_number}`;

// The version asked for, else the default one.
async function moduleVersion(db: Db, accountId: string, type: string, id: string | undefined): Promise<{ version: ModuleVersion; versions: ModuleVersion[] }> {
  const versions = await moduleVersions.ofType(db, accountId, type);
  if (!versions.length) throw new ApiError('ResourceTypeNotFound', { type });
  const version = id === undefined ? versions.find((v) => v.is_default) : versions.find((v) => versionId(v) === id);
  if (!version) throw new ApiError('ResourceTypeVersionNotFound', { type, version: id ?? 'default' });
  return { version, versions };
}

const withDescription = (out: JsonObject, description: string | undefined): JsonObject => (description === undefined ? out : { ...out, Description: description });

function moduleProperties(module: Template): JsonObject {
  return Object.fromEntries(
    Object.entries(module.Parameters).map(([name, def]) => [name, withDescription({ Type: def.Type, Required: def.Default === undefined }, plainText(def.Description))]),
  );
}

function moduleAttributes(module: Template): JsonObject {
  return Object.fromEntries(Object.entries(module.Outputs).map(([name, out]) => [name, withDescription({}, plainText(out.Description))]));
}

export async function describeModule(db: Db, accountId: string, type: string, id: string | undefined) {
  const { version, versions } = await moduleVersion(db, accountId, type, id);
  const module = parseTemplate(version.template_body);
  return {
    ResourceType: type,
    EntityType: 'Module',
    Provider: 'Self',
    ...(version.description === null ? {} : { Description: version.description }),
    DefaultVersionId: versionId(versions.find((v) => v.is_default)!),
    LatestVersionId: versionId(versions[versions.length - 1]),
    IsDefaultVersion: version.is_default === 1,
    TotalVersionCount: versions.length,
    TemplateBody: version.template_body,
    Properties: moduleProperties(module),
    Attributes: moduleAttributes(module),
    CreateTime: version.create_time,
    UpdateTime: version.update_time,
    SupportDriftDetection: false,
    SupportScratchDetection: false,
  };
}

// A template that uses the module: its required parameters as the template's, its outputs read
// back through Fn::GetAtt [INF: the shape of the catalogue types' sample templates].
export async function moduleTypeTemplate(db: Db, accountId: string, type: string, id: string | undefined) {
  const { version } = await moduleVersion(db, accountId, type, id);
  const module = parseTemplate(version.template_body);
  const logicalId = type.split('::').pop()!;
  const required = Object.entries(module.Parameters).filter(([, def]) => def.Default === undefined);
  const body: JsonObject = {
    ROSTemplateFormatVersion: '2015-09-01',
    Parameters: Object.fromEntries(required.map(([name, def]) => [name, { Type: def.Type }])),
    Resources: {
      [logicalId]: {
        Type: type,
        Version: id ?? 'default',
        Properties: Object.fromEntries(required.map(([name]) => [name, { Ref: name }])),
      },
    },
    Outputs: Object.fromEntries(Object.keys(module.Outputs).map((name) => [name, { Value: { 'Fn::GetAtt': [logicalId, name] } }])),
  };
  return { TemplateBody: body, TemplateContent: JSON.stringify(body, null, 2) };
}
