#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerExec } from './exec.ts';
import { registerFaults } from './fault-commands.ts';
import { registerOps } from './ops.ts';
import { registerServe } from './serve.ts';
import { registerStacks } from './stacks.ts';

// package.json sits two levels up from both src/cli/ and dist/cli/.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('localros')
  .description('A local emulator of Alibaba Cloud ROS stack groups')
  .version(version, '-v, --version', 'print the version of localros')
  .showHelpAfterError()
  // `exec` passes everything after its command through untouched, which commander allows only
  // when options are positional.
  .enablePositionalOptions();
registerServe(program);
registerExec(program);
registerFaults(program);
registerOps(program);
registerStacks(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`localros: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof InvalidArgumentError ? 2 : 1);
});
