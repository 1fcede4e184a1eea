// Fetching a TemplateURL (policy in SECURITY.md): http(s) only; never localros's own routes,
// checked on the address actually connected to (after DNS, on every redirect); the body is read
// only up to the template size limit, whatever Content-Length says or omits; errors say what
// went wrong without echoing anything the remote answered (status, headers, body).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { ApiError, invalidParameter } from '../../protocol/errors.ts';
import { isOwnEndpoint } from './own-endpoints.ts';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;

const refused = (reason: string): ApiError => invalidParameter('TemplateURL', reason);
const OWN_ROUTES = 'it points at localros itself, whose routes are never fetched as templates';

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// The address check runs inside the socket's own lookup, so the address checked is the one used.
function guardedLookup(port: number) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (addresses.some((a) => isOwnEndpoint(a.address, port))) {
        const own = Object.assign(new Error(OWN_ROUTES), { code: 'LOCALROS_OWN_ENDPOINT' });
        return callback(own, '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function request(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
  // A literal IP address is connected to without a lookup.
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal) && isOwnEndpoint(literal, portOf(url))) return Promise.reject(refused(OWN_ROUTES));
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { signal, lookup: guardedLookup(portOf(url)) as never, headers: { accept: '*/*' } }, resolve);
    req.on('error', reject);
  });
}

function readLimited(res: IncomingMessage, maxBytes: number, tooLarge: () => ApiError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

function fetchError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'LOCALROS_OWN_ENDPOINT') return refused(OWN_ROUTES);
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return refused('the template could not be fetched (timed out)');
  return refused('the template could not be fetched (no connection)');
}

export async function fetchTemplateUrl(url: URL, maxBytes: number): Promise<string> {
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const sizeError = (): ApiError => refused(`the template must be 1 to ${maxBytes} bytes`);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(current, signal);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop === MAX_REDIRECTS) throw refused('the template could not be fetched (too many redirects)');
        current = new URL(res.headers.location, current);
        if (current.protocol !== 'http:' && current.protocol !== 'https:') throw refused('it redirects to a scheme other than http(s)');
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw refused('the template could not be fetched (the server answered with an error)');
      }
      if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
        res.destroy();
        throw sizeError();
      }
      const bytes = await readLimited(res, maxBytes, sizeError);
      if (bytes.length === 0) throw sizeError();
      return bytes.toString('utf8');
    }
  } catch (err) {
    throw fetchError(err);
  }
}
