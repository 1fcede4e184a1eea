// The wire protocol through the official SDKs and a raw signing client, against a real server
// process (issue 2).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $ROS, popClient, rosClient } from '../helpers/clients.ts';
import { v1Request, v3Request } from '../helpers/raw-client.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
before(async () => {
  server = await startServer({ args: ['--in-memory'] });
});
after(() => server.stop());

describe('DescribeRegions through the official clients', () => {
  it('works with @alicloud/ros20190910 signing V3', async () => {
    const res = await rosClient(server.endpoint).describeRegions(new $ROS.DescribeRegionsRequest({ acceptLanguage: 'en-US' }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body!.requestId!, /^[0-9A-F-]{36}$/);
    const hangzhou = res.body!.regions!.find((r) => r.regionId === 'cn-hangzhou');
    assert.equal(hangzhou?.localName, 'China (Hangzhou)');
    assert.equal(hangzhou?.regionEndpoint, 'ros.aliyuncs.com');
  });

  it('works with @alicloud/ros20190910 signing V1 (signatureAlgorithm v2)', async () => {
    const res = await rosClient(server.endpoint, { v1: true }).describeRegions(new $ROS.DescribeRegionsRequest({}));
    const hangzhou = res.body!.regions!.find((r) => r.regionId === 'cn-hangzhou');
    assert.equal(hangzhou?.localName, '华东1（杭州）');
  });

  it('works with @alicloud/pop-core, GET and POST', async () => {
    const pop = popClient(server.url);
    for (const method of ['GET', 'POST']) {
      const res = (await pop.request('DescribeRegions', { AcceptLanguage: 'en-US' }, { method })) as { Regions: { RegionId: string }[]; RequestId: string };
      assert.ok(res.Regions.some((r) => r.RegionId === 'eu-central-1'), method);
      assert.ok(res.RequestId);
    }
  });

  it('answers XML for Format=XML, and errors as <Error>', async () => {
    const ok = await v1Request(server.url, { action: 'DescribeRegions', format: 'XML', params: { AcceptLanguage: 'en-US' } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type')!, /^text\/xml/);
    assert.match(ok.text, /<DescribeRegionsResponse><RequestId>[0-9A-F-]{36}<\/RequestId>/);
    assert.match(ok.text, /<RegionId>cn-hangzhou<\/RegionId><LocalName>China \(Hangzhou\)<\/LocalName>/);
    const bad = await v1Request(server.url, { action: 'NoSuchAction', format: 'XML' });
    assert.equal(bad.status, 404);
    assert.match(bad.text, /<Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>[^<]+<\/HostId><Code>InvalidAction.NotFound<\/Code>/);
  });

  it('accepts the /V2/<Action> path form', async () => {
    const res = await v3Request(server.url, { action: 'DescribeRegions', path: '/V2/DescribeRegions' });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.json.Regions));
  });

  it('puts RequestId in a header on every answer', async () => {
    const res = await v3Request(server.url, { action: 'DescribeRegions' });
    assert.equal(res.headers.get('x-acs-request-id'), res.json.RequestId);
  });

  it('answers GET /health', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
  });
});

