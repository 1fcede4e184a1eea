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
import { appendFileSync } from 'node:fs';
import { partOf, plannedMutants, runTests, seededRandom } from './mutate-lib.mjs';

const [sandbox, planFile, fractionArg, seedArg, out, concurrencyArg = '1'] = process.argv.slice(2);
const fraction = Number(fractionArg);
if (!sandbox || !planFile || !out || !(fraction > 0 && fraction <= 1)) {
  console.error('usage: node scripts/mutate-sample.mjs <sandbox> <plan.json> <fraction> <seed> <results.jsonl> [concurrency]');
  process.exit(2);
}

const random = seededRandom(seedArg);

const mutants = plannedMutants(planFile)
  .filter(() => random() < fraction)
  // MUTATE_IDS: only these of the sample (comma-separated ids), e.g. its survivors once tests
  // were added (copy the new test files into the sandbox first: tests are not instrumented).
  .filter((m) => !process.env.MUTATE_IDS || process.env.MUTATE_IDS.split(',').includes(m.id));

const run = (tests, mutantId, timeoutMs) => runTests(sandbox, tests, { mutantId, timeoutMs });

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
