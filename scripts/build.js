// `npm run build`: src/ → dist/ (JavaScript and declarations, tsconfig.build.json), plus the
// console's static assets, the resource-type catalogue (read at run time) and jq's thread (plain
// JavaScript, jq-worker.mjs), which the compiler does not copy. dist/ is rebuilt from scratch so
// that no output of a deleted source file is shipped. dist/.built, written last, stamps a
// complete build for scripts/ensure-built.js (`npm start`, the bench).
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
cpSync(`${root}src/console/assets`, `${root}dist/console/assets`, { recursive: true });
cpSync(`${root}src/stacks/resource-types/catalogue.json`, `${root}dist/stacks/resource-types/catalogue.json`);
cpSync(`${root}src/stacks/template/jq-worker.mjs`, `${root}dist/stacks/template/jq-worker.mjs`);
writeFileSync(`${root}dist/.built`, `${new Date().toISOString()}\n`);
