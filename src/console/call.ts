// The console's only way to read or change stack-group state: the RPC action handlers, with
// parameters run through the same catalogue decoders as a signed request. Validation and
// account scoping are therefore exactly the API's; only the signature step is skipped,
// because the console is a local admin tool that picks its account from the configuration.
import type { RequestContext, ResponseBody } from '../api/types.ts';
import type { CompiledAction } from '../protocol/dispatch.ts';
import { SurfaceError } from '../control/surface.ts';
import { ApiError } from '../protocol/errors.ts';
import type { RawParams } from '../protocol/raw-params.ts';
import type { Services } from '../services.ts';
import { newRequestId } from '../protocol/request-id.ts';

export type ParamValue = string | number | boolean | string[] | Record<string, unknown>;

// Values travel as they would on the wire: scalars as text, lists and maps JSON-encoded.
function encode(params: Record<string, ParamValue | undefined>): RawParams {
  const raw = new Map<string, string>();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    raw.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return raw;
}

export interface Caller {
  has(action: string): boolean;
  call(action: string, accountId: string, params: Record<string, ParamValue | undefined>): Promise<ResponseBody>;
  // Every page of a list action, in order.
  all<T>(action: string, accountId: string, params: Record<string, ParamValue | undefined>, listKey: string): Promise<T[]>;
}

// Large enough for any rollout the limits allow (2000 instances per group), small enough that
// a misbehaving handler cannot loop forever.
const MAX_PAGES = 200;
const PAGE_SIZE = 50;

export function createCaller(actions: Map<string, CompiledAction>, services: Services): Caller {
  const caller: Caller = {
    has: (action) => actions.has(action),
    async call(action, accountId, params) {
      const compiled = actions.get(action);
      if (!compiled) throw new SurfaceError(404, 'InvalidAction.NotFound', `localros does not implement ${action} yet`);
      const ctx: RequestContext = { requestId: newRequestId(), accountId, action, services };
      try {
        return await compiled.def.handle(ctx, compiled.decode(encode(params)));
      } catch (e) {
        if (e instanceof ApiError) throw new SurfaceError(e.status, e.code, e.message);
        // As in the RPC dispatcher: logged with the request id, answered as InternalError.
        services.log.error(`console request ${ctx.requestId} (${action}) failed`, e);
        throw new SurfaceError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
      }
    },
    async all<T>(action: string, accountId: string, params: Record<string, ParamValue | undefined>, listKey: string) {
      const out: T[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const body = await caller.call(action, accountId, { ...params, PageNumber: page, PageSize: PAGE_SIZE });
        const rows = (body[listKey] as T[] | undefined) ?? [];
        out.push(...rows);
        if (rows.length === 0 || out.length >= Number(body.TotalCount ?? 0)) break;
      }
      return out;
    },
  };
  return caller;
}
