// ListResourceTypes, GetResourceType and GetResourceTypeTemplate, answered from the generated
// resource-type catalogue (src/stacks/resource-types/) and the hand-written simulations. The
// types are the same in every region and for every account.
import { ApiError } from '../protocol/errors.ts';
import { catalogueType, catalogueTypeNames } from '../stacks/resource-types/catalogue.ts';
import { describeAttributes, describeProperties, resourceTypeTemplate } from '../stacks/resource-types/describe.ts';
import type { ResourceTypeSchema } from '../stacks/resource-types/schema.ts';
import { registeredResourceTypes, resourceTypeSpec } from '../stacks/template/index.ts';
import { isModuleType } from '../stacks/template/modules.ts';
import type { Params } from './action-params.ts';
import { describeModule, moduleTypeTemplate, registeredModules } from './module-types.ts';
import type { ActionTable, RequestContext } from './types.ts';

const isDataSource = (type: string): boolean => type.startsWith('DATASOURCE::');

function knownTypes(): string[] {
  return [...new Set([...catalogueTypeNames(), ...registeredResourceTypes()])].sort();
}

// The catalogue's schema, or one made of a hand simulation's attributes for the types only
// localros simulates (their properties are not known).
function schemaOf(type: string): ResourceTypeSchema {
  const catalogued = catalogueType(type);
  if (catalogued) return catalogued;
  const spec = resourceTypeSpec(type);
  if (!spec) throw new ApiError('ResourceTypeNotFound', { type });
  return { service: '', properties: {}, attributes: Object.fromEntries(spec.attributes.map((a) => [a, { type: 'string' as const }])) };
}

function withHandAttributes(type: string, schema: ResourceTypeSchema): ResourceTypeSchema['attributes'] {
  const attributes = { ...schema.attributes };
  for (const name of resourceTypeSpec(type)?.attributes ?? []) attributes[name] ??= { type: 'string' };
  return attributes;
}

// The ROS reference: EntityType Resource (the default) lists ALIYUN:: types, DataSource the
// DATASOURCE:: ones, Module the MODULE:: types the account registered, All every kind; Provider
// ROS keeps the cloud's types, Self the account's modules.
async function listResourceTypes(ctx: RequestContext, p: Params<'ListResourceTypes'>) {
  const entity = p.EntityType ?? 'Resource';
  const provider = p.Provider;
  const filter = p.ResourceType;
  const builtIn = provider === 'Self' || entity === 'Module' ? [] : knownTypes().filter((t) => entity === 'All' || (entity === 'DataSource') === isDataSource(t));
  const modules = provider === 'ROS' || (entity !== 'Module' && entity !== 'All') ? [] : await registeredModules(ctx.services.db, ctx.accountId);
  const types = [...builtIn, ...modules];
  return { ResourceTypes: filter === undefined ? types : types.filter((t) => t === filter) };
}

async function getResourceType(ctx: RequestContext, p: Params<'GetResourceType'>) {
  const type = p.ResourceType;
  if (isModuleType(type)) return describeModule(ctx.services.db, ctx.accountId, type, p.VersionId);
  const schema = schemaOf(type);
  return {
    ResourceType: type,
    EntityType: isDataSource(type) ? 'DataSource' : 'Resource',
    Provider: 'ROS',
    Properties: describeProperties(schema.properties),
    Attributes: describeAttributes(withHandAttributes(type, schema)),
    SupportDriftDetection: false,
    SupportScratchDetection: false,
  };
}

async function getResourceTypeTemplate(ctx: RequestContext, p: Params<'GetResourceTypeTemplate'>) {
  const type = p.ResourceType;
  if (isModuleType(type)) return moduleTypeTemplate(ctx.services.db, ctx.accountId, type, p.VersionId);
  const schema = schemaOf(type);
  const body = resourceTypeTemplate(type, schema.properties, Object.keys(withHandAttributes(type, schema)));
  return { TemplateBody: body, TemplateContent: JSON.stringify(body, null, 2) };
}

export const resourceTypeActions: ActionTable = {
  ListResourceTypes: { handle: listResourceTypes },
  GetResourceType: { handle: getResourceType },
  GetResourceTypeTemplate: { handle: getResourceTypeTemplate },
};
