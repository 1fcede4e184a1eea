// Regenerates src/api/catalogue.json from the ROS API reference kept in this repository
// (spec/ros-api.json): the parameter definitions the request decoder validates
// against, and the region list. Review a regenerated diff like code: it changes validation.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalogue } from './catalogue-source.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const spec = JSON.parse(readFileSync(`${root}spec/ros-api.json`, 'utf8'));
writeFileSync(`${root}src/api/catalogue.json`, JSON.stringify(buildCatalogue(spec), null, 1) + '\n');
console.log('wrote src/api/catalogue.json');
