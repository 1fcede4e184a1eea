// Where a stack group's template comes from: TemplateBody, TemplateURL (http/https only),
// TemplateId (the template library) or StackArn (an existing stack of the caller).
import { ApiError, invalidParameter } from '../../protocol/errors.ts';
import type { Db } from '../../store/db.ts';
import { stacks } from '../../store/repos/stacks.ts';
import type { Parameter } from '../../engine/types.ts';
import { fetchTemplateUrl } from './template-fetch.ts';
import { findTemplate } from './template-library.ts';
import { expandModuleBody } from './template-modules.ts';
import { isTemplateDocument, MAX_TEMPLATE_BYTES } from '../template/parse.ts';


export interface TemplateSource {
  TemplateBody?: string;
  TemplateURL?: string;
  TemplateId?: string;
  TemplateVersion?: string;
  StackArn?: string;
}

export interface ResolvedTemplate {
  body: string;
  // Parameters carried by the source itself (StackArn).
  parameters?: Parameter[];
}

export async function fetchTemplate(url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter('TemplateURL', 'it is not a valid URL');
  }
  if (parsed.protocol === 'oss:') throw invalidParameter('TemplateURL', 'oss:// locations cannot be read by localros, use an http(s) URL or TemplateBody');
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParameter('TemplateURL', `the scheme ${parsed.protocol} is not supported`);
  const body = await fetchTemplateUrl(parsed, MAX_TEMPLATE_BYTES);
  // Only a document that is recognisably a template gets template errors, which quote it; anything
  // else fetched (another local service's answer) is refused without a word of its content.
  if (!isTemplateDocument(body)) {
    throw invalidParameter('TemplateURL', 'the fetched document is not a ROS template (a JSON or YAML mapping with ROSTemplateFormatVersion)');
  }
  return body;
}

const STACK_ARN_RE = /^acs:ros:([^:]+):(\d+):stack\/(.+)$/;

// `acs:ros:{RegionId}:{AccountId}:stack/{StackId}`; undefined when it does not look like one.
export function parseStackArn(arn: string): { regionId: string; accountId: string; stackId: string } | undefined {
  const m = STACK_ARN_RE.exec(arn);
  return m ? { regionId: m[1], accountId: m[2], stackId: m[3] } : undefined;
}

async function fromStackArn(db: Db, accountId: string, arn: string): Promise<ResolvedTemplate> {
  const parsed = parseStackArn(arn);
  if (!parsed) throw invalidParameter('StackArn', 'it must look like acs:ros:{RegionId}:{AccountId}:stack/{StackId}');
  const stack = parsed.accountId === accountId ? await stacks.visible(db, accountId, parsed.regionId, parsed.stackId) : undefined;
  if (!stack) throw new ApiError('StackNotFound', { name: parsed.stackId });
  return { body: stack.template_body, parameters: stack.parameters };
}

// The template of the source with its MODULE resources expanded (template-modules.ts).
export async function resolveTemplateSource(db: Db, accountId: string, source: TemplateSource): Promise<ResolvedTemplate | undefined> {
  const resolved = await resolveTemplateSourceAsWritten(db, accountId, source);
  return resolved && { ...resolved, body: await expandModuleBody(db, accountId, resolved.body) };
}

// For what keeps a template as the user wrote it (the template library, modules).
export async function resolveTemplateSourceAsWritten(db: Db, accountId: string, source: TemplateSource): Promise<ResolvedTemplate | undefined> {
  if (source.TemplateBody !== undefined) return { body: source.TemplateBody };
  if (source.TemplateURL !== undefined) return { body: await fetchTemplate(source.TemplateURL) };
  if (source.StackArn !== undefined) return fromStackArn(db, accountId, source.StackArn);
  if (source.TemplateId !== undefined) {
    const { version } = await findTemplate(db, accountId, source.TemplateId, source.TemplateVersion);
    return { body: version.body };
  }
  return undefined;
}
