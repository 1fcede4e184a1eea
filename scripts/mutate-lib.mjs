// What scripts/mutate-sample.mjs and mutate-covered.mjs share: the engine's parts, a seeded
// generator, the mutants of a plan, and one run of a part's tests as Stryker's command runner
// runs it (in the sandbox, __STRYKER_ACTIVE_MUTANT__ set, the first failure ends the run).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineParts } from '../stryker.config.mjs';

// The parts' globs are `src/engine/@(a|b).ts`.
const globRe = (glob) => new RegExp(`^${glob.replace(/\./g, '\\.').replace(/@\(([^)]*)\)/g, '($1)')}$`);
const parts = Object.entries(engineParts).map(([name, p]) => ({ name, res: p.mutate.map(globRe), tests: p.tests }));
export const partOf = (file) => parts.find((p) => p.res.some((re) => re.test(file)));

// mulberry32: a small seeded generator, so that the same sample or order can be drawn again.
export function seededRandom(seed) {
  let state = Number(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The mutants of a run's `onMutationTestingPlanReady` event that are to run (not those an
// ignorer or a `// Stryker disable` comment set aside), each with its path under src/.
export const plannedMutants = (planFile) =>
  JSON.parse(readFileSync(planFile, 'utf8'))
    .mutantPlans.filter((p) => p.plan === 'Run')
    .map((p) => p.mutant)
    .map((m) => ({ ...m, file: `src/${m.fileName.split('/src/').pop()}` }));

// Resolves { status: 'Killed' | 'Survived' | 'Timeout', ms }.
export function runTests(sandbox, tests, { mutantId, env = {}, nodeArgs = [], timeoutMs }) {
  return new Promise((resolve) => {
    const started = Date.now();
    // The run's own temporary directory, removed after it: a run ended at its first failure (or
    // killed at its timeout) skips the tests' cleanup, which would leave their data directories.
    const tmp = mkdtempSync(join(tmpdir(), 'mutate-run-'));
    const childEnv = { ...process.env, ...env, TMPDIR: tmp, ...(mutantId === undefined ? {} : { __STRYKER_ACTIVE_MUTANT__: mutantId }) };
    const done = (result) => {
      rmSync(tmp, { recursive: true, force: true });
      resolve(result);
    };
    const args = [...nodeArgs, '--test-reporter=./scripts/mutate-bail-reporter.mjs', 'scripts/mutate-bundle.mjs', ...tests];
    const child = spawn('node', args, { cwd: sandbox, env: childEnv, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      done({ status: 'Timeout', ms: Date.now() - started });
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ status: code === 0 ? 'Survived' : 'Killed', ms: Date.now() - started });
    });
  });
}
