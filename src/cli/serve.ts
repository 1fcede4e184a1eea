import type { Command } from 'commander';

interface ServeFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  config?: string;
  inMemory?: boolean;
  controlToken?: string;
}

function flagLayer(flags: ServeFlags): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  if (flags.host !== undefined) layer.host = flags.host;
  if (flags.port !== undefined) layer.port = /^\d+$/.test(flags.port) ? Number(flags.port) : flags.port;
  if (flags.dataDir !== undefined) layer.dataDir = flags.dataDir;
  if (flags.inMemory) layer.inMemory = true;
  if (flags.controlToken !== undefined) layer.controlToken = flags.controlToken;
  return layer;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the ROS API server')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on; 0 picks a free one (default 4599)')
    .option('--data-dir <dir>', 'where the database lives (default ./.localros)')
    .option('--config <file>', 'YAML or JSON configuration file')
    .option('--in-memory', 'use a temporary database, deleted on exit')
    .option('--control-token <token>', 'bearer token for the control plane and console')
    .action(async (flags: ServeFlags) => {
      // Loaded here so that the client commands (faults, ops) start without the server's weight.
      const { ConfigError, loadConfig } = await import('../config/load.ts');
      const { createServer } = await import('../server.ts');
      let config;
      try {
        config = loadConfig({ file: flags.config, env: process.env, flags: flagLayer(flags) });
      } catch (e) {
        if (e instanceof ConfigError) {
          process.stderr.write(`localros: ${e.message}\n`);
          process.exit(2);
        }
        throw e;
      }
      const server = createServer(config);
      const { url } = await server.start();
      const key = config.accounts[0].accessKeys[0];
      process.stdout.write(
        `localros listening on ${url} (account ${config.accounts[0].accountId}, AccessKeyId ${key.accessKeyId}, AccessKeySecret ${key.accessKeySecret})\n`,
      );
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.services.log.info(`${signal} received, shutting down`);
        server.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            server.services.log.error('shutdown failed', e);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
