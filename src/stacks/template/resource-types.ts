// Which resource types a template may use, which attributes Fn::GetAtt may name, and how a
// simulated resource gets its physical id and attributes. The generated catalogue
// (src/stacks/resource-types/) knows every type, property and attribute of the CDK packages the
// registry offers; the hand-written simulations (resource-catalogue.ts) give realistic values
// to the common types. ROS rejects a type it does not know: "Unknown resource Type : X". A
// well-formed type of a namespace the catalogue does not cover is accepted unchecked by default;
// strict mode accepts only catalogued and registered types.
import { ApiError } from '../../protocol/errors.ts';
import { catalogueAttributes, catalogueType, coversNamespace } from '../resource-types/catalogue.ts';
import { simulatedAttribute, simulatedPhysicalId } from '../resource-types/simulated-values.ts';
import type { ResourceResolver } from './evaluate.ts';
import { seededString } from './ids.ts';
import { own } from './json.ts';
import { RESOURCE_CATALOGUE, type ResourceTypeSpec } from './resource-catalogue.ts';
import type { JsonObject, JsonValue, PseudoParameters, ResourceState } from './types.ts';

const registry = new Map<string, ResourceTypeSpec>(Object.entries(RESOURCE_CATALOGUE));

// ALIYUN:: and DATASOURCE:: types have three parts; custom resources are `Custom::Name` and
// modules `MODULE::Org::Service::Name` (ROS "Custom resources" and "Modules" pages).
const TYPE_NAME = /^(?:ALIYUN|DATASOURCE)::[A-Za-z0-9]+::[A-Za-z0-9]+$/;
const OPEN_TYPE_NAME = /^(?:Custom::[A-Za-z0-9_-]+|MODULE::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)$/;
// Types whose Fn::GetAtt names are not fixed: a nested stack's outputs and a custom resource's
// returned data [INF].
const OPEN_ATTRIBUTE_TYPES = new Set(['ALIYUN::ROS::Stack', 'ALIYUN::ROS::CustomResource']);

export function registerResourceType(type: string, spec: ResourceTypeSpec): void {
  registry.set(type, spec);
}

export function resourceTypeSpec(type: string): ResourceTypeSpec | undefined {
  return registry.get(type);
}

export function registeredResourceTypes(): string[] {
  return [...registry.keys()];
}

export function checkResourceType(type: string, strict: boolean): void {
  const known =
    catalogueType(type) !== undefined ||
    registry.has(type) ||
    (!strict && (OPEN_TYPE_NAME.test(type) || (TYPE_NAME.test(type) && !coversNamespace(type))));
  if (!known) throw new ApiError('InvalidTemplate', { reason: `Unknown resource Type : ${type}` });
}

// The attributes Fn::GetAtt may name on `type`, or undefined when any name is allowed (open
// types, types localros does not know).
export function typeAttributes(type: string): string[] | undefined {
  if (OPEN_ATTRIBUTE_TYPES.has(type) || type.startsWith('Custom::')) return undefined;
  const catalogued = catalogueAttributes(type);
  const spec = registry.get(type);
  if (!catalogued && !spec) return undefined;
  return [...new Set([...Object.keys(catalogued ?? {}), ...(spec?.attributes ?? [])])];
}

export function materializeResource(logicalId: string, type: string, properties: JsonObject, pseudo: PseudoParameters): ResourceState {
  const seed = `${pseudo.StackId}/${logicalId}`;
  const spec = registry.get(type);
  const catalogued = catalogueAttributes(type);
  if (!spec && !catalogued) {
    // Unknown to localros: echo the properties so that GetAtt of a same-named property works.
    return { type, physicalId: simulatedPhysicalId(type, seed), attributes: { ...properties } };
  }
  const made = spec ? spec.materialize({ logicalId, properties, pseudo, seed }) : { physicalId: simulatedPhysicalId(type, seed), attributes: {} };
  const attributes: Record<string, JsonValue> = { ...made.attributes };
  for (const [name, schema] of Object.entries(catalogued ?? {})) {
    if (!Object.hasOwn(attributes, name)) attributes[name] = simulatedAttribute(type, name, schema, properties, made.physicalId, seed) as JsonValue;
  }
  return { type, physicalId: made.physicalId, attributes };
}

// Ref gives the physical id. Fn::GetAtt must name an attribute the resource was created with
// when localros knows its type; otherwise a property of the same name is returned if there is one, else a stable
// placeholder.
export function resourceResolver(states: Readonly<Record<string, ResourceState>>): ResourceResolver {
  return {
    ref: (logicalId) => own(states, logicalId)?.physicalId,
    getAtt: (logicalId, attribute) => {
      const state = own(states, logicalId);
      if (!state) return undefined;
      if (Object.hasOwn(state.attributes, attribute)) return state.attributes[attribute]!;
      // A known type answers only the attributes it was created with.
      if (typeAttributes(state.type)) throw new ApiError('InvalidTemplateAttribute', { resource: logicalId, name: attribute });
      return `${attribute}-${seededString(`${state.physicalId}/${attribute}`, 12)}`;
    },
  };
}

export function isDataSourceType(type: string): boolean {
  return type.startsWith('DATASOURCE::');
}
