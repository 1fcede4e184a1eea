// The cloud's rules for a tag, wherever tags are given (TagResources, CreateStack,
// CreateStackGroup, CreateTemplate): a key of 1 to 128 characters, a value of at most 128, neither
// starting with `aliyun` or `acs:` nor containing `http://` or `https://`; at most 20 tags on a
// resource, each key once.
import type { Tag } from '../engine/types.ts';
import { invalidParameter } from '../protocol/errors.ts';

export const MAX_TAGS_PER_RESOURCE = 20;
const MAX_LENGTH = 128;

function problem(text: string, what: 'key' | 'value'): string | undefined {
  if (what === 'key' && text.length === 0) return 'a tag key cannot be empty';
  if (text.length > MAX_LENGTH) return `a tag ${what} can be at most ${MAX_LENGTH} characters`;
  if (/^(aliyun|acs:)/i.test(text)) return `a tag ${what} cannot start with aliyun or acs:`;
  if (/https?:\/\//i.test(text)) return `a tag ${what} cannot contain http:// or https://`;
  return undefined;
}

// Checks the tags given as parameter `name`; answers them with every value present ("" when
// none was given), as they are stored.
export function checkedTags(name: string, tags: readonly Tag[] | undefined): Tag[] {
  const out: Tag[] = [];
  const seen = new Set<string>();
  for (const [i, tag] of (tags ?? []).entries()) {
    const value = tag.Value ?? '';
    const reason = problem(tag.Key, 'key') ?? problem(value, 'value');
    if (reason) throw invalidParameter(`${name}.${i + 1}`, reason);
    if (seen.has(tag.Key)) throw invalidParameter(name, `the tag key ${tag.Key} is given more than once`);
    seen.add(tag.Key);
    out.push({ Key: tag.Key, Value: value });
  }
  return out;
}

// Whether a resource's tags carry every tag of a filter (a filter without a value matches any).
export function matchesTags(own: readonly Tag[], filter: readonly Tag[]): boolean {
  return filter.every((f) => own.some((t) => t.Key === f.Key && (f.Value === undefined || (t.Value ?? '') === f.Value)));
}
