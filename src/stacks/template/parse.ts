// Template text -> Template object. Only syntax, size, version and the set of top-level sections
// are checked here; validate.ts checks the contents. Rules come from "Template structure" and
// "Reasons for template verification failure" (UTF-8 JSON or YAML, at most 512 KB, version
// 2015-09-01, no other top-level sections).
import { parseDocument } from 'yaml';
import { ApiError } from '../../protocol/errors.ts';
import { nestedDeeperThan } from './json.ts';
import { isJsonObject, type JsonObject, type JsonValue, type Template } from './types.ts';
import { shortFormTags } from './yaml-tags.ts';

export const MAX_TEMPLATE_BYTES = 524288;
export const TEMPLATE_FORMAT_VERSION = '2015-09-01';
// Not published by ROS (docs/fidelity.md): deep enough for any real template, shallow enough for
// the recursive walkers; aliases as the yaml library counts them (each expansion of a node).
export const MAX_NESTING_DEPTH = 100;
const MAX_ALIAS_COUNT = 1000;

const MAP_SECTIONS = ['Metadata', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Rules', 'Locals'] as const;
// Transform and Workspace exist only for Terraform templates ("Structure of Terraform templates");
// they are recognised so that validate.ts can answer NotSupported instead of a section error.
const KNOWN_SECTIONS = new Set<string>(['ROSTemplateFormatVersion', 'Description', 'Transform', 'Workspace', ...MAP_SECTIONS]);

const invalid = (reason: string): ApiError => new ApiError('InvalidTemplate', { reason });

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` (${lineAndColumn(body, Number(position[1]))})` : '';
    throw invalid(`The template is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/s, '')}${where}`);
  }
}

function parseYaml(body: string): unknown {
  try {
    return yamlValue(body);
  } catch (err) {
    // The yaml library recurses over nesting; a stack overflow there is the depth limit.
    if (err instanceof RangeError) throw invalid(`The template is nested more than ${MAX_NESTING_DEPTH} levels deep`);
    throw err;
  }
}

function yamlValue(body: string): unknown {
  const doc = parseDocument(body, { customTags: shortFormTags(), merge: true, prettyErrors: true });
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    if (problem.message.includes('Maximum call stack size exceeded')) throw new RangeError(problem.message);
    const first = problem.message.split('\n')[0]!.replace(/^Unresolved tag/, 'Unknown tag');
    throw invalid(`The template is not valid YAML: ${first}`);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml library's guard against alias bombs ("billion laughs").
    if (err instanceof ReferenceError) throw invalid(`The template is not valid YAML: its aliases expand to more than ${MAX_ALIAS_COUNT} nodes`);
    throw err;
  }
}


function section(raw: JsonObject, name: (typeof MAP_SECTIONS)[number]): JsonObject {
  const value = raw[name];
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw invalid(`The ${name} section must be an object`);
  return value;
}

// A document read: its value, and whether it nests deeper than MAX_NESTING_DEPTH (found where it
// was read: for YAML, on the parser's thread, yaml-thread.ts).
export interface Reading {
  value: unknown;
  tooDeep: boolean;
}

const reading = (value: unknown): Reading => ({ value, tooDeep: nestedDeeperThan(value, MAX_NESTING_DEPTH) });

/** A YAML document read, or the template error it is; what yaml-thread.ts runs off the event loop. */
export function readYaml(body: string): Reading {
  return reading(parseYaml(body));
}

// Size and emptiness, checked before any parsing.
function checkBody(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    throw invalid(`The template is too large: ${bytes} bytes exceeds the limit of ${MAX_TEMPLATE_BYTES} bytes`);
  }
  if (body.trim() === '') throw invalid('The template body is empty');
}

function rootOf({ value, tooDeep }: Reading): JsonObject {
  if (!isJsonObject(value)) throw invalid('The template is not a JSON object or YAML mapping');
  if (tooDeep) throw invalid(`The template is nested more than ${MAX_NESTING_DEPTH} levels deep`);
  return value;
}

