#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { registerServe } from './serve.ts';

const program = new Command('localros')
  .description('A local emulator of Alibaba Cloud ROS stack groups')
  .showHelpAfterError();
registerServe(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`localros: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof InvalidArgumentError ? 2 : 1);
});
