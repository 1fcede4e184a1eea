// `localros exec -- <command…>`: a throw-away server around one command, as Firebase's
// `emulators:exec` does. The server runs in this process (so it cannot outlive it), the command
// as a child with the environment an SDK user's code reads; exec exits with the child's code.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_REGION, localRosEnv } from '../client/env.ts';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// Shell conventions, so that `localros exec -- …` composes like the command alone would.
const signalExit = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);
const EXIT_NOT_EXECUTABLE = 126;
const EXIT_NOT_FOUND = 127;

// A server bound to a wildcard address is reached through loopback.
function reachable(host: string, port: number): string {
  if (host === '0.0.0.0') return `127.0.0.1:${port}`;
  if (host === '::') return `[::1]:${port}`;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function run(command: string[], env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
    onSpawn(child);
    child.once('error', (e: NodeJS.ErrnoException) => {
      const notFound = e.code === 'ENOENT';
      process.stderr.write(
        `localros exec: cannot run ${command[0]}: ${notFound ? 'command not found' : e.message}` +
          (notFound ? " (shell syntax needs a shell: localros exec -- sh -c '…')" : '') +
          '\n',
      );
      resolve(notFound ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? signalExit(signal) : 1)));
  });
}

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('start a temporary in-memory server on a free port, run a command against it, stop the server and exit with the command\'s code')
    .option('--config <file>', 'YAML or JSON configuration file')
    .option('--region <region>', 'region to put in ALIBABA_CLOUD_REGION_ID', DEFAULT_REGION)
    .argument('<command...>', 'the command and its arguments (after --)')
    .passThroughOptions()
    .action(async (command: string[], flags: { config?: string; region: string }) => {
      // Loaded here, as in `serve`: the other commands start without the server's weight.
      const { ConfigError, loadConfig } = await import('../config/load.ts');
      const { createServer } = await import('../server.ts');
      let config;
      try {
        config = loadConfig({ file: flags.config, env: process.env, flags: { port: 0, inMemory: true } });
      } catch (e) {
        if (e instanceof ConfigError) {
          process.stderr.write(`localros: ${e.message}\n`);
          process.exit(2);
        }
        throw e;
      }

      // Handlers go in before the server starts: a signal during start-up must still stop the
      // server and delete its temporary database rather than kill this process outright.
      let child: ChildProcess | undefined;
      let early: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        if (!child) early ??= signal;
        else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      };
      for (const s of FORWARDED) process.on(s, onSignal);

      const server = await createServer(config);
      let code: number;
      try {
        const { port } = await server.start();
        const endpoint = reachable(config.host, port);
        const key = config.accounts[0].accessKeys[0];
        server.services.log.info(`localros exec: serving http://${endpoint} for ${command.join(' ')}`);
        const env = { ...process.env, ...localRosEnv({ endpoint, credentials: key, accountId: config.accounts[0].accountId, regionId: flags.region, controlToken: config.controlToken }) };
        code = early ? signalExit(early) : await run(command, env, (c) => (child = c));
      } finally {
        await server.stop();
        for (const s of FORWARDED) process.off(s, onSignal);
      }
      process.exit(code);
    });
}
