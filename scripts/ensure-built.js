// Keeps dist/ in step with src/ for `npm start` and the bench, which run the compiled server
// (no TypeScript loader at run time: faster to start, ~16 MB less memory, the code users run).
// `npm run build` stamps dist/.built when it succeeds; dist/ is rebuilt when the stamp is
// missing or older than any source, the build script or a TypeScript configuration (a pull or
// an edit since the last build). Checking is a stat of ~250 files, a few milliseconds.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(root, 'dist', '.built');
const INPUTS = ['src', 'scripts/build.js', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function stampMtime() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

function isStale() {
  const built = stampMtime();
  return built < 0 || INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

// Rebuilds dist/ when stale; progress goes to stderr so that stdout stays the server's.
export function ensureBuilt() {
  if (!isStale()) return;
  process.stderr.write('localros: dist/ is missing or older than src/, building (npm run build)…\n');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

// `node scripts/ensure-built.js`: the bench calls it once before it starts any server.
if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuilt();
