// The shipped catalogue is generated from the in-repository API reference; a drift is a
// failing test (never a skip: the reference is part of the checkout).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCatalogue } from '../../scripts/catalogue-source.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('src/api/catalogue.json matches spec/ros-api.json (npm run gen:catalogue)', () => {
  const expected = buildCatalogue(JSON.parse(readFileSync(`${root}spec/ros-api.json`, 'utf8')));
  const committed = JSON.parse(readFileSync(`${root}src/api/catalogue.json`, 'utf8'));
  assert.deepEqual(committed, expected);
});
