// `localros faults add|list|rm`: the control plane's fault injection from a shell.
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import { controlPlane, createFaults, type Fault, type FaultMatch, type FaultSpec } from '../client/control-plane.ts';
import { action, baseUrl, controlOptions, type ControlFlags } from './client-options.ts';
import { table } from './format.ts';

interface AddFlags extends ControlFlags {
  group?: string;
  account?: string;
  region?: string;
  action?: FaultMatch['action'];
  message?: string;
  delayMs?: number;
  times?: number;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}

function client(flags: ControlFlags) {
  return { url: baseUrl(flags), controlToken: flags.controlToken };
}

function print(flags: ControlFlags, json: unknown, human: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : human());
}

function describeMatch(m: FaultMatch): string {
  const parts = Object.entries(m).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : '(every target)';
}

function detail(f: Fault): string {
  if (f.effect === 'fail') return f.message ?? '';
  if (f.effect === 'delay') return `+${f.delayMs} ms`;
  return '';
}

export function registerFaults(program: Command): void {
  const faults = program.command('faults').description('inject failures, holds and delays into stack actions (control plane)');

  controlOptions(
    faults
      .command('add')
      .description('add a fault; prints its id')
      .addArgument(new Argument('<effect>', 'what happens to matching stack actions').choices(['fail', 'hold', 'delay']))
      .option('--group <name>', 'match this stack group')
      .option('--account <id>', 'match this account')
      .option('--region <id>', 'match this region')
      .addOption(new Option('--action <action>', 'match this stack action').choices(['CREATE', 'UPDATE', 'DELETE']))
      .option('--message <text>', 'StatusReason of the failed targets (fail)')
      .option('--delay-ms <ms>', 'milliseconds added to each action (delay)', wholeNumber)
      .option('--times <n>', 'apply to this many target actions only', wholeNumber),
  ).action(
    action<AddFlags, [FaultSpec['effect']]>(async (effect, flags) => {
      const match: FaultMatch = {};
      if (flags.group !== undefined) match.stackGroupName = flags.group;
      if (flags.account !== undefined) match.accountId = flags.account;
      if (flags.region !== undefined) match.regionId = flags.region;
      if (flags.action !== undefined) match.action = flags.action;
      const spec: FaultSpec = { match, effect, message: flags.message, delayMs: flags.delayMs, times: flags.times };
      const created = (await controlPlane(client(flags)).call('POST', '/faults', spec)) as Fault & { faultId: string };
      print(flags, created, () => `${created.faultId}\n`);
    }),
  );

  controlOptions(faults.command('list').alias('ls').description('list the faults and the targets they hold')).action(
    action<ControlFlags, []>(async (flags) => {
      const list = await createFaults(client(flags)).list();
      print(flags, list, () =>
        list.length === 0
          ? 'no faults\n'
          : table(
              ['ID', 'EFFECT', 'MATCH', 'DETAIL', 'TIMES LEFT', 'HELD'],
              list.map((f) => [f.id, f.effect, describeMatch(f.match), detail(f), f.timesRemaining ?? 'unlimited', f.effect === 'hold' ? f.held.length : '']),
            ),
      );
    }),
  );

  controlOptions(
    faults
      .command('rm')
      .alias('remove')
      .description('remove faults (removing a hold releases what it holds)')
      .argument('[ids...]', 'fault ids')
      .option('--all', 'remove every fault'),
  ).action(
    action<ControlFlags & { all?: boolean }, [string[]]>(async (ids, flags) => {
      const api = createFaults(client(flags));
      if (flags.all) ids = (await api.list()).map((f) => f.id);
      else if (ids.length === 0) throw new Error('name the faults to remove, or pass --all');
      for (const id of ids) await api.remove(id);
      print(flags, { removed: ids }, () => ids.map((id) => `removed ${id}\n`).join(''));
    }),
  );
}
