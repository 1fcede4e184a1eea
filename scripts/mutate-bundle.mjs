#!/usr/bin/env node
// Runs node:test files in this process from one esbuild bundle of them and the sources they
// import: the test command of `npm run mutate` (stryker.config.mjs, docs/testing.md).
//   node scripts/mutate-bundle.mjs test/unit/plan.test.ts test/engine/runner.test.ts
// Stryker runs that command once per mutant over the same instrumented sources (the mutant is
// chosen by an environment variable), so the bundle is built once per sandbox and reused: a run
// then costs plain node, not tsx's loader transforming every module again.
// The bundle is rebuilt whenever an input is newer than it, so a stale one is never run.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/mutate-bundle.mjs <test file>...');
  process.exit(2);
}

const dir = resolve('.mutate-bundle');
// The directory is part of the name: a copied tree (a sandbox) never reuses another's bundle.
const name = createHash('sha256').update([process.cwd(), ...files].join('\n')).digest('hex').slice(0, 16);
const out = join(dir, `${name}.mjs`);
const inputsFile = join(dir, `${name}.inputs.json`);

function fresh() {
  if (!existsSync(out) || !existsSync(inputsFile)) return false;
  const built = statSync(out).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  return inputs.every((f) => existsSync(f) && statSync(f).mtimeMs <= built);
}

// A bundle lives elsewhere than its modules: `new URL('./x', import.meta.url)` (the resource
// catalogue, the jq worker) must keep meaning the module's own directory.
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

if (!fresh()) {
  const result = await build({
    stdin: { contents: files.map((f) => `import ${JSON.stringify(resolve(f))};`).join('\n'), resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    // Dependencies load from node_modules as usual; only this repository's code is bundled.
    packages: 'external',
    alias: { 'localros/testing': './src/testing/index.ts' },
    plugins: [keepModuleUrls],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== '<stdin>').map((f) => resolve(f));
  writeFileSync(inputsFile, JSON.stringify(inputs));
}

await import(pathToFileURL(out).href);
