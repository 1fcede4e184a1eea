// The worked examples of ros-api.md §2.3, as vectors for both signature versions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rfc3986 } from '../../src/protocol/signature/rfc3986.ts';
import { v1Sign, v1StringToSign } from '../../src/protocol/signature/v1.ts';
import { canonicalRequest, sha256Hex, v3Sign, v3StringToSign } from '../../src/protocol/signature/v3.ts';

describe('V3 ACS3-HMAC-SHA256', () => {
  it('reproduces the worked example', () => {
    const body = 'TemplateBody=%7B%22ROSTemplateFormatVersion%22%3A%222015-09-01%22%7D';
    const payload = sha256Hex(body);
    assert.equal(payload, '3d6fab3a7af9f5e06fe1a308182f9bc6c910a0f5e6e6d4f3e2a87036e582a159');
    const canonical = canonicalRequest(
      'POST',
      '/',
      new Map([
        ['RegionId', 'cn-hangzhou'],
        ['StackGroupName', 'MyStackGroup'],
        ['Description', 'my group (v1)'],
      ]),
      [
        ['content-type', 'application/x-www-form-urlencoded'],
        ['host', 'ros.aliyuncs.com'],
        ['x-acs-action', 'CreateStackGroup'],
        ['x-acs-content-sha256', payload],
        ['x-acs-date', '2024-05-01T08:00:00Z'],
        ['x-acs-signature-nonce', '3b7c5d1e9f0a4b2c8d6e7f8091a2b3c4'],
        ['x-acs-version', '2019-09-10'],
      ],
      payload,
    );
    assert.equal(sha256Hex(canonical), '566142a980db03c6a048ed1a5f718818f291fc4c5d276c59e04dcff3224a1dda');
    assert.equal(v3Sign('testsecret', v3StringToSign(canonical)), 'cff038a1e681c58ef5b11f7ea282a7d44b61088ab4b6e3075fde49ae5985e717');
  });
});

describe('V1 HMAC-SHA1', () => {
  const params = new Map([
    ['Action', 'GetStackGroup'],
    ['Format', 'json'],
    ['Version', '2019-09-10'],
    ['Timestamp', '2024-05-01T08:00:00Z'],
    ['SignatureNonce', '3b7c5d1e9f0a4b2c8d6e7f8091a2b3c4'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['AccessKeyId', 'testid'],
    ['RegionId', 'cn-hangzhou'],
    ['StackGroupName', 'My Stack*Group'],
  ]);

  it('reproduces the worked example for POST and GET', () => {
    assert.equal(v1Sign('testsecret', v1StringToSign('POST', params)), '8lEal6yBA4h/w/JbJ4+QfAaHc8U=');
    assert.equal(v1Sign('testsecret', v1StringToSign('GET', params)), 'aVG73YrZvS5sRog8hnBQcliXgnM=');
  });

  it('ignores the Signature parameter itself', () => {
    const signed = new Map([...params, ['Signature', 'whatever']]);
    assert.equal(v1StringToSign('GET', signed), v1StringToSign('GET', params));
  });

  it('matches the corrected DescribeRegions example of the ROS signature page', () => {
    const doc = new Map([
      ['Action', 'DescribeRegions'],
      ['Version', '2019-09-10'],
      ['Format', 'XML'],
      ['Timestamp', '2019-08-23T12:46:24Z'],
      ['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['AccessKeyId', 'testid'],
    ]);
    assert.equal(v1Sign('testsecret', v1StringToSign('GET', doc)), 'u5GLRDKD9xTcL8TpK+1XvnDlVx8=');
  });
});

describe('RFC 3986 encoding', () => {
  for (const [input, expected] of [
    ['a b', 'a%20b'],
    ['*', '%2A'],
    ['~', '~'],
    ["!'()", '%21%27%28%29'],
    ['华', '%E5%8D%8E'],
    ['a+b=c&d', 'a%2Bb%3Dc%26d'],
  ]) {
    it(`encodes ${JSON.stringify(input)}`, () => assert.equal(rfc3986(input), expected));
  }
});
