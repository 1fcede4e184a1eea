// Endpoint parsing, kept apart from the SDK so that the CLI can use it without loading the SDK.

/** Splits `http://host:port`, `host:port` or `host` into the SDK's endpoint and the base URL. */
export function parseEndpoint(value: string): { endpoint: string; url: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new Error(`"${value}" is not an endpoint; expected host:port or http://host:port`);
  }
  if (parsed.protocol !== 'http:') throw new Error(`"${value}": localros serves plain http only`);
  return { endpoint: parsed.host, url: `http://${parsed.host}` };
}
