// Builders for the parameter definitions of the actions the generated catalogue does not cover
// (catalogue-extra.ts and each family's params module), in the catalogue's own form.
import type { ParamDef } from './decode.ts';

export const scalar = (name: string, constraints?: ParamDef['constraints'], required = false): ParamDef => ({
  name,
  type: 'string',
  required,
  style: 'scalar',
  ...(constraints ? { constraints } : {}),
});

export const bool = (name: string): ParamDef => ({ name, type: 'boolean', required: false, style: 'scalar' });

export const integer = (name: string, constraints?: ParamDef['constraints']): ParamDef => ({
  name,
  type: 'integer',
  required: false,
  style: 'scalar',
  ...(constraints ? { constraints } : {}),
});

// Lists go on the wire flat (Name.1, Name.2, …).
export const strings = (name: string, maxItems?: number, required = false): ParamDef => ({
  name,
  type: 'array<string>',
  required,
  style: 'flat',
  ...(maxItems ? { constraints: { maxItems } } : {}),
});

// Tags.N.Key / Tags.N.Value (Tag.N.… on the tag actions): at most 20.
export const tagList = (name: string, required = false): ParamDef => ({
  name,
  type: 'array<object>',
  required,
  style: 'flat',
  constraints: { maxItems: 20 },
  members: [
    { name: 'Key', type: 'string', required: true, style: 'flat-member' },
    { name: 'Value', type: 'string', required: false, style: 'flat-member' },
  ],
});

// "Up to 64 ASCII characters: letters, digits, hyphens (-) and underscores (_)".
export const CLIENT_TOKEN = { maxLength: 64, pattern: '^[A-Za-z0-9_-]{1,64}$' };
