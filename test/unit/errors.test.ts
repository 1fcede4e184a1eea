// The error catalogue and the README's table stay in step (the fastify practice).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ApiError, ERROR_CATALOGUE, renderTemplate } from '../../src/protocol/errors.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

it('documents every catalogue entry with its status and message in the README', () => {
  for (const [name, def] of Object.entries(ERROR_CATALOGUE)) {
    const code = 'wireCode' in def ? def.wireCode : name;
    const row = `| \`${code}\` | ${def.status} | ${def.message.replace(/\|/g, '\\|')} |`;
    assert.ok(readme.includes(row), `README lacks: ${row}`);
  }
});

it('fills message templates and keeps unknown placeholders visible', () => {
  assert.equal(new ApiError('StackGroupNotFound', { name: 'g' }).message, 'The StackGroup (g) could not be found.');
  assert.equal(new ApiError('MissingOneOfParameters', { names: 'A, B' }).code, 'MissingParameter');
  assert.equal(renderTemplate('x {a} {b}', { a: 1 }), 'x 1 {b}');
});
