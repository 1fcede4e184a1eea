#!/usr/bin/env node
// The installed CLI: compiled JavaScript from dist/ (`npm run build`), no TypeScript loader.
await import('../dist/cli/main.js');
