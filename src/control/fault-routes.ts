// The fault routes, one set registered in both surfaces that manage faults: the control plane
// (/_localros/faults) and the console (/console/api/faults). Both edit the one registry
// (services.faults) under the one schema (fault-input.ts).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { FaultInputError, parseFault } from './fault-input.ts';
import { jsonBody, SurfaceError } from './surface.ts';

export function registerFaultRoutes(app: FastifyInstance, path: string, services: Services): void {
  app.get(path, async () => ({ faults: await services.faults.list() }));

  app.post(path, async (req, reply) => {
    let input;
    try {
      input = parseFault(jsonBody(req));
    } catch (e) {
      if (e instanceof FaultInputError) throw new SurfaceError(400, 'InvalidFault', e.message);
      throw e;
    }
    const fault = await services.faults.add(input);
    return reply.status(201).send({ faultId: fault.id, ...fault });
  });

  // Deleting a hold releases every target it holds.
  app.delete(`${path}/:id`, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await services.faults.remove(id))) throw new SurfaceError(404, 'FaultNotFound', `no fault ${id}`);
    return reply.status(204).send();
  });
}
