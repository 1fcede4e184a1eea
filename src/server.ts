// Builds the HTTP server around the services; listening is separate from building so tests
// and the CLI share one code path.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileActions } from './api/index.ts';
import type { Config } from './config/schema.ts';
import { registerConsole } from './console/index.ts';
import { registerControlPlane } from './control/routes.ts';
import { registerWaitConditionRoute } from './api/wait-condition-route.ts';
import { createLogger, type Logger } from './log.ts';
import { clientErrorHandler, registerFallbacks } from './protocol/fallback.ts';
import { rpcHandler } from './protocol/http.ts';
import { createServices, type Services } from './services.ts';
import { systemClock, type Clock } from './engine/clock.ts';
import { registerOwnServer } from './stacks/sources/own-endpoints.ts';
import { openStore } from './store/open.ts';
import { loadCatalogue } from './stacks/resource-types/catalogue.ts';
import { newRequestId } from './protocol/request-id.ts';

export interface LocalRosServer {
  readonly services: Services;
  start(): Promise<{ host: string; port: number; url: string }>;
  stop(): Promise<void>;
}

// A 512 KiB template in the query string percent-encodes to well over 1 MiB
// (ros-api.md §1.3); Node's default 16 KiB header limit would answer 431 with no body.
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const KEEP_ALIVE_MS = 65_000;

// `clock` is the engine's time (simulated durations, timeouts, event times); tests of the
// engine pass a fake one to step through an operation's time without waiting for it.
export async function createServer(config: Config, log: Logger = createLogger(config.logLevel, config.logFormat), clock: Clock = systemClock): Promise<LocalRosServer> {
  const db = await openStore(config);
  // Replicas on one PostgreSQL database tell each other what changed (store/cluster-bus.ts);
  // loaded only when used, as the driver is.
  const bus = config.database ? await (await import('./store/pg-notify.ts')).openClusterBus(config.database, log).catch(async (e: unknown) => {
    await db.close();
    throw e;
  }) : undefined;
  const services = createServices(config, db, log, clock, bus);
  loadCatalogue();
  const actions = compileActions();
  const rpc = rpcHandler(actions, services, MAX_BODY_BYTES);
  const app: FastifyInstance = Fastify({
    // Fastify's own lines (errors it logs itself) share the server's log; a request id of the
    // API's form ties them to the answer's. The per-request lines are the API's (protocol/http.ts).
    loggerInstance: log.pino,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: newRequestId,
    requestIdHeader: false,
    clientErrorHandler: clientErrorHandler(log),
    bodyLimit: MAX_BODY_BYTES,
    serverFactory: (route) => {
      const server = createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => rpc(req, res) || route(req, res));
      registerOwnServer(server);
      // Node closes an idle kept-alive connection after 5 s; an SDK client that reuses it at that
      // moment sees ECONNRESET. Idle connections live longer here, as behind the cloud's gateway.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1_000;
      return server;
    },
    return503OnClosing: false,
    // A client polling over a kept-alive connection must not keep stop() waiting.
    forceCloseConnections: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  registerFallbacks(app, log);
  app.get('/health', async () => ({ status: 'ok' }));
  registerWaitConditionRoute(app, services);
  registerControlPlane(app, services);
  registerConsole(app, services, actions);

  return {
    services,
    async start() {
      await services.faults.load();
      await services.nonces.load(services.clock.now());
      await services.directories.seed(config.resourceDirectories);
      const resumed = await services.engine.resume();
      if (resumed) log.info(`resumed ${resumed} operation(s) in flight`);
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      // Wait condition handles' URLs point at the API port.
      services.engine.stacks.setBaseUrl(url);
      return { host: address.address, port: address.port, url };
    },
    async stop() {
      await app.close();
      await services.engine.close();
      await services.nonces.flush();
      await bus?.close();
      await db.close();
    },
  };
}
