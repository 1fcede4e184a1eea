// GET /console/api/operations/:id/events: the operation's progress as server-sent events.
// Events: `snapshot` (the whole page state, whenever it changed), `problem` (the operation
// cannot be read, e.g. after a reset) and `end` (nothing more will change; the page closes the
// stream instead of letting EventSource reconnect).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SECURITY_HEADERS } from './access.ts';
import { SurfaceError } from '../control/surface.ts';
import type { LiveOperations } from './live.ts';
import type { OperationKey } from './operation-view.ts';

// Proxies and idle timers drop silent connections; a comment line every so often keeps it open.
const HEARTBEAT_MS = 15_000;

export function registerStream(app: FastifyInstance, live: LiveOperations, keyOf: (req: FastifyRequest) => OperationKey): void {
  app.get('/console/api/operations/:id/events', async (req: FastifyRequest, reply: FastifyReply) => {
    let key: OperationKey;
    try {
      key = keyOf(req);
    } catch (e) {
      if (!(e instanceof SurfaceError)) throw e;
      return reply.status(e.status).send({ error: { code: e.code, message: e.message } });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      // Stops buffering proxies (nginx) from holding events back.
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 1000\n\n');
    let closed = false;
    let unsubscribe = () => {};
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    };
    unsubscribe = live.subscribe(key, {
      snapshot: (payload) => send('snapshot', payload),
      end: (problem) => {
        if (problem) send('problem', problem);
        send('end', {});
        close();
      },
    });
    // The page went away: stop polling for it.
    res.on('close', close);
  });
}
