// Request parameters as they arrive: the query string and a form-encoded body, merged.
// The SDK puts TemplateBody in the body and everything else in the query; pop-core puts
// everything in one or the other (ros-api.md §1.3). Values stay strings; typing happens
// per action in api/decode.ts.

// Read-only: a parsed query string may be shared by many requests (parseQuery).
export type RawParams = ReadonlyMap<string, string>;

// `+` is a space only in form bodies (application/x-www-form-urlencoded); in the query the SDK
// escapes a literal plus as %2B, so both decoders are the same function.
function decodeComponent(s: string): string {
  const spaced = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function parseUrlEncoded(text: string): RawParams {
  const into = new Map<string, string>();
  parseInto(text, into);
  return into;
}

function parseInto(text: string, into: Map<string, string>): void {
  if (!text) return;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    into.set(key, value);
  }
}

// The parameters of one query string text, shared by every request that sends the same text,
// with what is computed from them alone (the V3 canonical query) kept beside them.
export class SharedQuery extends Map<string, string> {
  canonical: string | undefined;
}

// A poller sends the same query string again and again (GetStackGroupOperation of one
// OperationId: under V3 only the headers' date and nonce change), so the last QUERY_MEMO_SIZE
// distinct texts of at most QUERY_MEMO_MAX_CHARS are parsed once; the oldest is forgotten first.
const QUERY_MEMO_SIZE = 256;
const QUERY_MEMO_MAX_CHARS = 2048;
const queries = new Map<string, SharedQuery>();

export function parseQuery(text: string): RawParams {
  if (text.length > QUERY_MEMO_MAX_CHARS) return parseUrlEncoded(text);
  let parsed = queries.get(text);
  if (parsed === undefined) {
    parsed = new SharedQuery();
    parseInto(text, parsed);
    if (queries.size >= QUERY_MEMO_SIZE) queries.delete(queries.keys().next().value!);
    queries.set(text, parsed);
  }
  return parsed;
}
