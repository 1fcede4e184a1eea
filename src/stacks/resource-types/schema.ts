// Shape of the generated resource-type catalogue (catalogue.json beside this file, written by
// `npm run gen:resource-types` from the ROS CDK packages; never edited by hand).

export type PropertyKind = 'string' | 'number' | 'boolean' | 'any' | 'list' | 'map' | 'object';

export interface PropertySchema {
  type: PropertyKind;
  required?: true;
  allowed?: (string | number | boolean)[];
  // Numeric range of a number, inclusive; either end may be absent.
  min?: number;
  max?: number;
  // Length range of a string or a list, inclusive.
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  // list items / map values
  items?: PropertySchema;
  // object members by ROS property name
  properties?: Record<string, PropertySchema>;
}

export type AttributeKind = 'string' | 'number' | 'list' | 'map';

export interface AttributeSchema {
  type: AttributeKind;
  description?: string;
}

export interface ResourceTypeSchema {
  // The CDK service package the type comes from (e.g. "ecs").
  service: string;
  properties: Record<string, PropertySchema>;
  attributes: Record<string, AttributeSchema>;
}

export interface CatalogueSource {
  // name → exact version of each CDK package read.
  packages: Record<string, string>;
  // CDK service packages the repository lists but the registry does not offer.
  unavailable: string[];
  // sha256 of the generator's sources and every generated file read; the drift test recomputes it.
  inputsDigest: string;
  // sha256 of the JSON text of `types`; catches hand edits of the data.
  typesDigest: string;
}

export interface ResourceTypeCatalogue {
  source: CatalogueSource;
  types: Record<string, ResourceTypeSchema>;
}
