#!/usr/bin/env node
// The mutation score of src/engine/ estimated from a sample of its mutants (docs/testing.md,
// "Figures"): each file's score weighted by its mutants (stratified), with a 95 % margin.
//   node scripts/mutate-estimate.mjs <plan.json> <results.jsonl>... [--measured-on <plan.json> <commit>]
// <plan.json> is the `onMutationTestingPlanReady` event of the tree the figure is for: its mutants
// that run (not those a `// Stryker disable` comment or an ignorer set aside) are the population.
// <results.jsonl> are scripts/mutate-covered.mjs outputs; a later line of a mutant replaces an
// earlier one (a survivor run again after new tests). With --measured-on, the results are of
// another instrumentation (the plan and the commit of the tree it was made from): each is
// carried to the mutant of <plan.json> with the same file, mutator, replacement, column and line
// text (comments added since, e.g. `Stryker disable` ones, only move lines). A result whose
// mutant is no longer run, or whose line changed, is left out.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { plannedMutants } from './mutate-lib.mjs';

const args = process.argv.slice(2);
const from = args.indexOf('--measured-on');
const [planFile, ...resultFiles] = from === -1 ? args : args.slice(0, from);
const [oldPlanFile, oldCommit] = from === -1 ? [] : args.slice(from + 1);
if (!planFile || !resultFiles.length || (from !== -1 && !oldCommit)) {
  console.error('usage: node scripts/mutate-estimate.mjs <plan.json> <results.jsonl>... [--measured-on <plan.json> <commit>]');
  process.exit(2);
}

const results = new Map();
for (const f of resultFiles) for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
  const r = JSON.parse(l);
  results.set(r.id, r);
}

const population = plannedMutants(planFile);
const lines = (read) => {
  const cache = new Map();
  return (file) => cache.get(file) ?? cache.set(file, read(file).split('\n')).get(file);
};
// A mutant's identity across instrumentations: same file, mutator, replacement, column, line text;
// same-keyed mutants are matched in order.
const keyed = (mutants, linesOf) => {
  const seen = new Map();
  return mutants.map((m) => {
    const base = [m.file, m.mutatorName, m.replacement, m.location.start.column, linesOf(m.file)[m.location.start.line]].join('\u0000');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return [`${base}\u0000${n}`, m];
  });
};
let resultOf = (m) => results.get(m.id);
if (oldPlanFile) {
  const oldKeyed = keyed(plannedMutants(oldPlanFile), lines((file) => execFileSync('git', ['show', `${oldCommit}:${file}`], { encoding: 'utf8' })));
  const byKey = new Map(oldKeyed.map(([k, m]) => [k, results.get(m.id)]));
  const newKeys = new Map(keyed(population, lines((file) => readFileSync(file, 'utf8'))).map(([k, m]) => [m.id, k]));
  resultOf = (m) => byKey.get(newKeys.get(m.id));
}

const files = new Map();
for (const m of population) {
  const f = files.get(m.file) ?? { mutants: 0, measured: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0 };
  f.mutants++;
  const r = resultOf(m);
  if (r) {
    f.measured++;
    if (r.status === 'Killed') f.killed++;
    else if (r.status === 'Timeout') f.timeout++;
    else if (r.status === 'NoCoverage') f.noCoverage++;
    else f.survived++;
  }
  files.set(m.file, f);
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
console.log('| File | Mutants | Measured | Killed | Survived | No coverage | Timeout | Score |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
let weighted = 0;
let variance = 0;
let covered = 0;
let left = 0;
for (const [file, f] of [...files].sort()) {
  if (!f.measured) {
    left += f.mutants;
    console.log(`| \`${file.replace('src/engine/', '')}\` | ${f.mutants} | 0 | | | | | — |`);
    continue;
  }
  const p = (f.killed + f.timeout) / f.measured;
  covered += f.mutants;
  weighted += f.mutants * p;
  // Sampling without replacement: the finite population correction.
  variance += f.measured < f.mutants ? f.mutants ** 2 * ((p * (1 - p)) / f.measured) * (1 - f.measured / f.mutants) : 0;
  const all = f.measured === f.mutants ? ' (all)' : '';
  console.log(`| \`${file.replace('src/engine/', '')}\` | ${f.mutants} | ${f.measured}${all} | ${f.killed} | ${f.survived} | ${f.noCoverage} | ${f.timeout} | ${pct(p)} |`);
}
const measured = [...files.values()].reduce((s, f) => s + f.measured, 0);
const margin = (1.96 * Math.sqrt(variance)) / covered;
console.log(`| all | ${population.length} | ${measured} | | | | | ${pct(weighted / covered)} ± ${(100 * margin).toFixed(1)} (stratified${left ? `, ${left} mutants of unmeasured files left out` : ''}) |`);
