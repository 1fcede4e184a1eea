// Builds the resource-type catalogue from the ROS CDK packages pinned in package.json, and the
// digest of everything it reads (the drift test recomputes it; see test/unit/resource-types/).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceTypeCatalogue, ResourceTypeSchema } from '../../src/stacks/resource-types/schema.ts';
import { parseGenerated } from './parse.ts';
import { CDK_SERVICES, cdkPackageName } from './services.ts';

const GENERATOR_SOURCES = [
  'scripts/gen-resource-types.ts',
  'scripts/resource-types/build.ts',
  'scripts/resource-types/parse.ts',
  'scripts/resource-types/services.ts',
  'src/stacks/resource-types/schema.ts',
];

interface Input {
  service: string;
  name: string;
  version: string;
  files: string[];
}

function generatedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...generatedFiles(path));
    else if (entry.name.endsWith('.generated.js')) out.push(path);
  }
  return out.sort();
}

function pinnedInputs(root: string): { inputs: Input[]; unavailable: string[] } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const pinned = pkg.devDependencies ?? {};
  const inputs: Input[] = [];
  const unavailable: string[] = [];
  for (const service of CDK_SERVICES) {
    const name = cdkPackageName(service);
    const version = pinned[name];
    if (version === undefined) {
      unavailable.push(name);
      continue;
    }
    const dir = join(root, 'node_modules', name);
    const installed = existsSync(join(dir, 'package.json'))
      ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
      : undefined;
    if (installed !== version) throw new Error(`${name}: package.json pins ${version} but ${installed ?? 'nothing'} is installed (run npm ci)`);
    inputs.push({ service, name, version, files: generatedFiles(join(dir, 'lib')) });
  }
  return { inputs, unavailable };
}

export function inputsDigest(root: string): string {
  const hash = createHash('sha256');
  for (const file of GENERATOR_SOURCES) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
  for (const input of pinnedInputs(root).inputs) {
    hash.update(`${input.name}@${input.version}\0`);
    for (const file of input.files) hash.update(readFileSync(file)).update(readFileSync(file.replace(/\.js$/, '.d.ts'))).update('\0');
  }
  return hash.digest('hex');
}

export const typesDigest = (types: ResourceTypeCatalogue['types']): string =>
  createHash('sha256').update(JSON.stringify(types)).digest('hex');

export function buildCatalogue(root: string): ResourceTypeCatalogue {
  const { inputs, unavailable } = pinnedInputs(root);
  const types: Record<string, ResourceTypeSchema> = {};
  const packages: Record<string, string> = {};
  for (const input of inputs) {
    packages[input.name] = input.version;
    for (const file of input.files) {
      const found = parseGenerated(input.service, readFileSync(file, 'utf8'), readFileSync(file.replace(/\.js$/, '.d.ts'), 'utf8'), file);
      for (const [type, schema] of Object.entries(found)) {
        // A type defined by two packages keeps the first (services are read in name order).
        if (!Object.hasOwn(types, type)) types[type] = schema;
      }
    }
  }
  const sorted = Object.fromEntries(Object.keys(types).sort().map((t) => [t, types[t]!]));
  return {
    source: { packages, unavailable, inputsDigest: inputsDigest(root), typesDigest: typesDigest(sorted) },
    types: sorted,
  };
}
