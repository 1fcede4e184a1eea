// A hand-signing client for requests the SDKs will not produce (forged signatures, stale
// timestamps, replayed nonces). Signing uses the SDK's own helpers from
// @alicloud/openapi-core, never the server's code, so the two implementations check each other.
import { OpenApiUtil } from '@alicloud/openapi-core';
import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_CREDENTIALS, type Credentials } from './clients.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const nowStamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function send(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // XML and empty bodies are read through `text`.
  }
  return { status: res.status, headers: res.headers, text, json };
}

export interface V3Options {
  action: string;
  query?: Record<string, string>;
  body?: Record<string, string>;
  credentials?: Credentials;
  date?: string;
  nonce?: string;
  version?: string;
  // Changes applied after signing, to forge a request.
  afterSign?: (headers: Record<string, string>, query: Record<string, string>) => void;
  // The body actually sent, in place of `body` (whose hash is the one claimed and signed): a
  // body changed in transit under a correctly signed x-acs-content-sha256.
  sendBody?: Record<string, string>;
  path?: string;
  method?: string;
}

export async function v3Request(baseUrl: string, opts: V3Options): Promise<RawResponse> {
  const creds = opts.credentials ?? DEFAULT_CREDENTIALS;
  const query = { ...(opts.query ?? {}) };
  const formEncode = (form: Record<string, string> | undefined) => (form ? Object.entries(form).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&') : '');
  const bodyText = formEncode(opts.body);
  const host = new URL(baseUrl).host;
  const headers: Record<string, string> = {
    host,
    'x-acs-action': opts.action,
    'x-acs-version': opts.version ?? '2019-09-10',
    'x-acs-date': opts.date ?? nowStamp(),
    'x-acs-signature-nonce': opts.nonce ?? randomUUID(),
    'x-acs-content-sha256': createHash('sha256').update(bodyText).digest('hex'),
  };
  if (opts.body ?? opts.sendBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  const path = opts.path ?? '/';
  const method = opts.method ?? 'POST';
  headers.authorization = OpenApiUtil.getAuthorization(
    { pathname: path, method, query, headers } as never,
    'ACS3-HMAC-SHA256',
    headers['x-acs-content-sha256'],
    creds.accessKeyId,
    creds.accessKeySecret,
  );
  opts.afterSign?.(headers, query);
  const qs = Object.entries(query).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const { host: _host, ...sendHeaders } = headers;
  const sentText = opts.sendBody ? formEncode(opts.sendBody) : bodyText;
  return send(`${baseUrl}${path}${qs ? `?${qs}` : ''}`, { method, headers: sendHeaders, body: method === 'GET' ? undefined : sentText || undefined });
}

export interface V1Options {
  action: string;
  params?: Record<string, string>;
  credentials?: Credentials;
  timestamp?: string;
  nonce?: string;
  method?: 'GET' | 'POST';
  signatureMethod?: string;
  format?: string;
  afterSign?: (params: Record<string, string>) => void;
}

export async function v1Request(baseUrl: string, opts: V1Options): Promise<RawResponse> {
  const creds = opts.credentials ?? DEFAULT_CREDENTIALS;
  const method = opts.method ?? 'GET';
  const params: Record<string, string> = {
    Action: opts.action,
    Version: '2019-09-10',
    Format: opts.format ?? 'JSON',
    AccessKeyId: creds.accessKeyId,
    SignatureMethod: opts.signatureMethod ?? 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomUUID(),
    Timestamp: opts.timestamp ?? nowStamp(),
    ...(opts.params ?? {}),
  };
  params.Signature = OpenApiUtil.getRPCSignature(params, method, creds.accessKeySecret);
  opts.afterSign?.(params);
  const qs = Object.entries(params).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return method === 'GET'
    ? send(`${baseUrl}/?${qs}`, { method })
    : send(`${baseUrl}/`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: qs });
}
