// The two verifiers through their Authenticator seam, with requests signed by the SDK's own
// helpers (@alicloud/openapi-core), never by the server's code. Fast enough to run for every
// mutant of src/protocol/signature/ (npm run mutate, docs/testing.md); the same rules are tested
// end to end through a real server in test/sdk/protocol.test.ts.
import { OpenApiUtil } from '@alicloud/openapi-core';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/protocol/errors.ts';
import type { AuthOutcome, SignedRequest } from '../../src/protocol/signature/types.ts';
import { verifyV1 } from '../../src/protocol/signature/v1.ts';
import { verifyV3 } from '../../src/protocol/signature/v3.ts';

const KEY = 'LTAI5tVerifyKey';
const SECRET = 'verify-secret';
const lookup = (id: string) => (id === KEY ? SECRET : undefined);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function code(outcome: AuthOutcome | undefined): string | undefined {
  return outcome instanceof ApiError ? outcome.code : undefined;
}

function accepted(outcome: AuthOutcome | undefined) {
  assert.ok(outcome && !(outcome instanceof ApiError), `refused: ${outcome instanceof ApiError ? `${outcome.code} ${outcome.message}` : 'not recognised'}`);
  return outcome;
}

interface V3Input {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: string;
  extraHeaders?: Record<string, string>;
  secret?: string;
  // Changes applied to the request after signing.
  tamper?: (req: SignedRequest & { headers: Record<string, string | string[]>; query: Map<string, string> }) => void;
}

function v3(input: V3Input = {}): SignedRequest & { headers: Record<string, string | string[]>; query: Map<string, string> } {
  const body = input.body ?? '';
  const query = input.query ?? { RegionId: 'cn-hangzhou' };
  const headers: Record<string, string> = {
    host: 'ros.aliyuncs.com',
    'x-acs-action': 'DescribeRegions',
    'x-acs-version': '2019-09-10',
    'x-acs-date': '2026-11-28T12:00:00Z',
    'x-acs-signature-nonce': 'nonce-1',
    'x-acs-content-sha256': sha256(body),
    ...(input.extraHeaders ?? {}),
  };
  const method = input.method ?? 'POST';
  const path = input.path ?? '/';
  headers.authorization = OpenApiUtil.getAuthorization(
    { pathname: path, method, query, headers } as never,
    'ACS3-HMAC-SHA256',
    headers['x-acs-content-sha256'],
    KEY,
    input.secret ?? SECRET,
  );
  const req = { method, path, headers: headers as Record<string, string | string[]>, query: new Map(Object.entries(query)), body: new Map<string, string>(), rawBody: Buffer.from(body) };
  input.tamper?.(req);
  return req;
}

