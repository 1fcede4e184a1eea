// The test control plane under /_localros/ (never reachable through Action= dispatch): fault
// injection and reset. Open on loopback; behind a bearer token when one is configured, and
// closed when the server listens elsewhere without one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import { ApiError } from '../protocol/errors.ts';
import type { Services } from '../services.ts';
import { notificationView } from '../engine/notifications.ts';
import { stackDrift } from '../store/repos/stack-drift.ts';
import type { JsonObject } from '../stacks/template/index.ts';
import { FaultInputError, LOOPBACK, parseFault } from './fault-input.ts';

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
    let input;
    try {
      input = parseFault(body);
    } catch (e) {
      if (e instanceof FaultInputError) return controlError(reply, 400, 'InvalidFault', e.message);
      throw e;
    }
    const fault = await services.faults.add(input);
    return reply.status(201).send({ faultId: fault.id, ...fault });
  });

  app.get('/_localros/faults', async () => ({ faults: services.faults.list() }));

  app.delete('/_localros/faults/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await services.faults.remove(id))) return controlError(reply, 404, 'FaultNotFound', `no fault ${id}`);
    return reply.status(204).send();
  });

  // The NotificationURLs outbox of standalone stacks, newest first (src/engine/notifications.ts).
  app.get('/_localros/notifications', async () => ({ notifications: await notificationView(services.db) }));

  app.post('/_localros/reset', async (_req, reply) => {
    await services.engine.reset();
    await services.faults.clear();
    await services.directories.seed(config.resourceDirectories);
    return reply.status(204).send();
  });

  registerResourceDirectoryRoutes(app, services);

  // A resource changed (or deleted) outside ROS, so that drift detection finds it; `null` puts
  // it back in sync. `properties` are the values found on a MODIFIED resource (null: removed).
  app.put('/_localros/stacks/:stackId/resources/:logicalResourceId/drift', async (req, reply) => {
    const body = bodyOf(req, reply, driftSchema);
    if (!body) return reply;
    const { stackId, logicalResourceId } = req.params as { stackId: string; logicalResourceId: string };
    const properties = (body.properties as JsonObject | undefined) ?? null;
    const found = await services.db.transaction((tx) => stackDrift.mark(tx, stackId, logicalResourceId, body.drift, properties));
    if (!found) return controlError(reply, 404, 'ResourceNotFound', `no resource ${logicalResourceId} in stack ${stackId}`);
    return reply.status(204).send();
  });
}

const driftSchema = z.strictObject({ drift: z.enum(['MODIFIED', 'DELETED']).nullable(), properties: z.record(z.string(), z.unknown()).optional() });

const folderSchema = z.strictObject({
  folderId: z.string().optional(),
  name: z.string().min(1).max(128).optional(),
  parentFolderId: z.string().optional(),
});
const placementSchema = z.strictObject({ folderId: z.string().min(1) });

// Validation failures of the directory service are ApiErrors; here they answer 400 (404 for
// an unknown management account would leak nothing: accounts come from the config).
async function directoryCall<T>(reply: FastifyReply, work: () => Promise<T>, status = 200): Promise<unknown> {
  try {
    const value = await work();
    return reply.status(status).send(value ?? undefined);
  } catch (e) {
    if (e instanceof ApiError) return controlError(reply, e.status, e.code, e.message);
    throw e;
  }
}

function bodyOf<T>(req: FastifyRequest, reply: FastifyReply, schema: z.ZodType<T>): T | undefined {
  let body: unknown;
  try {
    body = parseJson(req);
  } catch {
    controlError(reply, 400, 'InvalidJson', 'the body must be a JSON object');
    return undefined;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    controlError(reply, 400, 'InvalidRequest', parsed.error.issues.map(describeIssue).join('; '));
    return undefined;
  }
  return parsed.data;
}

function registerResourceDirectoryRoutes(app: FastifyInstance, services: Services): void {
  const base = '/_localros/resource-directory/:accountId';
  type Params = { accountId: string; folderId?: string; memberId?: string };
  const rd = services.directories;

  app.get(base, (req, reply) => directoryCall(reply, () => rd.tree((req.params as Params).accountId)));

  app.post(`${base}/folders`, async (req, reply) => {
    const body = bodyOf(req, reply, folderSchema);
    if (!body) return reply;
    return directoryCall(reply, async () => ({ folderId: await rd.addFolder((req.params as Params).accountId, body) }), 201);
  });

  app.delete(`${base}/folders/:folderId`, (req, reply) => {
    const p = req.params as Params;
    return directoryCall(reply, () => rd.removeFolder(p.accountId, p.folderId!), 204);
  });

  app.put(`${base}/accounts/:memberId`, async (req, reply) => {
    const body = bodyOf(req, reply, placementSchema);
    if (!body) return reply;
    const p = req.params as Params;
    return directoryCall(reply, async () => ({ operationIds: await rd.placeAccount(p.accountId, p.memberId!, body.folderId) }));
  });

  app.delete(`${base}/accounts/:memberId`, (req, reply) => {
    const p = req.params as Params;
    return directoryCall(reply, async () => ({ operationIds: await rd.removeAccount(p.accountId, p.memberId!) }));
  });
}
