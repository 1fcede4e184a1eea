// The console's JSON endpoints under /console/api/. Each one is a composition of RPC action
// handlers (see call.ts), called as the account chosen in the page (`?account=`, one of the
// configured accounts) in the region it names (`?region=`, the RPC RegionId).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import type { Caller } from './call.ts';
import { accountOf, operationKey, query, route } from './http.ts';
import type { LiveOperations } from './live.ts';
import { loadGroup, OPERATIONS_PER_GROUP } from './group-view.ts';
import { loadOperation } from './operation-view.ts';
import { loadStack, loadStackDetail, READ_ACTIONS } from './stack-view.ts';

interface GroupSummary {
  StackGroupName: string;
  CreateTime: string;
}

interface OperationSummary {
  CreateTime: string;
}

export function registerApiRoutes(app: FastifyInstance, services: Services, caller: Caller, live: LiveOperations): void {
  const { config } = services;

  app.get(
    '/console/api/meta',
    route(async () => {
      const regions = await caller.call('DescribeRegions', config.accounts[0].accountId, { AcceptLanguage: 'en-US' });
      return {
        accounts: config.accounts.map((a) => a.accountId),
        regions: regions.Regions,
        stackReadActions: Object.fromEntries(READ_ACTIONS.map((a) => [a, caller.has(a)])),
      };
    }),
  );

  app.get(
    '/console/api/groups',
    route(async (req) => {
      const groups = await caller.all('ListStackGroups', accountOf(config, req), { RegionId: query(req).region }, 'StackGroups');
      return { groups };
    }),
  );

  app.get(
    '/console/api/groups/:name',
    route(async (req) => {
      const params = { RegionId: query(req).region, StackGroupName: (req.params as { name: string }).name };
      const view = await loadGroup(caller, accountOf(config, req), params);
      // Targets a hold fault keeps RUNNING: only the group's in-flight operation can have any,
      // and it is among the newest.
      const ids = new Set(view.operations.map((o) => o.OperationId));
      // From every replica when there are several (engine/fault-registry.ts).
      const held = (await services.faults.list()).flatMap((f) => f.held.filter((t) => ids.has(t.operationId)).map((t) => ({ ...t, faultId: f.id })));
      return { ...view, held };
    }),
  );

  // Every group's newest operations in the region, newest first.
  app.get(
    '/console/api/operations',
    route(async (req) => {
      const account = accountOf(config, req);
      const RegionId = query(req).region;
      const groups = await caller.all<GroupSummary>('ListStackGroups', account, { RegionId }, 'StackGroups');
      const operations: OperationSummary[] = [];
      let truncated = false;
      for (const g of groups) {
        const page = await caller.call('ListStackGroupOperations', account, { RegionId, StackGroupName: g.StackGroupName, PageSize: OPERATIONS_PER_GROUP });
        operations.push(...(page.StackGroupOperations as OperationSummary[]));
        truncated ||= Number(page.TotalCount) > OPERATIONS_PER_GROUP;
      }
      // ROS times are fixed-width UTC, so text order is time order.
      operations.sort((a, b) => b.CreateTime.localeCompare(a.CreateTime));
      return { operations, truncated };
    }),
  );

  app.get(
    '/console/api/operations/:id',
    route(async (req) => {
      const key = operationKey(config, req);
      return { ...(await loadOperation(caller, key)), seen: live.observations(key) };
    }),
  );

  app.post(
    '/console/api/operations/:id/stop',
    route(async (req) => {
      const key = operationKey(config, req);
      await caller.call('StopStackGroupOperation', key.accountId, { RegionId: key.regionId, OperationId: key.operationId });
      // Watching pages see STOPPING at once rather than at the next tick.
      live.poke(key);
      return {};
    }),
  );

  // The stacks of the chosen account and region; `status` narrows through the API's own filter.
  app.get(
    '/console/api/stacks',
    route(async (req) => {
      const { region, status } = query(req);
      // `Status` is a flat list on the wire (Status.1, Status.2, …).
      const stacks = await caller.all('ListStacks', accountOf(config, req), { RegionId: region, 'Status.1': status || undefined }, 'Stacks');
      return { stacks };
    }),
  );

  app.get(
    '/console/api/stacks/:id',
    route(async (req) => loadStackDetail(caller, accountOf(config, req), query(req).region, (req.params as { id: string }).id)),
  );

  app.get(
    '/console/api/groups/:name/instances/:account/:targetRegion',
    route(async (req) => {
      const p = req.params as { name: string; account: string; targetRegion: string };
      return loadStack(caller, accountOf(config, req), {
        RegionId: query(req).region,
        StackGroupName: p.name,
        StackInstanceAccountId: p.account,
        StackInstanceRegionId: p.targetRegion,
      });
    }),
  );
}
