// Mutation testing (docs/testing.md, "Mutation testing"). Not part of `npm test`: a mutant costs
// a whole test command, so each scope pairs the code it mutates with the test files that can
// reach it quickly. Pick a scope with MUTATE_SCOPE (default `all`):
//   MUTATE_SCOPE=signature npm run mutate
//   MUTATE_SCOPE=engine npm run mutate -- --mutate src/engine/runner.ts
// Results are kept per scope in reports/mutation/<scope>.incremental.json; `--incremental` then
// re-runs only the mutants in code that changed since.
// Every file of a scope runs in one process from one esbuild bundle (scripts/mutate-bundle.mjs):
// under `--test` node would start a process per file, and tsx would transform every module again
// for every mutant, which together cost more than the tests themselves. The first failing test
// ends the run (scripts/mutate-bail-reporter.mjs): one failure kills the mutant.
const inOneProcess = (files) => `node --test-reporter=./scripts/mutate-bail-reporter.mjs scripts/mutate-bundle.mjs ${files.join(' ')}`;
// src/engine/ in parts, each with the tests that reach it (fastest killers first); every test
// named here runs its server in the test's process. `engine` is their union.
export const engineParts = {
  // Acceptance, the runner's windows / regions / tolerance / stop / resume, planning, execution,
  // leases and target sharing (replicas: in one process on PostgreSQL, each on its own fake clock).
  'engine-core': {
    mutate: ['src/engine/@(accept|apply|clock|engine|executor|leases|plan|runner|stop-backlog|stop-view|target-context|target-sharing|turn-writes|types).ts'],
    // directory.test.ts: the only in-process test of DeleteStackInstances(RetainStacks=true);
    // drift-import.test.ts: of ImportStacksToStackGroup (targets whose outcome has no stack);
    // system-clock.test.ts: the only one on the real clock;
    // stop-view.test.ts: every read of a stopped operation; the replica view of one process.
    // replicas-in-process.test.ts: replicas in one process on PostgreSQL (leases, target sharing).
    // failed-transactions.test.ts: an engine turn whose transaction the database refuses.
    // leases.test.ts: a clean stop while a lease sweep is adopting an operation.
    // stack-lease-renewal.test.ts: the lease renewals of a standalone stack's operation.
    tests: [
      'test/unit/plan.test.ts',
      'test/engine/runner.test.ts',
      'test/engine/stop-backlog.test.ts',
      'test/sdk/engine.test.ts',
      'test/engine/directory.test.ts',
      'test/sdk/drift-import.test.ts',
      'test/engine/import-running-stack.test.ts',
      'test/engine/system-clock.test.ts',
      'test/engine/stop-view.test.ts',
      'test/engine/replicas-in-process.test.ts',
      'test/engine/failed-transactions.test.ts',
      'test/unit/leases.test.ts',
      'test/engine/stack-lease-renewal.test.ts',
    ],
  },
  // Standalone stacks' operations and their NotificationURLs.
  'engine-stacks': {
    mutate: ['src/engine/@(change-set-creation|stack-operations|notifications).ts'],
    tests: ['test/engine/notifications.test.ts', 'test/engine/notification-claims.test.ts', 'test/engine/stacks.test.ts', 'test/engine/change-sets.test.ts', 'test/engine/wait-conditions.test.ts', 'test/engine/wait-condition-waiting.test.ts', 'test/engine/nested-stacks.test.ts', 'test/engine/stack-operation-edges.test.ts', 'test/engine/change-sets-instant.test.ts', 'test/sdk/stacks-standalone.test.ts', 'test/engine/nested-delete.test.ts', 'test/engine/notification-idle.test.ts', 'test/engine/stack-lease-renewal.test.ts', 'test/engine/stack-policy-delete.test.ts'],
  },
  // Control-plane faults.
  'engine-faults': {
    mutate: ['src/engine/fault-registry.ts'],
    // fault-replicas.test.ts: two in-process replicas on PostgreSQL (the registry's cluster code).
    tests: ['test/engine/fault-edges.test.ts', 'test/engine/faults.test.ts', 'test/engine/stacks.test.ts', 'test/sdk/engine.test.ts', 'test/engine/fault-replicas.test.ts'],
  },
  // Resource directories and auto-deployment of SERVICE_MANAGED groups.
  'engine-directory': {
    mutate: ['src/engine/@(directory-service|resource-directory|auto-deploy).ts'],
    tests: ['test/unit/resource-directory.test.ts', 'test/engine/directory.test.ts', 'test/sdk/service-managed.test.ts', 'test/engine/auto-deploy-edges.test.ts'],
  },
  // Drift detection of stack groups.
  'engine-drift': {
    mutate: ['src/engine/drift.ts'],
    tests: ['test/sdk/drift-import.test.ts', 'test/sdk/stack-drift.test.ts', 'test/engine/drift-edges.test.ts'],
  },
};

