// Small HTTP helpers shared by the console's JSON endpoints.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { SurfaceError } from '../control/surface.ts';
import type { OperationKey } from './operation-view.ts';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

// Answers the handler's value as JSON; its SurfaceErrors are answered by the console scope's
// error handler.
export const route =
  (fn: Handler) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.send(await fn(req, reply));

export function query(req: FastifyRequest): Record<string, string | undefined> {
  return req.query as Record<string, string | undefined>;
}

// The account the console acts as: one of the configured accounts, the first by default.
export function accountOf(config: Config, req: FastifyRequest): string {
  const given = query(req).account;
  const known = config.accounts.map((a) => a.accountId);
  if (given === undefined || given === '') return known[0];
  if (!known.includes(given)) throw new SurfaceError(400, 'InvalidParameter', `account ${given} is not in the configuration`);
  return given;
}

// An operation is addressed like the API addresses it: by id, in its group's region.
export function operationKey(config: Config, req: FastifyRequest): OperationKey {
  return { accountId: accountOf(config, req), regionId: query(req).region ?? '', operationId: (req.params as { id: string }).id };
}
