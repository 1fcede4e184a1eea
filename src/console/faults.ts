// Fault rules and holds from the console: the very registry the control plane uses
// (services.faults), with the control plane's validation rules.
import type { FastifyInstance } from 'fastify';
import { FaultInputError, parseFault } from '../control/fault-input.ts';
import type { Services } from '../services.ts';
import { ConsoleError } from './call.ts';
import { jsonBody, route } from './http.ts';

export function registerFaultRoutes(app: FastifyInstance, services: Services): void {
  app.get('/console/api/faults', route(async () => ({ faults: services.faults.list() })));

  app.post(
    '/console/api/faults',
    route(async (req, reply) => {
      let input;
      try {
        input = parseFault(jsonBody(req));
      } catch (e) {
        if (e instanceof FaultInputError) throw new ConsoleError(400, 'InvalidFault', e.message);
        throw e;
      }
      const fault = await services.faults.add(input);
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
