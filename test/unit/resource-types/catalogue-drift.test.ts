// The committed catalogue must be what the generator makes from the pinned CDK packages:
// a changed generator, a re-pinned package or a hand edit of the data fails here until
// `npm run gen:resource-types` is run and its diff committed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inputsDigest, typesDigest } from '../../../scripts/resource-types/build.ts';
import type { ResourceTypeCatalogue } from '../../../src/stacks/resource-types/schema.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = JSON.parse(readFileSync(`${root}src/stacks/resource-types/catalogue.json`, 'utf8')) as ResourceTypeCatalogue;

describe('resource-type catalogue drift', () => {
  it('was generated from the current generator and pinned packages', () => {
    assert.equal(committed.source.inputsDigest, inputsDigest(root), 'inputs changed: run npm run gen:resource-types');
  });

  it('has not been edited by hand', () => {
    assert.equal(typesDigest(committed.types), committed.source.typesDigest, 'catalogue.json edited: run npm run gen:resource-types');
  });

  it('records the exact pinned version of every package it read', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { devDependencies: Record<string, string> };
    for (const [name, version] of Object.entries(committed.source.packages)) assert.equal(pkg.devDependencies[name], version, name);
  });
});
