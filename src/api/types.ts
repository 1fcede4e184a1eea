import type { Services } from '../services.ts';
import type { Decoded } from './decode.ts';

export interface RequestContext {
  requestId: string;
  accountId: string;
  action: string;
  services: Services;
}

export type ResponseBody = Record<string, unknown>;

export interface ActionDef {
  handle(ctx: RequestContext, params: Decoded): Promise<ResponseBody>;
}

export type ActionTable = Record<string, ActionDef>;
