// Request parameters as they arrive: the query string and a form-encoded body, merged.
// The SDK puts TemplateBody in the body and everything else in the query; pop-core puts
// everything in one or the other (ros-api.md §1.3). Values stay strings; typing happens
// per action in api/decode.ts.

export type RawParams = Map<string, string>;

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

export function parseUrlEncoded(text: string, into: RawParams = new Map()): RawParams {
  if (!text) return into;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    into.set(key, value);
  }
  return into;
}
