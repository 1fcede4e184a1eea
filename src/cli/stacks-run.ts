// What `localros stacks …` does, loaded only when a `stacks` command runs (the SDK is slow to
// load). Reads go through GetStack, ListStacks, ListStackResources and ListStackEvents.
import { $ROS, type RosClient } from '../client/ros-client.ts';
import { apiClient, type ShowFlags } from './api-client.ts';
import type { ApiFlags } from './client-options.ts';
import { fields, table } from './format.ts';

type Stack = $ROS.GetStackResponseBody;
type Resource = $ROS.ListStackResourcesResponseBodyResources;
type StackEvent = $ROS.ListStackEventsResponseBodyEvents;

export interface ListFlags extends ApiFlags {
  name?: string[];
  status?: string[];
  tag?: string[];
}

const PAGE_SIZE = 50;
const EVENTS_SHOWN = 10;
const BAR_WIDTH = 20;
// `stacks show --watch` exits with this when the stack ends other than *_COMPLETE without a
// rollback, so that a script can tell "the deployment failed" (3) from "the command failed" (1).
const EXIT_NOT_COMPLETE = 3;

const inProgress = (status: string | undefined) => status?.endsWith('_IN_PROGRESS') === true;
const succeeded = (status: string | undefined) => status?.endsWith('_COMPLETE') === true && !status.includes('ROLLBACK');

function tagsOf(list: string[] | undefined): $ROS.ListStacksRequestTag[] | undefined {
  return list?.map((t) => {
    const at = t.indexOf('=');
    return new $ROS.ListStacksRequestTag(at < 0 ? { key: t } : { key: t.slice(0, at), value: t.slice(at + 1) });
  });
}

