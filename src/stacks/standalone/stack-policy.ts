// Stack policies (SetStackPolicy, StackPolicyBody, StackPolicyDuringUpdateBody): which resources
// an update may modify or delete. The policy language is the one the ROS console documents
// ("Prevent updates to stack resources"): Statement[] of Effect Allow / Deny, Action `Update:*` /
// `Update:Modify` / `Update:Replace` / `Update:Delete`, Resource / NotResource `*` or
// `LogicalResourceId/<id>` (a trailing `*` matches a prefix), Principal `*`, and an optional
// Condition on `ResourceType` (StringEquals / StringLike). As documented, once a stack has a
// policy an update may change only what a statement allows, and Deny wins over Allow.
import { invalidParameter } from '../../protocol/errors.ts';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicySubject {
  logicalId: string;
  type: string;
  // Update:Modify or Update:Delete.
  action: string;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const like = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

function statementsOf(body: string, name: string): Statement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidParameter(name, 'it is not valid JSON');
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(statements)) throw invalidParameter(name, 'it must be a JSON object with a Statement list');
  const strings = (v: unknown): boolean => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  for (const s of statements as Statement[]) {
    if (!s || typeof s !== 'object') throw invalidParameter(name, 'each statement must be an object');
    if (![s.Action, s.Resource ?? '', s.NotResource ?? ''].every(strings)) throw invalidParameter(name, 'Action, Resource and NotResource must be strings or lists of strings');
    const condition = s.Condition ?? {};
    if (typeof condition !== 'object' || Object.values(condition).some((c) => !c || typeof c !== 'object' || !strings(c.ResourceType ?? ''))) {
      throw invalidParameter(name, 'Condition must map operators to {"ResourceType": …}');
    }
    if (s.Effect !== 'Allow' && s?.Effect !== 'Deny') throw invalidParameter(name, 'each statement needs Effect Allow or Deny');
    if (!list(s.Action).every((a) => /^Update:(\*|Modify|Replace|Delete)$/.test(a))) throw invalidParameter(name, 'Action must be Update:*, Update:Modify, Update:Replace or Update:Delete');
    if (s.Resource === undefined && s.NotResource === undefined) throw invalidParameter(name, 'each statement needs Resource or NotResource');
  }
  return statements as Statement[];
}

// Answers the policy as stored, after checking it.
export function checkPolicy(body: string, name: string): string {
  statementsOf(body, name);
  return body;
}

function applies(s: Statement, subject: PolicySubject): boolean {
  const resourceId = `LogicalResourceId/${subject.logicalId}`;
  const actionOk = list(s.Action).some((a) => a === 'Update:*' || a === subject.action);
  if (!actionOk) return false;
  const inResource = s.Resource !== undefined ? list(s.Resource).some((r) => like(r, resourceId)) : !list(s.NotResource).some((r) => like(r, resourceId));
  if (!inResource) return false;
  for (const [operator, conditions] of Object.entries(s.Condition ?? {})) {
    const types = list(conditions.ResourceType);
    if (!types.length) continue;
    const hit = types.some((t) => (operator === 'StringLike' ? like(t, subject.type) : t === subject.type));
    if (!hit) return false;
  }
  return true;
}

// The subjects the policy does not allow; none without a policy.
export function deniedBy(body: string | null | undefined, subjects: PolicySubject[]): PolicySubject[] {
  if (!body) return [];
  const statements = statementsOf(body, 'StackPolicyBody');
  return subjects.filter((subject) => {
    const matching = statements.filter((s) => applies(s, subject));
    return matching.some((s) => s.Effect === 'Deny') || !matching.some((s) => s.Effect === 'Allow');
  });
}
