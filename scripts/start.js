#!/usr/bin/env node
// `npm start` (`node scripts/start.js serve`): the compiled CLI from dist/, rebuilt first when
// a source changed since the last build, so a checkout runs what the package ships without a
// TypeScript loader. Tests keep running the sources (scripts/localros-dev.js).
import { ensureBuilt } from './ensure-built.js';

ensureBuilt();
await import('../dist/cli/main.js');
