// Fault rules and holds from the console: the very registry the control plane uses
// (services.faults), with the control plane's validation rules.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import type { Services } from '../services.ts';
import { ConsoleError } from './call.ts';
import { jsonBody, route } from './http.ts';

// The same shape as POST /_localros/faults (src/control/routes.ts), so a rule typed in the
// console is one the control plane would accept.
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

export function registerFaultRoutes(app: FastifyInstance, services: Services): void {
  app.get('/console/api/faults', route(async () => ({ faults: services.faults.list() })));

  app.post(
    '/console/api/faults',
    route(async (req, reply) => {
      const parsed = faultSchema.safeParse(jsonBody(req));
      if (!parsed.success) throw new ConsoleError(400, 'InvalidFault', parsed.error.issues.map(describeIssue).join('; '));
      if (parsed.data.effect === 'delay' && parsed.data.delayMs === undefined) {
        throw new ConsoleError(400, 'InvalidFault', '"delayMs" is required with effect "delay"');
      }
      const fault = await services.faults.add(parsed.data);
      reply.status(201);
      return { faultId: fault.id, ...fault };
    }),
  );

  // Deleting a hold releases every target it holds.
  app.delete(
    '/console/api/faults/:id',
    route(async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await services.faults.remove(id))) throw new ConsoleError(404, 'FaultNotFound', `no fault ${id}`);
      reply.status(204);
      return undefined;
    }),
  );
}
