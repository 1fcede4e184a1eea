// Starting a server from the CLI: a failure the user can act on is said in one line naming
// what to change, instead of a stack trace.
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, type Config } from '../config/schema.ts';
import type { LocalRosServer } from '../server.ts';
import { StartupError } from '../startup-error.ts';

export async function startServer(config: Config): Promise<{ server: LocalRosServer; url: string; port: number }> {
  const { createServer } = await import('../server.ts');
  let server: LocalRosServer | undefined;
  try {
    server = await createServer(config);
    const { url, port } = await server.start();
    return { server, url, port };
  } catch (e) {
    const message = explain(e, config);
    if (!message) throw e;
    // Releases the data directory (and deletes an in-memory one) before exiting.
    await server?.stop().catch(() => undefined);
    process.stderr.write(`localros: ${message}\n`);
    process.exit(1);
  }
}

function explain(e: unknown, config: Config): string | undefined {
  if (e instanceof StartupError) return e.message;
  const at = `${config.host}:${config.port}`;
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return `port ${config.port} is already in use (${at}): stop what holds it, or choose another port with --port (--port 0 picks a free one)`;
    case 'EACCES':
      return `not allowed to listen on ${at}: choose a port above 1023 with --port (--port 0 picks a free one)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${at}: ${config.host} is not an address of this machine (--host 127.0.0.1 is loopback)`;
    default:
      return undefined;
  }
}

// Where the server is and how to sign in. A secret is printed only when it is the built-in
// default one, which is public anyway; one from a config file or the environment never is.
export function readyLine(config: Config, url: string): string {
  const account = config.accounts[0];
  const key = account.accessKeys[0];
  const secret = key.accessKeyId === DEFAULT_ACCESS_KEY_ID && key.accessKeySecret === DEFAULT_ACCESS_KEY_SECRET ? `, AccessKeySecret ${key.accessKeySecret}` : '';
  return `localros listening on ${url} (account ${account.accountId}, AccessKeyId ${key.accessKeyId}${secret}) console: ${url}/console/\n`;
}
