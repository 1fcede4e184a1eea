// The web console at /console: plain HTML, CSS and JavaScript modules from ./assets (shipped as
// they are, no build step), and JSON endpoints under /console/api/ that go through the RPC
// action handlers and the fault registry, never around them.
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import type { CompiledAction } from '../protocol/dispatch.ts';
import { registerFaultRoutes } from '../control/fault-routes.ts';
import { answerSurfaceErrors } from '../control/surface.ts';
import type { Services } from '../services.ts';
import { checkConsoleAccess } from './access.ts';
import { registerApiRoutes } from './api.ts';
import { createCaller } from './call.ts';
import { operationKey } from './http.ts';
import { LiveOperations } from './live.ts';
import { loadOperation } from './operation-view.ts';
import { registerStream } from './stream.ts';

const ASSETS = new URL('./assets/', import.meta.url);
// Only these names are served, so no request can walk out of the assets directory.
const ASSET_NAME = /^(?:pages\/)?[a-z0-9-]+\.(js|css|svg)$/;
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

// Registered as its own encapsulated scope: the access hook runs for this scope's routes only,
// after routing, so every spelling of a URL that reaches one of them is checked.
export function registerConsole(app: FastifyInstance, services: Services, actions: Map<string, CompiledAction>): void {
  app.register(async (scope) => consoleScope(scope, services, actions));
}

async function consoleScope(app: FastifyInstance, services: Services, actions: Map<string, CompiledAction>): Promise<void> {
  const caller = createCaller(actions, services);
  const live = new LiveOperations((key) => loadOperation(caller, key), services.clock);

  answerSurfaceErrors(app, services.log);
  app.addHook('onRequest', async (req, reply) => checkConsoleAccess(services.config, req, reply));
  // Open event streams would keep the server from closing.
  app.addHook('preClose', (done) => {
    live.closeAll();
    done();
  });

  app.get('/console', async (_req, reply) => reply.redirect('/console/', 302));
  app.get('/console/', async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(await readFile(new URL('index.html', ASSETS))),
  );
  app.get('/console/assets/*', async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const match = ASSET_NAME.exec(name);
    if (!match) return reply.status(404).send({ error: { code: 'NotFound', message: `no asset ${name}` } });
    try {
      return reply.header('content-type', CONTENT_TYPES[match[1]]).send(await readFile(new URL(name, ASSETS)));
    } catch {
      return reply.status(404).send({ error: { code: 'NotFound', message: `no asset ${name}` } });
    }
  });

  registerApiRoutes(app, services, caller, live);
  registerStream(app, live, (req) => operationKey(services.config, req));
  registerFaultRoutes(app, '/console/api/faults', services);
}
