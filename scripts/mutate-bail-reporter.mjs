// A node:test reporter for `npm run mutate` (stryker.config.mjs): the first failing test ends the
// process with exit code 1. A mutant is killed by one failure, so the tests after it would only
// cost time. It prints which test failed, and nothing else.
export default async function* bailOnFirstFailure(source) {
  for await (const event of source) {
    if (event.type === 'test:fail') {
      process.stderr.write(`killed by: ${event.data.name} (${event.data.file ?? 'unknown file'})\n`);
      process.exit(1);
    }
  }
  yield '';
}