describe('verifyV3', () => {
  it('accepts a request the SDK signed and answers its key, nonce and timestamp', () => {
    assert.deepEqual(accepted(verifyV3(v3(), lookup)), { accessKeyId: KEY, nonce: 'nonce-1', timestamp: '2026-11-28T12:00:00Z' });
  });

  it('accepts a body, query values that need escaping, and every query order', () => {
    const query = { Zeta: 'a b*~', RegionId: 'cn-hangzhou', Alpha: '华东/1', Mid: '' };
    accepted(verifyV3(v3({ body: 'TemplateBody=%7B%7D', query }), lookup));
    accepted(verifyV3(v3({ method: 'GET', query: { B: '1', A: '2', C: '3' } }), lookup));
  });

  it('accepts extra signed headers, upper-case hex and values with spaces around them', () => {
    accepted(verifyV3(v3({ extraHeaders: { 'content-type': 'application/x-www-form-urlencoded' } }), lookup));
    const upper = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/Signature=([0-9a-f]+)$/, (_m, s: string) => `Signature=${s.toUpperCase()}`)) });
    accepted(verifyV3(upper, lookup));
    // Values around which a proxy added spaces are the same values.
    accepted(verifyV3(v3({ tamper: (r) => (r.headers['x-acs-action'] = '  DescribeRegions ') }), lookup));
  });

  it('leaves requests of another scheme to the next authenticator', () => {
    assert.equal(verifyV3(v3({ tamper: (r) => delete r.headers.authorization }), lookup), undefined);
    assert.equal(verifyV3(v3({ tamper: (r) => (r.headers.authorization = 'Bearer abc') }), lookup), undefined);
  });

  it('refuses a malformed Authorization, another algorithm and unsigned required headers', () => {
    const malformed = verifyV3(v3({ tamper: (r) => (r.headers.authorization = 'ACS3-HMAC-SHA256 Credential=x') }), lookup);
    assert.equal(code(malformed), 'IncompleteSignature');
    assert.match((malformed as ApiError).message, /The Authorization header is malformed\./);
    const sm3 = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3')) });
    assert.equal(code(verifyV3(sm3, lookup)), 'InvalidSignatureMethod');
    const unsigned = verifyV3(
      v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/SignedHeaders=[^,]+/, 'SignedHeaders=host;x-acs-action;x-acs-date')) }),
      lookup,
    );
    assert.equal(code(unsigned), 'IncompleteSignature');
    assert.match((unsigned as ApiError).message, /Headers that must be signed are not: x-acs-version, x-acs-signature-nonce, x-acs-content-sha256\.$/);
  });

  it('reads the signed header list case- and space-insensitively', () => {
    // Same list, written differently: the signature still matches because the names are the same.
    const spaced = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/SignedHeaders=([^,]+)/, (_m, l: string) => `SignedHeaders=${l.toUpperCase().split(';').join(' ; ')}`)) });
    accepted(verifyV3(spaced, lookup));
    const twoSpaces = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(' Credential=', '  Credential=')) });
    accepted(verifyV3(twoSpaces, lookup));
    const commaSpace = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/,(SignedHeaders|Signature)=/g, ', $1=')) });
    accepted(verifyV3(commaSpace, lookup));
  });

  it('refuses an Authorization header with anything before or after its parts', () => {
    const trailing = v3({ tamper: (r) => (r.headers.authorization = `${r.headers.authorization as string}zz`) });
    assert.equal(code(verifyV3(trailing, lookup)), 'IncompleteSignature');
    const prefixed = v3({ tamper: (r) => (r.headers.authorization = `ACS3-X ${r.headers.authorization as string}`) });
    assert.equal(code(verifyV3(prefixed, lookup)), 'IncompleteSignature');
    const noSignature = v3({ tamper: (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/,\s*Signature=.*$/, '')) });
    assert.equal(code(verifyV3(noSignature, lookup)), 'IncompleteSignature');
  });

  it('refuses an unknown access key', () => {
    assert.equal(code(verifyV3(v3(), () => undefined)), 'InvalidAccessKeyId.NotFound');
  });

  it('refuses a wrong secret and names the string it signed', () => {
    const refused = verifyV3(v3({ secret: 'wrong' }), lookup);
    assert.equal(code(refused), 'SignatureDoesNotMatch');
    assert.match((refused as ApiError).message, /server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  });

  it('signs a signed header the request lacks as empty, the content hash included, and names that string', () => {
    const refused = verifyV3(v3({ tamper: (r) => delete r.headers['x-acs-content-sha256'] }), lookup);
    assert.equal(code(refused), 'SignatureDoesNotMatch');
    const canonical = [
      'POST',
      '/',
      'RegionId=cn-hangzhou',
      'host:ros.aliyuncs.com',
      'x-acs-action:DescribeRegions',
      'x-acs-content-sha256:',
      'x-acs-date:2026-11-28T12:00:00Z',
      'x-acs-signature-nonce:nonce-1',
      'x-acs-version:2019-09-10',
      '',
      'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
      // The payload hash is the (absent) declared one, not the body's.
      '',
    ].join('\n');
    assert.ok((refused as ApiError).message.endsWith(`server string to sign is:ACS3-HMAC-SHA256\n${sha256(canonical)}`), (refused as ApiError).message);
  });

  it('answers a signed but absent nonce or date as empty, for the freshness check to refuse', () => {
    // Signed as empty (the SDK signs what it is given), then left out of the request.
    const req = v3({
      extraHeaders: { 'x-acs-signature-nonce': '', 'x-acs-date': '' },
      tamper: (r) => {
        delete r.headers['x-acs-signature-nonce'];
        delete r.headers['x-acs-date'];
      },
    });
    assert.deepEqual(accepted(verifyV3(req, lookup)), { accessKeyId: KEY, nonce: '', timestamp: '' });
  });

  it('refuses any signed part changed after signing', () => {
    const changes: ((r: ReturnType<typeof v3>) => void)[] = [
      (r) => r.query.set('RegionId', 'cn-beijing'),
      (r) => r.query.set('Extra', '1'),
      (r) => (r.method = 'GET'),
      (r) => (r.path = '/other'),
      (r) => (r.headers['x-acs-date'] = '2026-11-28T12:00:01Z'),
      (r) => (r.headers['x-acs-signature-nonce'] = 'nonce-2'),
      (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/.$/, (c) => (c === '0' ? '1' : '0'))),
      (r) => (r.headers.authorization = (r.headers.authorization as string).replace(/Signature=[0-9a-f]+$/, 'Signature=abc')),
    ];
    for (const change of changes) assert.equal(code(verifyV3(v3({ tamper: change }), lookup)), 'SignatureDoesNotMatch', change.toString());
  });

  it('refuses a body that is not the one whose hash was signed, and the reverse', () => {
    assert.equal(code(verifyV3(v3({ body: 'A=1', tamper: (r) => (r.rawBody = Buffer.from('A=2')) }), lookup)), 'SignatureDoesNotMatch');
    assert.equal(code(verifyV3(v3({ body: 'A=1', tamper: (r) => (r.rawBody = Buffer.alloc(0)) }), lookup)), 'SignatureDoesNotMatch');
    assert.equal(code(verifyV3(v3({ tamper: (r) => (r.rawBody = Buffer.from('A=1')) }), lookup)), 'SignatureDoesNotMatch');
  });

  it('signs the path as the SDK rewrites it', () => {
    for (const path of ['/a+b', '/a*b', '/a%7Eb', '/plain']) accepted(verifyV3(v3({ path }), lookup));
  });
});

