import type { Services } from '../services.ts';
import type { ActionName, Params } from './action-params.ts';

export interface RequestContext {
  requestId: string;
  accountId: string;
  action: string;
  services: Services;
}

export type ResponseBody = Record<string, unknown>;

// A handler receives its action's parameters as the decoder made them (params.generated.ts).
export interface ActionDef<A extends ActionName = ActionName> {
  handle(ctx: RequestContext, params: Params<A>): Promise<ResponseBody>;
}

export type ActionTable = { [A in ActionName]?: ActionDef<A> };
