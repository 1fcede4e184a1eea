// Mutation testing (docs/testing.md, "Mutation testing"). Not part of `npm test`: a mutant costs
// a whole test command, so each scope pairs the code it mutates with the test files that can
// reach it quickly. Pick a scope with MUTATE_SCOPE (default `all`):
//   MUTATE_SCOPE=signature npm run mutate
//   MUTATE_SCOPE=engine npm run mutate -- --mutate src/engine/runner.ts
// Results are kept per scope in reports/mutation/<scope>.incremental.json; `--incremental` then
// re-runs only the mutants in code that changed since.
const node = 'node --import tsx --test --test-concurrency=1';

const scopes = {
  // The verifiers, through their exported Authenticator seam and the SDK's own signing helpers,
  // plus the wire tests that reach them through a real server.
  signature: {
    mutate: ['src/protocol/signature/**/*.ts'],
    tests: ['test/unit/signature.test.ts', 'test/unit/signature-verify.test.ts', 'test/unit/freshness.test.ts', 'test/sdk/protocol.test.ts'],
  },
  // Operations, their windows, tolerance, stop, queueing and resume, through the official SDK.
  engine: {
    mutate: ['src/engine/**/*.ts'],
    tests: ['test/unit/plan.test.ts', 'test/sdk/engine-mutation.test.ts', 'test/sdk/operations.test.ts'],
  },
  // Every mutated area with the whole suite: thorough and slow (hours on two cores).
  all: {
    mutate: [
      'src/engine/**/*.ts',
      'src/protocol/signature/**/*.ts',
      // StopStackGroupOperation; acceptance is src/engine/accept.ts.
      'src/api/operations.ts',
      // The template functions (Fn::*, Ref, pseudo parameters).
      'src/stacks/template/functions.ts',
      'src/stacks/template/intrinsics.ts',
    ],
    tests: null,
  },
};

const scopeName = process.env.MUTATE_SCOPE ?? 'all';
const scope = scopes[scopeName];
if (!scope) throw new Error(`MUTATE_SCOPE must be one of ${Object.keys(scopes).join(', ')}; got ${scopeName}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: scope.tests ? `${node} ${scope.tests.join(' ')}` : 'npm test' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: scope.mutate,
  // The sandbox needs only what the tests load.
  ignorePatterns: ['/reports', '/bench/results', '/.localros', '/docs', '/.stryker-tmp'],
  concurrency: 1,
  // Tests start servers: a mutant that breaks startup must time out, not wedge the run.
  timeoutMS: 30_000,
  timeoutFactor: 2,
  incrementalFile: `reports/mutation/${scopeName}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${scopeName}.html` },
  jsonReporter: { fileName: `reports/mutation/${scopeName}.json` },
  thresholds: { high: 90, low: 85, break: null },
};
