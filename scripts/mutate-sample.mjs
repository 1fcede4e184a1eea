#!/usr/bin/env node
// Measures a mutation score on a random sample of a scope's mutants, for a scope whose every
// mutant would cost too long to run (docs/testing.md, "Sampling"). It runs exactly what
// Stryker's command runner runs for a mutant (the scope part's test command, in a sandbox Stryker
// instrumented, with __STRYKER_ACTIVE_MUTANT__ set), for each sampled mutant:
//   node scripts/mutate-sample.mjs <sandbox> <plan.json> <fraction> <seed> <results.jsonl> [concurrency]
// <sandbox> is a `.stryker-tmp/sandbox-*` directory of a run of the scope (kept after it is
// interrupted), <plan.json> that run's `onMutationTestingPlanReady` event. Results are appended
// one line per mutant as they are known, and the score printed per file at the end. There is
// no TypeScript checker here: a mutant that would not type-check runs as JavaScript and counts.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { engineParts } from '../stryker.config.mjs';

const [sandbox, planFile, fractionArg, seedArg, out, concurrencyArg = '1'] = process.argv.slice(2);
const fraction = Number(fractionArg);
if (!sandbox || !planFile || !out || !(fraction > 0 && fraction <= 1)) {
  console.error('usage: node scripts/mutate-sample.mjs <sandbox> <plan.json> <fraction> <seed> <results.jsonl> [concurrency]');
  process.exit(2);
}

// mulberry32: a small seeded generator, so that the same sample can be drawn again.
let state = Number(seedArg) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The parts' globs are `src/engine/@(a|b).ts`.
const globRe = (glob) => new RegExp(`^${glob.replace(/\./g, '\\.').replace(/@\(([^)]*)\)/g, '($1)')}$`);
const parts = Object.entries(engineParts).map(([name, p]) => ({ name, res: p.mutate.map(globRe), tests: p.tests }));
const partOf = (file) => parts.find((p) => p.res.some((re) => re.test(file)));

const mutants = JSON.parse(readFileSync(planFile, 'utf8'))
  .mutantPlans.map((p) => p.mutant)
  .map((m) => ({ ...m, file: `src/${m.fileName.split('/src/').pop()}` }))
  .filter(() => random() < fraction)
  // MUTATE_IDS: only these of the sample (comma-separated ids), e.g. its survivors once tests
  // were added (copy the new test files into the sandbox first: tests are not instrumented).
  .filter((m) => !process.env.MUTATE_IDS || process.env.MUTATE_IDS.split(',').includes(m.id));

function run(tests, mutantId, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const env = { ...process.env, ...(mutantId === undefined ? {} : { __STRYKER_ACTIVE_MUTANT__: mutantId }) };
    const child = spawn('node', ['--test-reporter=./scripts/mutate-bail-reporter.mjs', 'scripts/mutate-bundle.mjs', ...tests], { cwd: sandbox, env, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve({ status: 'Timeout', ms: Date.now() - started });
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ status: code === 0 ? 'Survived' : 'Killed', ms: Date.now() - started });
    });
  });
}

// Each part's tests must pass without a mutant; their time sets the timeout, as Stryker's does.
const timeouts = new Map();
for (const part of new Set(mutants.map((m) => partOf(m.file)))) {
  const dry = await run(part.tests, undefined, 600_000);
  if (dry.status !== 'Survived') throw new Error(`the tests of ${part.name} fail without a mutant`);
  timeouts.set(part, dry.ms * 2 + 30_000);
  console.error(`${part.name}: tests pass in ${dry.ms} ms`);
}

let next = 0;
async function worker() {
  while (next < mutants.length) {
    const m = mutants[next++];
    const part = partOf(m.file);
    const { status, ms } = await run(part.tests, m.id, timeouts.get(part));
    const line = { id: m.id, file: m.file, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status, ms };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  }
}
console.error(`${mutants.length} mutants sampled`);
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
