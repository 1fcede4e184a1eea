// StackPolicyURL / StackPolicyDuringUpdateURL: the policy is fetched as a TemplateURL is (same
// security policy, template-fetch.ts) and then treated as the matching *Body parameter.
import { ApiError, invalidParameter } from '../../protocol/errors.ts';
import { fetchTemplateUrl } from '../sources/template-fetch.ts';

// The documented limit of StackPolicyBody.
const MAX_POLICY_BYTES = 16384;

const PAIRS = [
  ['StackPolicyURL', 'StackPolicyBody'],
  ['StackPolicyDuringUpdateURL', 'StackPolicyDuringUpdateBody'],
] as const;

async function fetchPolicy(name: string, url: string): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(name, 'it is not a valid URL');
  }
  if (parsed.protocol === 'oss:') throw invalidParameter(name, 'oss:// locations cannot be read by localros, use an http(s) URL or the matching *Body parameter');
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidParameter(name, `the scheme ${parsed.protocol} is not supported`);
  try {
    return await fetchTemplateUrl(parsed, MAX_POLICY_BYTES);
  } catch (e) {
    // The fetch words its errors for TemplateURL; they are about this parameter.
    if (e instanceof ApiError && typeof e.args.reason === 'string') throw invalidParameter(name, e.args.reason.replace('the template', 'the policy'));
    throw e;
  }
}

// The request's parameters with each policy URL replaced by the policy it names (callers check
// first that at most one of a URL and its body is given).
export async function withFetchedPolicies<T extends Record<string, unknown>>(p: T): Promise<T> {
  let out = p;
  for (const [urlName, bodyName] of PAIRS) {
    const url = p[urlName];
    if (typeof url !== 'string') continue;
    const { [urlName]: _url, ...rest } = out;
    out = { ...rest, [bodyName]: await fetchPolicy(urlName, url) } as T;
  }
  return out;
}
