// What `localros ops …` does, loaded only when an `ops` command runs: the SDK takes a good
// part of a second to load, which the other commands should not pay for.
import { $ROS, type RosClient } from '../client/ros-client.ts';
import { apiClient, type ShowFlags } from './api-client.ts';
import type { ApiFlags } from './client-options.ts';
import { fields, progressLine, table } from './format.ts';

type Operation = $ROS.GetStackGroupOperationResponseBodyStackGroupOperation;
type Result = $ROS.ListStackGroupOperationResultsResponseBodyStackGroupOperationResults;

const PAGE_SIZE = 50;
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
// `ops show --watch` exits with this when the operation ends other than SUCCEEDED, so that a
// script can tell "the rollout failed" (3) from "the command failed" (1).
const EXIT_NOT_SUCCEEDED = 3;

async function getOperation(client: RosClient, flags: ApiFlags, operationId: string): Promise<Operation> {
  const res = await client.getStackGroupOperation(new $ROS.GetStackGroupOperationRequest({ regionId: flags.region, operationId }));
  return res.body!.stackGroupOperation!;
}

async function allResults(client: RosClient, flags: ApiFlags, operationId: string): Promise<Result[]> {
  const out: Result[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const body = (
      await client.listStackGroupOperationResults(
        new $ROS.ListStackGroupOperationResultsRequest({ regionId: flags.region, operationId, pageNumber, pageSize: PAGE_SIZE }),
      )
    ).body!;
    const page = body.stackGroupOperationResults ?? [];
    out.push(...page);
    if (page.length === 0 || out.length >= (body.totalCount ?? 0)) return out;
  }
}

function preferences(op: Operation): string {
  const p = op.operationPreferences;
  if (!p) return '';
  return Object.entries(p.toMap())
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
    .join(' ');
}

function describe(op: Operation, results: Result[]): string {
  const head = fields([
    ['Operation', op.operationId],
    ['Stack group', op.stackGroupName],
    ['Action', op.action],
    ['Status', op.status],
    ['Created', op.createTime],
    ['Ended', op.endTime],
    ['Preferences', preferences(op)],
    ['Description', op.operationDescription],
  ]);
  const rows = results.map((r) => [r.accountId, r.regionId, r.status, r.statusReason]);
  return `${head}\n${rows.length ? table(['ACCOUNT', 'REGION', 'STATUS', 'REASON'], rows) : 'no targets\n'}`;
}

function asJson(op: Operation, results: Result[]): string {
  return `${JSON.stringify({ StackGroupOperation: op.toMap(), StackGroupOperationResults: results.map((r) => r.toMap()) }, null, 2)}\n`;
}

// Polls until the operation is final. On a terminal the progress line is redrawn in place;
// elsewhere (a log, a pipe) a line is printed each time the progress changes.
async function watch(client: RosClient, flags: ShowFlags, operationId: string): Promise<[Operation, Result[]]> {
  const tty = process.stdout.isTTY === true && !flags.json;
  let last = '';
  for (;;) {
    const op = await getOperation(client, flags, operationId);
    const results = await allResults(client, flags, operationId);
    const line = progressLine(op.status ?? '?', results.map((r) => r.status ?? '?'));
    if (!flags.json && line !== last) process.stdout.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    last = line;
    if (FINAL.has(op.status ?? '')) {
      if (tty) process.stdout.write('\n\n');
      return [op, results];
    }
    await new Promise((r) => setTimeout(r, flags.interval));
  }
}

export async function listOperations(flags: ApiFlags & { group: string }): Promise<void> {
  const client = apiClient(flags);
  const all: $ROS.ListStackGroupOperationsResponseBodyStackGroupOperations[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const body = (
      await client.listStackGroupOperations(
        new $ROS.ListStackGroupOperationsRequest({ regionId: flags.region, stackGroupName: flags.group, pageNumber, pageSize: PAGE_SIZE }),
      )
    ).body!;
    const page = body.stackGroupOperations ?? [];
    all.push(...page);
    if (page.length === 0 || all.length >= (body.totalCount ?? 0)) break;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(all.map((o) => o.toMap()), null, 2)}\n`);
  else if (all.length === 0) process.stdout.write(`no operations on stack group ${flags.group}\n`);
  else process.stdout.write(table(['OPERATION ID', 'ACTION', 'STATUS', 'CREATED', 'ENDED'], all.map((o) => [o.operationId, o.action, o.status, o.createTime, o.endTime])));
}

export async function showOperation(operationId: string, flags: ShowFlags): Promise<void> {
  const client = apiClient(flags);
  const [op, results] = flags.watch
    ? await watch(client, flags, operationId)
    : [await getOperation(client, flags, operationId), await allResults(client, flags, operationId)];
  process.stdout.write(flags.json ? asJson(op, results) : describe(op, results));
  if (flags.watch && op.status !== 'SUCCEEDED') process.exitCode = EXIT_NOT_SUCCEEDED;
}

export async function stopOperation(operationId: string, flags: ApiFlags): Promise<void> {
  const client = apiClient(flags);
  await client.stopStackGroupOperation(new $ROS.StopStackGroupOperationRequest({ regionId: flags.region, operationId }));
  const { status } = await getOperation(client, flags, operationId);
  process.stdout.write(flags.json ? `${JSON.stringify({ OperationId: operationId, Status: status })}\n` : `stopping ${operationId}: ${status}\n`);
}
