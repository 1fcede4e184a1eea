// Two servers in one process (the in-process `startLocalRos` case) share no template state: each
// has its own resource limit and its own parsed templates, and a reset empties its cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { createServer, type LocalRosServer } from '../../src/server.ts';
import { resolveParameters } from '../../src/stacks/template/index.ts';
import { ApiError } from '../../src/protocol/errors.ts';

const PSEUDO = { StackName: 's', StackId: 'id', Region: 'cn-hangzhou', AccountId: '1' };

// `n` resources, or one resource copied `Copies` times when `counted`.
function body(n: number, counted = false): string {
  const resources = counted
    ? { R: { Type: 'ALIYUN::ROS::WaitConditionHandle', Count: { Ref: 'Copies' } } }
    : Object.fromEntries(Array.from({ length: n }, (_, i) => [`R${i}`, { Type: 'ALIYUN::ROS::WaitConditionHandle' }]));
  return JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Parameters: counted ? { Copies: { Type: 'Number' } } : {}, Resources: resources });
}

const tooMany = (e: unknown) => e instanceof ApiError && e.code === 'InvalidTemplate' && /more than 5 resources/.test(e.message);

describe('per-server template state', () => {
  let small: LocalRosServer;
  let standard: LocalRosServer;

  before(async () => {
    const flags = (limits?: { resourcesPerStack: number }) => ({ port: 0, inMemory: true, logLevel: 'warn' as const, ...(limits ? { limits } : {}) });
    small = await createServer(loadConfig({ flags: flags({ resourcesPerStack: 5 }) }));
    standard = await createServer(loadConfig({ flags: flags() }));
  });
  after(async () => {
    await small.stop();
    await standard.stop();
  });

  it('checks templates against the limit of the server that loads them', () => {
    assert.throws(() => small.services.templates.load(body(6)), tooMany);
    assert.equal(Object.keys(standard.services.templates.load(body(6)).Resources).length, 6);
    assert.equal(small.services.templates.maxResources, 5);
    assert.equal(standard.services.templates.maxResources, 300);
  });

  it('keeps the limit with the template for the checks that come with values', () => {
    const values = { Copies: '6' };
    assert.throws(() => resolveParameters(small.services.templates.cached(body(0, true)), values, PSEUDO), tooMany);
    assert.doesNotThrow(() => resolveParameters(standard.services.templates.cached(body(0, true)), values, PSEUDO));
  });

  it('parses a body once per server, and again after a reset', async () => {
    const text = body(2);
    const first = small.services.templates.cached(text);
    assert.equal(small.services.templates.cached(text), first);
    assert.notEqual(standard.services.templates.cached(text), first);
    await small.services.reset();
    assert.notEqual(small.services.templates.cached(text), first);
  });
});