export async function listStacks(flags: ListFlags): Promise<void> {
  const client = apiClient(flags);
  const all: $ROS.ListStacksResponseBodyStacks[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const request = new $ROS.ListStacksRequest({ regionId: flags.region, stackName: flags.name, status: flags.status, tag: tagsOf(flags.tag), pageNumber, pageSize: PAGE_SIZE });
    const body = (await client.listStacks(request)).body!;
    const page = body.stacks ?? [];
    all.push(...page);
    if (page.length === 0 || all.length >= (body.totalCount ?? 0)) break;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(all.map((s) => s.toMap()), null, 2)}\n`);
  else if (all.length === 0) process.stdout.write(`no stacks in ${flags.region}\n`);
  else {
    const rows = all.map((s) => [s.stackId, s.stackName, s.status, s.stackDriftStatus, s.createTime, s.updateTime]);
    process.stdout.write(table(['STACK ID', 'NAME', 'STATUS', 'DRIFT', 'CREATED', 'UPDATED'], rows));
  }
}

async function getStack(client: RosClient, flags: ApiFlags, stackId: string): Promise<Stack> {
  return (await client.getStack(new $ROS.GetStackRequest({ regionId: flags.region, stackId }))).body!;
}

async function resourcesOf(client: RosClient, flags: ApiFlags, stackId: string): Promise<Resource[]> {
  return (await client.listStackResources(new $ROS.ListStackResourcesRequest({ regionId: flags.region, stackId }))).body!.resources ?? [];
}

// The newest events (ListStackEvents answers newest first), shown oldest first.
async function latestEvents(client: RosClient, flags: ApiFlags, stackId: string): Promise<StackEvent[]> {
  const request = new $ROS.ListStackEventsRequest({ regionId: flags.region, stackId, pageNumber: 1, pageSize: EVENTS_SHOWN });
  return ((await client.listStackEvents(request)).body!.events ?? []).reverse();
}

/** `CREATE_IN_PROGRESS  [########............] 2/5 resources  2 create_complete, 1 create_in_progress, 2 init_complete` */
export function stackProgressLine(status: string, resourceStatuses: string[]): string {
  const total = resourceStatuses.length;
  const done = resourceStatuses.filter((s) => !inProgress(s)).length;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const counts = new Map<string, number>();
  for (const s of resourceStatuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const summary = [...counts.keys()].sort().map((s) => `${counts.get(s)} ${s.toLowerCase()}`);
  return `${status} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} resources  ${summary.join(', ')}`.trimEnd();
}

function describe(stack: Stack, resources: Resource[], events: StackEvent[]): string {
  const tags = (stack.tags ?? []).map((t) => `${t.key}=${t.value}`).join(' ');
  const parameters = (stack.parameters ?? []).filter((p) => !p.parameterKey!.startsWith('ALIYUN::')).map((p) => `${p.parameterKey}=${p.parameterValue}`).join(' ');
  const parts = [
    fields([
      ['Stack', stack.stackId],
      ['Name', stack.stackName],
      ['Status', stack.status],
      ['Reason', stack.statusReason],
      ['Created', stack.createTime],
      ['Updated', stack.updateTime],
      ['Drift', stack.stackDriftStatus],
      ['Parameters', parameters],
      ['Tags', tags],
    ]),
    resources.length
      ? table(['RESOURCE', 'TYPE', 'STATUS', 'DRIFT', 'PHYSICAL ID'], resources.map((r) => [r.logicalResourceId, r.resourceType, r.status, r.resourceDriftStatus, r.physicalResourceId]))
      : 'no resources\n',
  ];
  const outputs = (stack.outputs ?? []) as { OutputKey?: string; OutputValue?: unknown }[];
  if (outputs.length) parts.push(table(['OUTPUT', 'VALUE'], outputs.map((o) => [o.OutputKey, typeof o.OutputValue === 'string' ? o.OutputValue : JSON.stringify(o.OutputValue)])));
  if (events.length) parts.push(table(['TIME', 'RESOURCE', 'STATUS', 'REASON'], events.map((e) => [e.createTime, e.logicalResourceId, e.status, e.statusReason])));
  return parts.join('\n');
}

function asJson(stack: Stack, resources: Resource[], events: StackEvent[]): string {
  const { RequestId: _id, ...body } = stack.toMap();
  return `${JSON.stringify({ Stack: body, Resources: resources.map((r) => r.toMap()), Events: events.map((e) => e.toMap()) }, null, 2)}\n`;
}

function isNotFound(e: unknown): boolean {
  return (e as { code?: string }).code === 'StackNotFound';
}

// Polls until no operation runs on the stack. A stack deleted meanwhile (StackNotFound once it
// was DELETE_IN_PROGRESS) is DELETE_COMPLETE. On a terminal the progress line is redrawn in
// place; elsewhere a line is printed each time it changes.
async function watch(client: RosClient, flags: ShowFlags, stackId: string): Promise<{ status: string; shown?: [Stack, Resource[]] }> {
  const tty = process.stdout.isTTY === true && !flags.json;
  let last = '';
  let deleting = false;
  const print = (line: string) => {
    if (!flags.json && line !== last) process.stdout.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    last = line;
  };
  for (;;) {
    let stack: Stack;
    let resources: Resource[];
    try {
      stack = await getStack(client, flags, stackId);
      resources = await resourcesOf(client, flags, stackId);
    } catch (e) {
      if (!deleting || !isNotFound(e)) throw e;
      print('DELETE_COMPLETE');
      if (tty) process.stdout.write('\n');
      return { status: 'DELETE_COMPLETE' };
    }
    deleting = stack.status === 'DELETE_IN_PROGRESS';
    print(stackProgressLine(stack.status ?? '?', resources.map((r) => r.status ?? '?')));
    if (!inProgress(stack.status)) {
      if (tty) process.stdout.write('\n\n');
      return { status: stack.status!, shown: [stack, resources] };
    }
    await new Promise((r) => setTimeout(r, flags.interval));
  }
}

export async function showStack(stackId: string, flags: ShowFlags): Promise<void> {
  const client = apiClient(flags);
  let stack: Stack;
  let resources: Resource[];
  if (flags.watch) {
    const { status, shown } = await watch(client, flags, stackId);
    if (!succeeded(status)) process.exitCode = EXIT_NOT_COMPLETE;
    if (!shown) {
      if (flags.json) process.stdout.write(`${JSON.stringify({ Stack: { StackId: stackId, Status: status } }, null, 2)}\n`);
      return;
    }
    [stack, resources] = shown;
  } else {
    stack = await getStack(client, flags, stackId);
    resources = await resourcesOf(client, flags, stackId);
  }
  const events = await latestEvents(client, flags, stackId);
  process.stdout.write(flags.json ? asJson(stack, resources, events) : describe(stack, resources, events));
}
