// The shipped catalogue is generated from the shared reference; a drift is a failing test.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCatalogue } from '../../scripts/catalogue-source.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specPath = `${root}../shared/spec/ros-api.json`;

it('src/api/catalogue.json matches ../shared/spec/ros-api.json (npm run gen:catalogue)', { skip: !existsSync(specPath) && 'no ../shared beside the checkout' }, () => {
  const expected = buildCatalogue(JSON.parse(readFileSync(specPath, 'utf8')));
  const committed = JSON.parse(readFileSync(`${root}src/api/catalogue.json`, 'utf8'));
  assert.deepEqual(committed, expected);
});
