// Vitest configuration of the example suite: `npx vitest run --config examples/vitest/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.spec.ts'],
    // Each file starts its own server on a free port, so files may run in parallel; forks keep
    // the native SQLite module out of worker threads.
    pool: 'forks',
  },
});
