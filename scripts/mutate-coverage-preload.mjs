// Loaded (`node --import`) into one test file's run in an instrumented sandbox by
// scripts/mutate-covered.mjs: at exit, writes the ids of the mutants whose code that run
// reached (Stryker's instrumentation counts them in __stryker__.mutantCoverage) to $MUTATE_COVERAGE_OUT.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const coverage = globalThis.__stryker__?.mutantCoverage;
  const ids = new Set([...Object.keys(coverage?.static ?? {}), ...Object.values(coverage?.perTest ?? {}).flatMap((c) => Object.keys(c))]);
  writeFileSync(process.env.MUTATE_COVERAGE_OUT, JSON.stringify([...ids]));
});
