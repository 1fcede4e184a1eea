#!/usr/bin/env node
// Measures the mutation score of every mutant of src/engine/, running each only with the test
// files of its part that reach its code (docs/testing.md, "Every mutant, with the tests that
// reach it"). Stryker's command runner cannot tell which tests cover a mutant, so it runs a
// part's every test file for every mutant: on a loaded two-core machine that did not fit.
//   node scripts/mutate-covered.mjs <sandbox> <plan.json> <results.jsonl> [concurrency]
// <sandbox> is a `.stryker-tmp/sandbox-*` directory of a run of the `engine` scope (kept after it
// is interrupted), <plan.json> that run's `onMutationTestingPlanReady` event. First each test
// file of each part (`engineParts` in stryker.config.mjs) runs once, alone and without a mutant,
// recording which mutants' code it reached (scripts/mutate-coverage-preload.mjs; kept in
// <results.jsonl>.coverage.json, for that plan only). Then each mutant runs exactly as Stryker's command runner
// would run it (in the sandbox, with __STRYKER_ACTIVE_MUTANT__ set, first failure ends the run),
// but with only its part's test files that reached it, in the part's order; a mutant no file
// reached is NoCoverage (a survivor) without a run. One JSON line per mutant is appended as it
// ends; a mutant already in <results.jsonl> is not run again, so an interrupted run resumes.
// MUTATE_SHUFFLE=<seed> runs them in a seeded random order. MUTATE_IDS (comma-separated) narrows
// the run to some mutants, e.g. survivors after new tests (copy the test files into the sandbox
// and delete their lines first). MUTATE_TESTS (space-separated) narrows each mutant's test files
// to those, e.g. only the new ones when running survivors again (the others let them survive).
// No TypeScript checker.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { partOf, plannedMutants, runTests, seededRandom } from './mutate-lib.mjs';

const [sandbox, planFile, out, concurrencyArg = '1'] = process.argv.slice(2);
if (!sandbox || !planFile || !out) {
  console.error('usage: node scripts/mutate-covered.mjs <sandbox> <plan.json> <results.jsonl> [concurrency]');
  process.exit(2);
}
const preload = resolve(import.meta.dirname, 'mutate-coverage-preload.mjs');

const done = new Set(existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id) : []);
const wanted = process.env.MUTATE_IDS?.split(',');
const onlyTests = process.env.MUTATE_TESTS?.split(/\s+/).filter(Boolean);
const testsOf = (file) => partOf(file).tests.filter((t) => !onlyTests || onlyTests.includes(t));
const mutants = plannedMutants(planFile).filter((m) => !done.has(m.id) && (!wanted || wanted.includes(m.id)));

// MUTATE_SHUFFLE=<seed>: the mutants in a seeded random order, so that a run interrupted before
// the end has measured a random sample of the scope (docs/testing.md) rather than its first files.
if (process.env.MUTATE_SHUFFLE !== undefined) {
  const random = seededRandom(process.env.MUTATE_SHUFFLE);
  for (let i = mutants.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [mutants[i], mutants[j]] = [mutants[j], mutants[i]];
  }
}

const run = (tests, { mutantId, coverageOut, timeoutMs }) =>
  runTests(sandbox, tests, { mutantId, timeoutMs, ...(coverageOut ? { env: { MUTATE_COVERAGE_OUT: coverageOut }, nodeArgs: ['--import', preload] } : {}) });

// test file → { ms, ids }: each file alone, without a mutant. Its time sets its share of a
// mutant's timeout, as Stryker's dry run does.
// The cache is of one instrumentation (mutant ids are a plan's): one made for another plan, e.g.
// before the sandbox was instrumented again, is not used.
const coverageFile = `${out}.coverage.json`;
const planHash = createHash('sha256').update(readFileSync(planFile)).digest('hex');
const cached = existsSync(coverageFile) ? JSON.parse(readFileSync(coverageFile, 'utf8')) : undefined;
const coverage = cached?.plan === planHash ? cached.files : {};
for (const test of new Set(mutants.map((m) => testsOf(m.file)).flat())) {
  if (coverage[test]) continue;
  const tmp = join(tmpdir(), `mutate-coverage-${process.pid}.json`);
  const dry = await run([test], { coverageOut: tmp, timeoutMs: 600_000 });
  if (dry.status !== 'Survived') throw new Error(`${test} fails without a mutant`);
  coverage[test] = { ms: dry.ms, ids: JSON.parse(readFileSync(tmp, 'utf8')) };
  rmSync(tmp);
  writeFileSync(coverageFile, JSON.stringify({ plan: planHash, files: coverage }));
  console.error(`${test}: ${dry.ms} ms, reaches ${coverage[test].ids.length} mutants`);
}
const reaches = Object.fromEntries(Object.entries(coverage).map(([test, c]) => [test, new Set(c.ids)]));

let next = 0;
async function worker() {
  while (next < mutants.length) {
    const m = mutants[next++];
    const tests = testsOf(m.file).filter((t) => reaches[t].has(m.id));
    // Narrowed to some tests, a mutant none of them reaches keeps its earlier result.
    if (onlyTests && !tests.length) continue;
    const timeoutMs = 2 * tests.reduce((sum, t) => sum + coverage[t].ms, 0) + 30_000;
    const { status, ms } = tests.length ? await run(tests, { mutantId: m.id, timeoutMs }) : { status: 'NoCoverage', ms: 0 };
    const line = { id: m.id, file: m.file, line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status, tests, ms };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  }
}
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));

// The score per file over every result so far (Timeout counts as killed, as in Stryker).
const results = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const files = new Map();
for (const r of results) {
  const f = files.get(r.file) ?? { killed: 0, total: 0 };
  f.total++;
  if (r.status === 'Killed' || r.status === 'Timeout') f.killed++;
  files.set(r.file, f);
}
let killed = 0;
for (const [file, f] of [...files].sort()) {
  killed += f.killed;
  console.log(`${file}: ${f.killed}/${f.total} (${((100 * f.killed) / f.total).toFixed(1)} %)`);
}
console.log(`total: ${killed}/${results.length} (${((100 * killed) / results.length).toFixed(1)} %)`);
