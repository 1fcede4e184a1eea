// The test control plane under /_localros/ (never reachable through Action= dispatch): fault
// injection, reset, resource directories and resource drift. Open on loopback; behind a bearer
// token when one is configured, and closed when the server listens elsewhere without one
// (access.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import type { Services } from '../services.ts';
import { refuseCrossSite, requireControlAccess, requireJsonChange } from './access.ts';
import { registerFaultRoutes } from './fault-routes.ts';
import { answerSurfaceErrors, jsonBody, SurfaceError } from './surface.ts';
import { notificationView } from '../engine/notifications.ts';
import { stackDrift } from '../store/repos/stack-drift.ts';
import type { JsonObject } from '../stacks/template/index.ts';

const SURFACE = 'the control plane';

// Registered as its own encapsulated scope: the access hook below runs for this scope's routes
// only, after routing, so every spelling of a URL that reaches one of them is checked.
export function registerControlPlane(app: FastifyInstance, services: Services): void {
  app.register(async (scope) => controlPlane(scope, services), { prefix: '/_localros' });
}

async function controlPlane(app: FastifyInstance, services: Services): Promise<void> {
  const { config } = services;
  answerSurfaceErrors(app, services.log);
  app.addHook('onRequest', async (req) => {
    requireControlAccess(config, req, SURFACE);
    refuseCrossSite(config, req, SURFACE);
    requireJsonChange(req, SURFACE);
  });

  registerFaultRoutes(app, '/faults', services);

  // The NotificationURLs outbox of standalone stacks, newest first (src/engine/notifications.ts).
  app.get('/notifications', async () => ({ notifications: await notificationView(services.db) }));

  // This replica: its id, how many targets it ran, and the live replicas it shares targets with
  // (several replicas on PostgreSQL, docs/scale-out.md; one SQLite process has no id).
  app.get('/replica', async () => services.engine.replica());

  app.post('/reset', async (_req, reply) => {
    await services.reset();
    return reply.status(204).send();
  });

  registerResourceDirectoryRoutes(app, services);

  // A resource changed (or deleted) outside ROS, so that drift detection finds it; `null` puts
  // it back in sync. `properties` are the values found on a MODIFIED resource (null: removed).
  app.put('/stacks/:stackId/resources/:logicalResourceId/drift', async (req, reply) => {
    const body = jsonBodyOf(req, driftSchema);
    const { stackId, logicalResourceId } = req.params as { stackId: string; logicalResourceId: string };
    const properties = (body.properties as JsonObject | undefined) ?? null;
    const found = await services.db.transaction((tx) => stackDrift.mark(tx, stackId, logicalResourceId, body.drift, properties));
    if (!found) throw new SurfaceError(404, 'ResourceNotFound', `no resource ${logicalResourceId} in stack ${stackId}`);
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

function jsonBodyOf<T>(req: FastifyRequest, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(jsonBody(req));
  if (!parsed.success) throw new SurfaceError(400, 'InvalidRequest', parsed.error.issues.map(describeIssue).join('; '));
  return parsed.data;
}

// Validation failures of the directory service are ApiErrors, answered with their status and
// code by the scope's error handler.
function registerResourceDirectoryRoutes(app: FastifyInstance, services: Services): void {
  const base = '/resource-directory/:accountId';
  type Params = { accountId: string; folderId: string; memberId: string };
  const rd = services.directories;

  app.get(base, async (req) => rd.tree((req.params as Params).accountId));

  app.post(`${base}/folders`, async (req, reply) => {
    const body = jsonBodyOf(req, folderSchema);
    return reply.status(201).send({ folderId: await rd.addFolder((req.params as Params).accountId, body) });
  });

  app.delete(`${base}/folders/:folderId`, async (req, reply) => {
    const p = req.params as Params;
    await rd.removeFolder(p.accountId, p.folderId);
    return reply.status(204).send();
  });

  app.put(`${base}/accounts/:memberId`, async (req) => {
    const body = jsonBodyOf(req, placementSchema);
    const p = req.params as Params;
    return { operationIds: await rd.placeAccount(p.accountId, p.memberId, body.folderId) };
  });

  app.delete(`${base}/accounts/:memberId`, async (req) => {
    const p = req.params as Params;
    return { operationIds: await rd.removeAccount(p.accountId, p.memberId) };
  });
}