function v1(params: Record<string, string>, method = 'GET', secret = SECRET): Record<string, string> {
  const all: Record<string, string> = {
    Action: 'DescribeRegions',
    Version: '2019-09-10',
    Format: 'JSON',
    AccessKeyId: KEY,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: 'nonce-v1',
    Timestamp: '2026-11-28T12:00:00Z',
    ...params,
  };
  all.Signature = OpenApiUtil.getRPCSignature(all, method, secret);
  return all;
}

const v1Request = (query: Record<string, string>, body: Record<string, string> = {}, method = 'GET'): SignedRequest => ({
  method,
  path: '/',
  headers: {},
  query: new Map(Object.entries(query)),
  body: new Map(Object.entries(body)),
  rawBody: Buffer.alloc(0),
});

describe('verifyV1', () => {
  it('accepts a request pop-core would send and answers its key, nonce and timestamp', () => {
    assert.deepEqual(accepted(verifyV1(v1Request(v1({ RegionId: 'cn-hangzhou', Name: 'a b*~华' })), lookup)), {
      accessKeyId: KEY,
      nonce: 'nonce-v1',
      timestamp: '2026-11-28T12:00:00Z',
    });
  });

  it('signs query and form body together', () => {
    const { TemplateBody, ...query } = v1({ TemplateBody: '{"a":1}' }, 'POST');
    accepted(verifyV1(v1Request(query, { TemplateBody }, 'POST'), lookup));
    assert.equal(code(verifyV1(v1Request(query, { TemplateBody: '{"a":2}' }, 'POST'), lookup)), 'SignatureDoesNotMatch');
  });

  it('answers a missing nonce or timestamp as empty, for the freshness check to refuse', () => {
    const { SignatureNonce: _n, Timestamp: _t, ...rest } = v1({});
    const signed = { ...rest, Signature: OpenApiUtil.getRPCSignature({ ...rest, Signature: undefined } as never, 'GET', SECRET) };
    const outcome = accepted(verifyV1(v1Request(signed), lookup));
    assert.equal(outcome.nonce, '');
    assert.equal(outcome.timestamp, '');
  });

  it('leaves requests without a Signature to the next authenticator', () => {
    const { Signature: _s, ...unsigned } = v1({});
    assert.equal(verifyV1(v1Request(unsigned), lookup), undefined);
  });

  it('refuses what it cannot verify with the documented codes', () => {
    assert.equal(code(verifyV1(v1Request(v1({ SignatureMethod: 'HMAC-MD5' })), lookup)), 'InvalidSignatureMethod');
    const version = verifyV1(v1Request(v1({ SignatureVersion: '2.0' })), lookup);
    assert.equal(code(version), 'InvalidParameter');
    assert.match((version as ApiError).message, /SignatureVersion.*only 1\.0 is supported/);
    const noKey = verifyV1(v1Request(v1({ AccessKeyId: '' })), lookup);
    assert.equal(code(noKey), 'MissingAccessKeyId');
    assert.match((noKey as ApiError).message, /AccessKeyId/);
    assert.equal(code(verifyV1(v1Request(v1({ AccessKeyId: 'nobody' })), lookup)), 'InvalidAccessKeyId.NotFound');
  });

  it('refuses a wrong secret, a changed parameter and a truncated signature', () => {
    const wrong = verifyV1(v1Request(v1({}, 'GET', 'wrong')), lookup);
    assert.equal(code(wrong), 'SignatureDoesNotMatch');
    assert.match((wrong as ApiError).message, /server string to sign is:GET&%2F&AccessKeyId%3DLTAI5tVerifyKey/);
    assert.equal(code(verifyV1(v1Request({ ...v1({}), RegionId: 'cn-beijing' }), lookup)), 'SignatureDoesNotMatch');
    assert.equal(code(verifyV1(v1Request(v1({}), {}, 'POST'), lookup)), 'SignatureDoesNotMatch');
    const signed = v1({});
    assert.equal(code(verifyV1(v1Request({ ...signed, Signature: signed.Signature.slice(0, -2) }), lookup)), 'SignatureDoesNotMatch');
  });
});