// A body that starts like a JSON object is JSON; flow-style YAML that JSON rejects still parses,
// and when YAML cannot read it either, the JSON error is the answer. Empty for a YAML body.
function readJson(body: string): { json: Reading } | { jsonError?: unknown } {
  if (!body.trimStart().startsWith('{')) return {};
  try {
    return { json: reading(parseJson(body)) };
  } catch (jsonError) {
    return { jsonError };
  }
}

// The document's root mapping: size, syntax and depth checked, nothing else.
function parseRoot(body: string): JsonObject {
  checkBody(body);
  const first = readJson(body);
  if ('json' in first) return rootOf(first.json);
  let yaml: Reading;
  try {
    yaml = readYaml(body);
  } catch (yamlError) {
    throw first.jsonError ?? yamlError;
  }
  return rootOf(yaml);
}

// The same, YAML read by `readYamlAsync` (yaml-thread.ts: off the event loop, as parsing a large
// YAML template takes about a second).
async function parseRootAsync(body: string, readYamlAsync: (body: string) => Promise<Reading>): Promise<JsonObject> {
  checkBody(body);
  const first = readJson(body);
  if ('json' in first) return rootOf(first.json);
  let yaml: Reading;
  try {
    yaml = await readYamlAsync(body);
  } catch (yamlError) {
    throw first.jsonError ?? yamlError;
  }
  return rootOf(yaml);
}

// Whether a fetched document is a template at all (a mapping with a format version), so that
// only a template's own content ever appears in an error.
export function isTemplateDocument(body: string): boolean {
  try {
    return parseRoot(body).ROSTemplateFormatVersion !== undefined;
  } catch {
    return false;
  }
}

export function parseTemplate(body: string): Template {
  return templateOf(parseRoot(body));
}

/** parseTemplate(), its YAML read by `readYamlAsync` (yaml-thread.ts) instead of on the event loop. */
export async function parseTemplateWith(body: string, readYamlAsync: (body: string) => Promise<Reading>): Promise<Template> {
  return templateOf(await parseRootAsync(body, readYamlAsync));
}

function templateOf(raw: JsonObject): Template {
  for (const key of Object.keys(raw)) {
    if (!KNOWN_SECTIONS.has(key)) throw new ApiError('InvalidTemplateSection', { section: key });
  }
  const version = raw.ROSTemplateFormatVersion;
  if (version === undefined || version === null) {
    throw new ApiError('InvalidTemplateVersion', { reason: 'Template format version not found' });
  }
  if (version !== TEMPLATE_FORMAT_VERSION) {
    throw new ApiError('InvalidTemplateVersion', {
      reason: `"${String(version)}". "ROSTemplateFormatVersion" should be one of: ${TEMPLATE_FORMAT_VERSION}`,
    });
  }

  const template: Template = {
    ROSTemplateFormatVersion: TEMPLATE_FORMAT_VERSION,
    Parameters: section(raw, 'Parameters') as unknown as Template['Parameters'],
    Mappings: section(raw, 'Mappings') as unknown as Template['Mappings'],
    Conditions: section(raw, 'Conditions'),
    Resources: section(raw, 'Resources') as unknown as Template['Resources'],
    Outputs: section(raw, 'Outputs') as unknown as Template['Outputs'],
    Rules: section(raw, 'Rules') as unknown as Template['Rules'],
    Locals: section(raw, 'Locals') as unknown as Template['Locals'],
  };
  if (raw.Description !== undefined && raw.Description !== null) template.Description = raw.Description;
  if (raw.Metadata !== undefined && raw.Metadata !== null) template.Metadata = section(raw, 'Metadata');
  for (const key of ['Transform', 'Workspace'] as const) {
    const value: JsonValue | undefined = raw[key];
    if (value !== undefined) template[key] = value;
  }
  return template;
}
