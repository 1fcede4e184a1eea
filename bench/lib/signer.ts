// V3 (ACS3-HMAC-SHA256) signing of an RPC call as @alicloud/openapi-core sends it: POST /,
// parameters in the query string, an empty body, and the SDK's header set. The SDK's helper
// costs ~35 µs a signature, which makes pools of 100,000 requests slow to build, so signing is
// re-implemented here with node:crypto, following the SDK (not the server), and
// `assertSdkSignature` checks it against the SDK's own helper at the start of every run.
import { OpenApiUtil } from '@alicloud/openapi-core';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/config/schema.ts';

export type RpcParams = Record<string, string | number | boolean | object>;

export interface SignedRequest {
  method: 'POST';
  // Path and query string, ready for the request line.
  path: string;
  headers: Record<string, string>;
}

const ALGORITHM = 'ACS3-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
// The SDK's `encode`: encodeURIComponent plus the characters RFC 3986 reserves.
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
// The SDK sends lists and maps JSON-encoded in the query ("json" style).
const wireValue = (v: RpcParams[string]): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));
// The date changes once a second; a pool of thousands formats it once.
let lastDate = { second: -1, text: '' };
function isoNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastDate.second) lastDate = { second, text: new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z') };
  return lastDate.text;
}

function queryOf(params: RpcParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) query[k] = wireValue(v);
  return query;
}

// Signs many requests of one action and parameters: everything but the date and the nonce is
// computed once. `host` must be the Host header the server will see (host:port).
export function rpcSigner(host: string, action: string, params: RpcParams): () => SignedRequest {
  const query = queryOf(params);
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${k}=${rfc3986(query[k])}`)
    .join('&');
  const qs = Object.entries(query)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  const path = qs ? `/?${qs}` : '/';
  // Signed: host and every x-acs-* header (content-type too, but an empty body has none), sorted.
  const signedNames = 'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version';
  return () => {
    const date = isoNow();
    const nonce = randomUUID();
    const canonicalHeaders =
      `host:${host}\nx-acs-action:${action}\nx-acs-content-sha256:${EMPTY_SHA256}\n` +
      `x-acs-date:${date}\nx-acs-signature-nonce:${nonce}\nx-acs-version:2019-09-10\n`;
    const canonicalRequest = `POST\n/\n${canonicalQuery}\n${canonicalHeaders}\n${signedNames}\n${EMPTY_SHA256}`;
    const stringToSign = `${ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', DEFAULT_ACCESS_KEY_SECRET).update(stringToSign).digest('hex');
    return {
      method: 'POST',
      path,
      headers: {
        host,
        'x-acs-version': '2019-09-10',
        'x-acs-action': action,
        'user-agent': 'localros-bench',
        'x-acs-date': date,
        'x-acs-signature-nonce': nonce,
        accept: 'application/json',
        'x-acs-content-sha256': EMPTY_SHA256,
        authorization: `${ALGORITHM} Credential=${DEFAULT_ACCESS_KEY_ID},SignedHeaders=${signedNames},Signature=${signature}`,
      },
    };
  };
}

export function signRpc(host: string, action: string, params: RpcParams): SignedRequest {
  return rpcSigner(host, action, params)();
}

// Throws unless the SDK's helper computes the same Authorization header for these parameters.
export function assertSdkSignature(host: string, action: string, params: RpcParams): void {
  const { authorization: ours, ...headers } = signRpc(host, action, params).headers;
  const sdk = OpenApiUtil.getAuthorization({ pathname: '/', method: 'POST', query: queryOf(params), headers } as never, ALGORITHM, EMPTY_SHA256, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET);
  if (sdk !== ours) throw new Error(`bench signer disagrees with the SDK:\n  ours ${ours}\n  sdk  ${sdk}`);
}
