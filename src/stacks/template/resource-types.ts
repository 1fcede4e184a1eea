// Which resource types a template may use, and how a simulated resource gets its physical id and
// attributes. ROS rejects types it does not know ("Reasons for template verification failure":
// "Validation fails if an unsupported resource is defined"). localros cannot list every ROS type,
// so by default any well-formed ALIYUN::/DATASOURCE:: type is accepted and the unlisted ones get a
// generic simulation; strict mode accepts only the catalogue.
import { ApiError } from '../../protocol/errors.ts';
import type { ResourceResolver } from './evaluate.ts';
import { seededString } from './ids.ts';
import { own } from './json.ts';
import { RESOURCE_CATALOGUE, type ResourceTypeSpec } from './resource-catalogue.ts';
import type { JsonObject, PseudoParameters, ResourceState } from './types.ts';

const registry = new Map<string, ResourceTypeSpec>(Object.entries(RESOURCE_CATALOGUE));

// ALIYUN:: and DATASOURCE:: types have three parts; custom resources are `Custom::Name` and
// modules `MODULE::Org::Service::Name` (ROS "Custom resources" and "Modules" pages).
const TYPE_NAME = /^(?:(?:ALIYUN|DATASOURCE)::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_-]+|MODULE::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)$/;

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
  const known = registry.has(type) || (!strict && TYPE_NAME.test(type));
  if (!known) throw new ApiError('InvalidTemplate', { reason: `Unknown resource Type : ${type}` });
}

function genericMaterialize(type: string, properties: JsonObject, seed: string): Omit<ResourceState, 'type'> {
  const prefix = (type.split('::').pop() ?? 'res').toLowerCase().slice(0, 8);
  return { physicalId: `${prefix}-${seededString(seed, 20)}`, attributes: { ...properties } };
}

export function materializeResource(
  logicalId: string,
  type: string,
  properties: JsonObject,
  pseudo: PseudoParameters,
): ResourceState {
  const seed = `${pseudo.StackId}/${logicalId}`;
  const spec = registry.get(type);
  const made = spec ? spec.materialize({ logicalId, properties, pseudo, seed }) : genericMaterialize(type, properties, seed);
  return { type, ...made };
}

// Ref gives the physical id. Fn::GetAtt on a catalogued type must name one of its attributes;
// on other types a property of the same name is returned if there is one, otherwise a stable
// placeholder, because localros does not know their attributes.
export function resourceResolver(states: Readonly<Record<string, ResourceState>>): ResourceResolver {
  return {
    ref: (logicalId) => own(states, logicalId)?.physicalId,
    getAtt: (logicalId, attribute) => {
      const state = own(states, logicalId);
      if (!state) return undefined;
      if (Object.hasOwn(state.attributes, attribute)) return state.attributes[attribute]!;
      if (registry.has(state.type)) throw new ApiError('InvalidTemplateAttribute', { resource: logicalId, name: attribute });
      return `${attribute}-${seededString(`${state.physicalId}/${attribute}`, 12)}`;
    },
  };
}

export function isDataSourceType(type: string): boolean {
  return type.startsWith('DATASOURCE::');
}
