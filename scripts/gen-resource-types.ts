// Regenerates src/stacks/resource-types/catalogue.json from the ROS CDK packages pinned in
// package.json devDependencies (see scripts/resource-types/). Review a regenerated diff like
// code: it changes which templates validate.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalogue } from './resource-types/build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const catalogue = buildCatalogue(root);
writeFileSync(`${root}src/stacks/resource-types/catalogue.json`, JSON.stringify(catalogue) + '\n');
const count = Object.keys(catalogue.types).length;
console.log(`wrote src/stacks/resource-types/catalogue.json: ${count} types from ${Object.keys(catalogue.source.packages).length} packages`);
