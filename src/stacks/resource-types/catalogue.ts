// The generated resource-type catalogue (catalogue.json, `npm run gen:resource-types`), read once.
// A type is checked against it when the catalogue covers its service namespace (ALIYUN::ECS,
// DATASOURCE::VPC, ...): the namespaces of the CDK packages the registry offers. Types of other
// namespaces (their CDK package is not on the registry) stay unchecked, so that templates the
// cloud accepts are not refused for want of data.
import { readFileSync } from 'node:fs';
import type { AttributeSchema, CatalogueSource, ResourceTypeCatalogue, ResourceTypeSchema } from './schema.ts';

let loaded: ResourceTypeCatalogue | undefined;
let namespaces: Set<string> | undefined;

function data(): ResourceTypeCatalogue {
  loaded ??= JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')) as ResourceTypeCatalogue;
  return loaded;
}

// Reads the catalogue now: a server does so as it starts, so that the first template it checks
// does not hold the event loop for the read and parse of its 430 KiB (issue 18).
export function loadCatalogue(): void {
  data();
}

const namespaceOf = (type: string): string => type.split('::').slice(0, 2).join('::');

export function catalogueType(type: string): ResourceTypeSchema | undefined {
  const types = data().types;
  return Object.hasOwn(types, type) ? types[type] : undefined;
}

export function catalogueTypeNames(): string[] {
  return Object.keys(data().types);
}

export function catalogueSource(): CatalogueSource {
  return data().source;
}

export function coversNamespace(type: string): boolean {
  namespaces ??= new Set(catalogueTypeNames().map(namespaceOf));
  return namespaces.has(namespaceOf(type));
}

export function catalogueAttributes(type: string): Record<string, AttributeSchema> | undefined {
  return catalogueType(type)?.attributes;
}
