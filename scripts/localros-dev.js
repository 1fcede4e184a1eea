#!/usr/bin/env node
// The CLI straight from the TypeScript sources through tsx, for this checkout's tests and
// benchmarks (no build step between an edit and a test run). The package's bin runs dist/.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
