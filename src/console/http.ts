// Small HTTP helpers shared by the console's JSON endpoints.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { ConsoleError } from './call.ts';
import type { OperationKey } from './operation-view.ts';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
type Route = (fn: Handler) => (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Answers the handler's value as JSON and a ConsoleError as `{ error: { code, message } }`,
// the control plane's error shape.
export const route: Route = (fn) => async (req, reply) => {
  try {
    const body = await fn(req, reply);
    return reply.send(body);
  } catch (e) {
    if (!(e instanceof ConsoleError)) throw e;
    return reply.status(e.status).send({ error: { code: e.code, message: e.message } });
  }
};

export function jsonBody(req: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    throw new ConsoleError(400, 'InvalidJson', 'the body must be a JSON object');
  }
}

export function query(req: FastifyRequest): Record<string, string | undefined> {
  return req.query as Record<string, string | undefined>;
}

// The account the console acts as: one of the configured accounts, the first by default.
export function accountOf(config: Config, req: FastifyRequest): string {
  const given = query(req).account;
  const known = config.accounts.map((a) => a.accountId);
  if (given === undefined || given === '') return known[0];
  if (!known.includes(given)) throw new ConsoleError(400, 'InvalidParameter', `account ${given} is not in the configuration`);
  return given;
}

// An operation is addressed like the API addresses it: by id, in its group's region.
export function operationKey(config: Config, req: FastifyRequest): OperationKey {
  return { accountId: accountOf(config, req), regionId: query(req).region ?? '', operationId: (req.params as { id: string }).id };
}
