// Builds the HTTP server around the services; listening is separate from building so tests
// and the CLI share one code path.
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileActions } from './api/index.ts';
import type { Config } from './config/schema.ts';
import { registerConsole } from './console/index.ts';
import { registerControlPlane } from './control/routes.ts';
import { createLogger, type Logger } from './log.ts';
import { rpcHandler } from './protocol/http.ts';
import { createServices, type Services } from './services.ts';
import { openSqlite } from './store/sqlite.ts';

export interface LocalRosServer {
  readonly services: Services;
  start(): Promise<{ host: string; port: number; url: string }>;
  stop(): Promise<void>;
}

// A 512 KiB template in the query string percent-encodes to well over 1 MiB
// (ros-api.md §1.3); Node's default 16 KiB header limit would answer 431 with no body.
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function createServer(config: Config, log: Logger = createLogger(config.logLevel)): LocalRosServer {
  const db = openSqlite({ dataDir: config.dataDir, inMemory: config.inMemory });
  const services = createServices(config, db, log);
  const actions = compileActions();
  const rpc = rpcHandler(actions, services, MAX_BODY_BYTES);
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    serverFactory: (route) => createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => rpc(req, res) || route(req, res)),
    return503OnClosing: false,
    // A client polling over a kept-alive connection must not keep stop() waiting.
    forceCloseConnections: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/health', async () => ({ status: 'ok' }));
  registerControlPlane(app, services);
  registerConsole(app, services, actions);

  return {
    services,
    async start() {
      await services.faults.load();
      await services.directories.seed(config.resourceDirectories);
      const resumed = await services.engine.resume();
      if (resumed) log.info(`resumed ${resumed} operation(s) in flight`);
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { host: address.address, port: address.port, url: `http://${host}:${address.port}` };
    },
    async stop() {
      await app.close();
      await services.engine.close();
      await db.close();
    },
  };
}
