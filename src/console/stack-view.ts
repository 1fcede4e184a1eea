// A target's stack: the instance from GetStackInstance, and the stack itself, its resources,
// events and outputs from the stack read actions once localros has them. Each part is shown only
// when its action exists in the action table; nothing is made up in the meantime.
import type { Caller, ParamValue } from './call.ts';
import { SurfaceError } from '../control/surface.ts';

export const READ_ACTIONS = ['GetStack', 'ListStackResources', 'ListStackEvents'] as const;

type Part = { available: false } | { available: true; value: unknown } | { available: true; error: { code: string; message: string } };

export interface StackView {
  instance: Record<string, unknown>;
  stack: Part;
  resources: Part;
  events: Part;
}

// A stack belongs to the target account, so it is read as that account, as a user of that
// member account would read it in the cloud.
async function part(caller: Caller, action: (typeof READ_ACTIONS)[number], read: () => Promise<unknown>): Promise<Part> {
  if (!caller.has(action)) return { available: false };
  try {
    return { available: true, value: await read() };
  } catch (e) {
    if (e instanceof SurfaceError) return { available: true, error: { code: e.code, message: e.message } };
    throw e;
  }
}

export async function loadStack(caller: Caller, accountId: string, params: Record<string, ParamValue | undefined>): Promise<StackView> {
  const instance = (await caller.call('GetStackInstance', accountId, params)).StackInstance as Record<string, unknown>;
  const stackId = instance.StackId as string | undefined;
  const owner = instance.AccountId as string;
  const where = { RegionId: instance.RegionId as string, StackId: stackId };
  if (!stackId) {
    // No stack (yet, or any more): nothing to read, whatever the action table holds.
    const none: Part = { available: false };
    return { instance, stack: none, resources: none, events: none };
  }
  return {
    instance,
    stack: await part(caller, 'GetStack', () => caller.call('GetStack', owner, where)),
    resources: await part(caller, 'ListStackResources', async () => (await caller.call('ListStackResources', owner, where)).Resources ?? []),
    events: await part(caller, 'ListStackEvents', () => caller.all('ListStackEvents', owner, where, 'Events')),
  };
}

// A stack of the chosen account on the Stacks page: the stack (GetStack, outputs included),
// its resources, every page of its events, and its change sets (ListChangeSets) each with its
// changes (GetChangeSet). An unknown or foreign stack answers the API's StackNotFound.
export async function loadStackDetail(caller: Caller, accountId: string, regionId: string | undefined, stackId: string) {
  const where = { RegionId: regionId, StackId: stackId };
  const stack = await caller.call('GetStack', accountId, where);
  const resources = (await caller.call('ListStackResources', accountId, where)).Resources ?? [];
  const events = await caller.all('ListStackEvents', accountId, where, 'Events');
  const listed = await caller.all<Record<string, unknown>>('ListChangeSets', accountId, where, 'ChangeSets');
  const changeSets = [];
  for (const c of listed) {
    const detail = await caller.call('GetChangeSet', accountId, { RegionId: regionId, ChangeSetId: c.ChangeSetId as string });
    changeSets.push({ ...c, Changes: detail.Changes ?? [] });
  }
  return { stack, resources, events, changeSets };
}