describe('gateway errors, exact code and status', () => {
  const cases: [string, () => ReturnType<typeof v3Request>, number, string, RegExp?][] = [
    ['unknown AccessKeyId (V3)', () => v3Request(server.url, { action: 'DescribeRegions', credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } }), 404, 'InvalidAccessKeyId.NotFound'],
    ['unknown AccessKeyId (V1)', () => v1Request(server.url, { action: 'DescribeRegions', credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } }), 404, 'InvalidAccessKeyId.NotFound'],
    ['V1 without Signature', () => v1Request(server.url, { action: 'DescribeRegions', afterSign: (p) => delete p.Signature }), 400, 'MissingSignature', /^Signature is mandatory for this action\.$/],
    ['V1 without AccessKeyId', () => v1Request(server.url, { action: 'DescribeRegions', afterSign: (p) => delete p.AccessKeyId }), 400, 'MissingAccessKeyId', /^AccessKeyId is mandatory for this action\.$/],
    ['no credentials at all', () => fetch(`${server.url}/?Action=DescribeRegions&Version=2019-09-10`).then(async (r) => ({ status: r.status, json: await r.json() }) as never), 400, 'MissingAccessKeyId'],
    [
      'wrong secret (V3): message carries the server string-to-sign',
      () => v3Request(server.url, { action: 'DescribeRegions', credentials: { accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'wrong' } }),
      400,
      'SignatureDoesNotMatch',
      /server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/,
    ],
    [
      'wrong secret (V1)',
      () => v1Request(server.url, { action: 'DescribeRegions', credentials: { accessKeyId: 'LTAI5tLocalRosDefaultKey', accessKeySecret: 'wrong' } }),
      400,
      'SignatureDoesNotMatch',
      /server string to sign is:GET&%2F&AccessKeyId%3DLTAI5tLocalRosDefaultKey/,
    ],
    ['tampered query after signing (V3)', () => v3Request(server.url, { action: 'DescribeRegions', query: { AcceptLanguage: 'en-US' }, afterSign: (_h, q) => (q.AcceptLanguage = 'ja') }), 400, 'SignatureDoesNotMatch'],
    ['body that does not match its hash (V3)', () => v3Request(server.url, { action: 'DescribeRegions', body: { A: '1' }, afterSign: (h) => (h['x-acs-content-sha256'] = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') }), 400, 'SignatureDoesNotMatch'],
    ['expired x-acs-date', () => v3Request(server.url, { action: 'DescribeRegions', date: '2020-01-01T00:00:00Z' }), 400, 'InvalidTimeStamp.Expired'],
    ['malformed x-acs-date', () => v3Request(server.url, { action: 'DescribeRegions', date: 'yesterday' }), 400, 'InvalidTimeStamp.Format'],
    ['expired Timestamp (V1)', () => v1Request(server.url, { action: 'DescribeRegions', timestamp: '2020-01-01T00:00:00Z' }), 400, 'InvalidTimeStamp.Expired'],
    ['malformed Timestamp (V1)', () => v1Request(server.url, { action: 'DescribeRegions', timestamp: '2024-13-01 00:00' }), 400, 'InvalidTimeStamp.Format'],
    ['unsupported SignatureMethod', () => v1Request(server.url, { action: 'DescribeRegions', signatureMethod: 'HMAC-MD5' }), 400, 'InvalidSignatureMethod'],
    ['unsupported V3 algorithm', () => v3Request(server.url, { action: 'DescribeRegions', afterSign: (h) => (h.authorization = h.authorization.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3')) }), 400, 'InvalidSignatureMethod'],
    ['malformed Authorization', () => v3Request(server.url, { action: 'DescribeRegions', afterSign: (h) => (h.authorization = 'ACS3-HMAC-SHA256 Credential=x') }), 400, 'IncompleteSignature'],
    ['unknown action', () => v3Request(server.url, { action: 'DescribeNothing' }), 404, 'InvalidAction.NotFound'],
    ['unknown version', () => v3Request(server.url, { action: 'DescribeRegions', version: '2015-09-01' }), 400, 'InvalidVersion'],
    ['invalid parameter value', () => v3Request(server.url, { action: 'DescribeRegions', query: { AcceptLanguage: 'fr-FR' } }), 400, 'InvalidParameter', /^The specified parameter AcceptLanguage is invalid, it must be one of zh-CN, en-US, ja\.$/],
    ['missing required parameter', () => v3Request(server.url, { action: 'GetStackGroupOperation', query: { RegionId: 'cn-hangzhou' } }), 400, 'MissingParameter', /^The input parameter OperationId should be specified\.$/],
    ['Format neither JSON nor XML', () => v1Request(server.url, { action: 'DescribeRegions', format: 'YAML' }), 400, 'InvalidParameter.Format'],
    ['an HTTP method other than GET and POST', () => v3Request(server.url, { action: 'DescribeRegions', method: 'PUT' }), 400, 'UnsupportedHTTPMethod'],
    [
      'a body over the 8 MiB limit',
      () => fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `TemplateBody=${'x'.repeat(8 * 1024 * 1024 + 1)}` }).then(async (r) => ({ status: r.status, json: await r.json() }) as never),
      400,
      'InvalidParameter',
      /^The specified parameter Body is invalid, the request body is larger than 8388608 bytes\.$/,
    ],
  ];
  for (const [name, call, status, code, message] of cases) {
    it(name, async () => {
      const res = await call();
      assert.equal(res.status, status, JSON.stringify(res.json));
      assert.equal(res.json.Code, code);
      assert.match(String(res.json.RequestId), /^[0-9A-F-]{36}$/);
      if (message) assert.match(String(res.json.Message), message);
      assert.doesNotMatch(String(res.json.Message), /Signature=[0-9a-f]{64}/);
    });
  }

  // The signature covers x-acs-content-sha256, not the bytes: only comparing the claimed hash
  // with the body received catches a body changed in transit under an intact signature.
  describe('x-acs-content-sha256 must be the hash of the body received', () => {
    const english = { AcceptLanguage: 'en-US' };
    const chinese = { AcceptLanguage: 'zh-CN' };
    const refused = async (res: Promise<{ status: number; json: Record<string, unknown> }>) => {
      const r = await res;
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    };

    it('refuses a body changed after signing, its signed hash intact', () =>
      refused(v3Request(server.url, { action: 'DescribeRegions', body: english, sendBody: chinese })));
    it('refuses a signed body hash when the body is dropped', () => refused(v3Request(server.url, { action: 'DescribeRegions', body: english, sendBody: {} })));
    it('refuses a body added to a request signed as empty', () => refused(v3Request(server.url, { action: 'DescribeRegions', sendBody: english })));

    it('accepts the body its signed hash names, and reads its parameters', async () => {
      // The same forging path as above, with the body that was signed: what the refusals
      // above tell apart is the body, nothing else.
      for (const [form, localName] of [
        [english, 'China (Hangzhou)'],
        [chinese, '华东1（杭州）'],
      ] as const) {
        const res = await v3Request(server.url, { action: 'DescribeRegions', body: form, sendBody: form });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        const regions = res.json.Regions as { RegionId: string; LocalName: string }[];
        assert.equal(regions.find((r) => r.RegionId === 'cn-hangzhou')?.LocalName, localName);
      }
    });
  });

  it('rejects a reused nonce, V3 and V1', async () => {
    const first = await v3Request(server.url, { action: 'DescribeRegions', nonce: 'nonce-v3-1' });
    assert.equal(first.status, 200);
    const again = await v3Request(server.url, { action: 'DescribeRegions', nonce: 'nonce-v3-1' });
    assert.equal(again.status, 400);
    assert.equal(again.json.Code, 'SignatureNonceUsed');
    assert.equal((await v1Request(server.url, { action: 'DescribeRegions', nonce: 'nonce-v1-1' })).status, 200);
    const v1Again = await v1Request(server.url, { action: 'DescribeRegions', nonce: 'nonce-v1-1' });
    assert.equal(v1Again.json.Code, 'SignatureNonceUsed');
  });

  it('surfaces errors through the SDK as ClientError with code and status', async () => {
    const client = rosClient(server.endpoint, { credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } });
    await assert.rejects(client.describeRegions(new $ROS.DescribeRegionsRequest({})), (e: { code: string; statusCode: number }) => {
      assert.equal(e.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(e.statusCode, 404);
      return true;
    });
  });
});
