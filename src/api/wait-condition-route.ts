// `POST /waitcondition?stackid=…&resource=…&signature=…` on the API port: the URL of a
// ALIYUN::ROS::WaitConditionHandle (stacks/standalone/wait-conditions.ts), which curl and
// scripts signal with a JSON body `{"status": "SUCCESS" | "FAILURE" | "WARNING", "reason": …,
// "data": …, "id": …}` (all optional; status defaults to SUCCESS). The signature (the handle's
// random token) is the only credential, as in the cloud; errors answer in the API's envelope.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderError } from '../protocol/envelope.ts';
import { ApiError, invalidParameter } from '../protocol/errors.ts';
import type { Services } from '../services.ts';
import { stacks } from '../store/repos/stacks.ts';
import { waitConditions } from '../store/repos/wait-conditions.ts';
import { signalStatus, storeSignal, type SignalInput } from '../stacks/standalone/signals.ts';
import { SIGNAL_PATH } from '../stacks/standalone/wait-conditions.ts';
import { newRequestId } from '../protocol/request-id.ts';

const MAX_SIGNAL_ID = 64;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

function signalOf(raw: Buffer): SignalInput & { status: NonNullable<ReturnType<typeof signalStatus>> } {
  let body: unknown = {};
  const source = raw.toString('utf8').trim();
  if (source) {
    try {
      body = JSON.parse(source);
    } catch {
      throw invalidParameter('body', 'it is not JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidParameter('body', 'it must be a JSON object');
  const b = body as Record<string, unknown>;
  const status = signalStatus(b.status);
  if (!status) throw invalidParameter('status', 'it must be SUCCESS, FAILURE or WARNING');
  const id = text(b.id);
  if (id !== undefined && (id.length === 0 || id.length > MAX_SIGNAL_ID)) throw invalidParameter('id', `it must be 1 to ${MAX_SIGNAL_ID} characters`);
  const reason = text(b.reason);
  const data = text(b.data);
  return { status, ...(id !== undefined ? { id } : {}), ...(reason !== undefined ? { reason } : {}), ...(data !== undefined ? { data } : {}) };
}

async function accept(services: Services, req: FastifyRequest): Promise<void> {
  const q = req.query as Record<string, string | undefined>;
  const stackId = q.stackid ?? '';
  const handle = q.resource ?? '';
  const stack = stackId ? await stacks.get(services.db, stackId) : undefined;
  const token = stack ? await waitConditions.token(services.db, stackId, handle) : undefined;
  if (!stack || token === undefined) throw new ApiError('StackResourceNotFound', { resource: handle, name: stackId });
  if (!sameToken(q.signature ?? '', token)) throw new ApiError('InvalidWaitConditionSignature', { handle });
  const signal = signalOf(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  await services.db.transaction((tx) => storeSignal(tx, services.bus, stackId, handle, signal, services.clock.now()));
  services.engine.stacks.signalled(stackId);
}

export function registerWaitConditionRoute(app: FastifyInstance, services: Services): void {
  app.post(SIGNAL_PATH, async (req: FastifyRequest, reply: FastifyReply) => {
    const requestId = newRequestId();
    try {
      await accept(services, req);
      return reply.status(200).header('x-acs-request-id', requestId).send({ RequestId: requestId });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const rendered = renderError(e, requestId, req.headers.host ?? '', 'JSON');
      return reply.status(e.status).headers({ 'content-type': rendered.contentType, 'x-acs-request-id': requestId }).send(rendered.body);
    }
  });
}
