// `localros stacks list|show`: stacks through the real ROS API, signed with the configured access
// key, as that account's SDK code sees them (in the style of `localros ops`). The work is in
// stacks-run.ts, imported on use.
import { InvalidArgumentError, type Command } from 'commander';
import { action, apiOptions } from './client-options.ts';
import type { ShowFlags } from './api-client.ts';
import type { ListFlags } from './stacks-run.ts';

function positive(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number of milliseconds.');
  return Number(value);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function tagFilter(value: string, previous: string[] = []): string[] {
  if (value.startsWith('=')) throw new InvalidArgumentError('expected KEY or KEY=VALUE.');
  return [...previous, value];
}

export function registerStacks(program: Command): void {
  const stacks = program.command('stacks').description('stacks, through the ROS API');

  apiOptions(
    stacks
      .command('list')
      .alias('ls')
      .description('list the stacks of the region (ListStacks)')
      .option('--name <name>', 'only the stacks of this name (repeatable)', collect)
      .option('--status <status>', 'only the stacks in this status (repeatable)', collect)
      .option('--tag <key[=value]>', 'only the stacks with this tag (repeatable; all must match)', tagFilter),
  ).action(action<ListFlags, []>(async (flags) => (await import('./stacks-run.ts')).listStacks(flags)));

  apiOptions(
    stacks
      .command('show')
      .description('show a stack with its resources, outputs and latest events')
      .argument('<StackId>')
      .option('--watch', 'follow the stack until no operation runs on it; exit code 3 unless it ends *_COMPLETE without rollback')
      .option('--interval <ms>', 'polling interval of --watch', positive, 1000),
  ).action(action<ShowFlags, [string]>(async (stackId, flags) => (await import('./stacks-run.ts')).showStack(stackId, flags)));
}
