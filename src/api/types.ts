import type { Services } from '../services.ts';
import type { ActionName, Params } from './action-params.ts';

export interface RequestContext {
  requestId: string;
  accountId: string;
  action: string;
  services: Services;
}

export type ResponseBody = Record<string, unknown>;

// A handler receives its action's parameters as the decoder made them (params.generated.ts). It
// may answer at once (a poll the cache answers, api/operation-polls.ts): that request then runs
// without a promise from its bytes to its answer (protocol/dispatch.ts).
export interface ActionDef<A extends ActionName = ActionName> {
  handle(ctx: RequestContext, params: Params<A>): ResponseBody | Promise<ResponseBody>;
}

export type ActionTable = { [A in ActionName]?: ActionDef<A> };