const scopes = {
  // The verifiers through their exported Authenticator seam, signed by the SDK's own helpers.
  // test/sdk/protocol.test.ts covers the same rules through a server, too slowly for this.
  signature: {
    mutate: ['src/protocol/signature/**/*.ts'],
    command: inOneProcess(['test/unit/signature.test.ts', 'test/unit/freshness.test.ts', 'test/unit/signature-verify.test.ts']),
  },
  ...Object.fromEntries(Object.entries(engineParts).map(([name, part]) => [name, { mutate: part.mutate, command: inOneProcess(part.tests) }])),
  engine: {
    mutate: ['src/engine/**/*.ts'],
    command: inOneProcess([...new Set(Object.values(engineParts).flatMap((part) => part.tests))]),
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
    command: 'npm test',
  },
};

const scopeName = process.env.MUTATE_SCOPE ?? 'all';
const scope = scopes[scopeName];
if (!scope) throw new Error(`MUTATE_SCOPE must be one of ${Object.keys(scopes).join(', ')}; got ${scopeName}`);
// MUTATE_TESTS narrows a run to some test files (space-separated), e.g. the ones a change adds;
// MUTATE_REPORT names its reports and incremental file, so that it does not replace the scope's.
const tests = process.env.MUTATE_TESTS?.split(/\s+/).filter(Boolean);
const report = process.env.MUTATE_REPORT ?? scopeName;
// The TypeScript checker drops mutants that do not type-check (they are then CompileError, out
// of the score) at the cost of a slow start; opt in with MUTATE_CHECK=1. Without it such a
// mutant runs as the JavaScript esbuild makes of it and counts like any other.
const check = process.env.MUTATE_CHECK === '1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: tests ? inOneProcess(tests) : scope.command },
  ...(check ? { checkers: ['typescript'], tsconfigFile: 'tsconfig.json', typescriptChecker: { prioritizePerformanceOverAccuracy: true } } : {}),
  mutate: scope.mutate,
  // Log lines are not behaviour: their mutants are ignored (scripts/mutate-log-ignorer.mjs).
  appendPlugins: ['./scripts/mutate-log-ignorer.mjs'],
  ignorers: ['log-calls'],
  // The sandbox needs only what the tests load.
  ignorePatterns: ['/reports', '/bench/results', '/.localros', '/docs', '/.stryker-tmp', '/.mutate-bundle'],
  concurrency: 1,
  // Tests start servers: a mutant that breaks startup must time out, not wedge the run.
  timeoutMS: 30_000,
  timeoutFactor: 2,
  incrementalFile: `reports/mutation/${report}.incremental.json`,
  // event-recorder writes each mutant's result as soon as it is known, so that a long run that
  // is interrupted still tells what it found (docs/testing.md).
  reporters: ['clear-text', 'progress', 'html', 'json', 'event-recorder'],
  eventReporter: { baseDir: `reports/mutation/${report}-events` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  thresholds: { high: 90, low: 85, break: null },
};
