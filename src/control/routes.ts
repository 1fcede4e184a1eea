// The test control plane under /_localros/ (never reachable through Action= dispatch): fault
// injection and reset. Open on loopback; behind a bearer token when one is configured, and
// closed when the server listens elsewhere without one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import type { Services } from '../services.ts';

const faultSchema = z.strictObject({
  match: z
    .strictObject({
      accountId: z.string().min(1).optional(),
      regionId: z.string().min(1).optional(),
      stackGroupName: z.string().min(1).optional(),
      action: z.enum(['CREATE', 'UPDATE', 'DELETE']).optional(),
    })
    .prefault({}),
  effect: z.enum(['fail', 'hold', 'delay']),
  message: z.string().min(1).max(1024).optional(),
  delayMs: z.number().int().min(0).max(86_400_000).optional(),
  times: z.number().int().min(1).optional(),
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function controlError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).send({ error: { code, message } });
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseJson(req: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  return raw ? JSON.parse(raw) : {};
}

export function registerControlPlane(app: FastifyInstance, services: Services): void {
  const { config } = services;
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/_localros/')) return;
    if (config.controlToken) {
      const header = req.headers.authorization ?? '';
      if (!header.startsWith('Bearer ') || !tokenMatches(header.slice(7), config.controlToken)) {
        return controlError(reply, 401, 'Unauthorized', 'the control plane needs "Authorization: Bearer <control token>"');
      }
    } else if (!LOOPBACK.test(config.host)) {
      return controlError(reply, 403, 'Forbidden', 'the control plane is open on loopback only; start the server with --control-token to use it from elsewhere');
    }
  });

  app.post('/_localros/faults', async (req, reply) => {
    let body: unknown;
    try {
      body = parseJson(req);
    } catch {
      return controlError(reply, 400, 'InvalidJson', 'the body must be a JSON object');
    }
    const parsed = faultSchema.safeParse(body);
    if (!parsed.success) return controlError(reply, 400, 'InvalidFault', parsed.error.issues.map(describeIssue).join('; '));
    if (parsed.data.effect === 'delay' && parsed.data.delayMs === undefined) {
      return controlError(reply, 400, 'InvalidFault', '"delayMs" is required with effect "delay"');
    }
    const fault = await services.faults.add(parsed.data);
    return reply.status(201).send({ faultId: fault.id, ...fault });
  });

  app.get('/_localros/faults', async () => ({ faults: services.faults.list() }));

  app.delete('/_localros/faults/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await services.faults.remove(id))) return controlError(reply, 404, 'FaultNotFound', `no fault ${id}`);
    return reply.status(204).send();
  });

  app.post('/_localros/reset', async (_req, reply) => {
    await services.engine.reset();
    await services.faults.clear();
    return reply.status(204).send();
  });
}
