// Vitest configuration of the example suite: `npx vitest run --config examples/vitest/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `localros/testing` resolves to this checkout's sources (package.json "exports"); a project
  // that installs localros gets the compiled package and needs no such line.
  resolve: { conditions: ['localros-source'] },
  ssr: { resolve: { conditions: ['localros-source'] } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.spec.ts'],
    // Each file starts its own server on a free port, so files may run in parallel; forks keep
    // the native SQLite module out of worker threads.
    pool: 'forks',
  },
});
