import type { Command } from 'commander';

interface ServeFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  config?: string;
  inMemory?: boolean;
  database?: string;
  controlToken?: string;
  logFormat?: string;
}

function flagLayer(flags: ServeFlags): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  if (flags.host !== undefined) layer.host = flags.host;
  if (flags.port !== undefined) layer.port = /^\d+$/.test(flags.port) ? Number(flags.port) : flags.port;
  if (flags.dataDir !== undefined) layer.dataDir = flags.dataDir;
  if (flags.inMemory) layer.inMemory = true;
  if (flags.database !== undefined) layer.database = flags.database;
  if (flags.controlToken !== undefined) layer.controlToken = flags.controlToken;
  if (flags.logFormat !== undefined) layer.logFormat = flags.logFormat;
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
    .option('--database <url>', 'a PostgreSQL URL (postgres://…) shared by several replicas, instead of the data directory')
    .option('--control-token <token>', 'bearer token for the control plane and console')
    .option('--log-format <format>', 'pretty (default) or json: one line per API call at the info level')
    .action(async (flags: ServeFlags) => {
      // Loaded here so that the client commands (faults, ops) start without the server's weight.
      const { ConfigError, loadConfig } = await import('../config/load.ts');
      const { readyLine, startServer } = await import('./startup.ts');
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
      const { server, url } = await startServer(config);
      const { releaseMemoryWhenIdle } = await import('./idle-memory.ts');
      const memoryRelease = releaseMemoryWhenIdle(config.releaseMemoryAfterIdleMs);
      process.stdout.write(readyLine(config, url));
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        memoryRelease.stop();
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
