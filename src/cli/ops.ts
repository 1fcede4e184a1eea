// `localros ops list|show|stop`: stack group operations through the real ROS API, signed with
// the configured access key, exactly as a user's SDK code would see them. The work is in
// ops-run.ts, imported on use.
import { InvalidArgumentError, type Command } from 'commander';
import { action, apiOptions, type ApiFlags } from './client-options.ts';
import type { ShowFlags } from './api-client.ts';

function positive(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number of milliseconds.');
  return Number(value);
}

export function registerOps(program: Command): void {
  const ops = program.command('ops').description('stack group operations, through the ROS API');

  apiOptions(
    ops
      .command('list')
      .alias('ls')
      .description("list a stack group's operations")
      .requiredOption('--group <name>', 'stack group name'),
  ).action(
    action<ApiFlags & { group: string }, []>(async (flags) => (await import('./ops-run.ts')).listOperations(flags)),
  );

  apiOptions(
    ops
      .command('show')
      .description('show an operation and its per-target results')
      .argument('<OperationId>')
      .option('--watch', 'follow the progress until the operation ends; exit code 3 unless it SUCCEEDED')
      .option('--interval <ms>', 'polling interval of --watch', positive, 1000),
  ).action(
    action<ShowFlags, [string]>(async (operationId, flags) => (await import('./ops-run.ts')).showOperation(operationId, flags)),
  );

  apiOptions(ops.command('stop').description('stop a running operation (StopStackGroupOperation)').argument('<OperationId>')).action(
    action<ApiFlags, [string]>(async (operationId, flags) => (await import('./ops-run.ts')).stopOperation(operationId, flags)),
  );
}
