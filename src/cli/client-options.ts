// What the client commands (`faults`, `ops`) share: where the server is, how to sign in, and
// how a failure becomes one clear line on stderr.
import { Option, type Command } from 'commander';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../config/schema.ts';
import { parseEndpoint } from '../client/endpoint.ts';
import { DEFAULT_REGION } from '../client/env.ts';
import { ControlPlaneError } from '../client/control-plane.ts';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4599';

export interface ConnectionFlags {
  endpoint: string;
  json?: boolean;
}

export interface ControlFlags extends ConnectionFlags {
  controlToken?: string;
}

export interface ApiFlags extends ConnectionFlags {
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
}

function connectionOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--endpoint <endpoint>', 'server address, host:port or http://host:port').env('LOCALROS_ENDPOINT').default(DEFAULT_ENDPOINT))
    .option('--json', 'print JSON instead of a table');
}

export function controlOptions(cmd: Command): Command {
  return connectionOptions(cmd).addOption(new Option('--control-token <token>', 'bearer token for the control plane').env('LOCALROS_CONTROL_TOKEN'));
}

export function apiOptions(cmd: Command): Command {
  return connectionOptions(cmd)
    .addOption(new Option('--access-key-id <id>', 'AccessKeyId to sign with').env('ALIBABA_CLOUD_ACCESS_KEY_ID').default(DEFAULT_ACCESS_KEY_ID))
    .addOption(
      new Option('--access-key-secret <secret>', 'AccessKeySecret to sign with')
        .env('ALIBABA_CLOUD_ACCESS_KEY_SECRET')
        .default(DEFAULT_ACCESS_KEY_SECRET, 'the default key pair'),
    )
    .addOption(new Option('--region <region>', 'RegionId of the requests').env('ALIBABA_CLOUD_REGION_ID').default(DEFAULT_REGION));
}

export function baseUrl(flags: ConnectionFlags): string {
  return parseEndpoint(flags.endpoint).url;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function networkCode(e: unknown): string | undefined {
  // The SDK rethrows Node's socket error (code on the error); fetch throws "fetch failed" with
  // the socket error, or its own reason (e.g. "bad port"), as the cause.
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, depth = 0; cur && depth < 3; cur = cur.cause as typeof cur, depth++) {
    if (typeof cur.code === 'string' && NETWORK_CODES.has(cur.code)) return cur.code;
  }
  if (e instanceof TypeError && e.message === 'fetch failed') return e.cause instanceof Error ? e.cause.message : 'fetch failed';
  return undefined;
}

/** One line for any failure of a client command. */
function describeFailure(e: unknown, endpoint: string): string {
  const network = networkCode(e);
  if (network) return `cannot reach localros at ${baseUrlOrRaw(endpoint)} (${network})`;
  if (e instanceof ControlPlaneError) return e.message;
  const api = e as { code?: unknown; data?: { Code?: unknown; Message?: unknown } };
  // An API error answer, as the SDK raises it: the server's Code and Message.
  if (api?.data && typeof api.data.Code === 'string') return oneLine(`${api.data.Code}: ${String(api.data.Message ?? '')}`);
  return oneLine(e instanceof Error ? e.message : String(e));
}

// Some messages span lines (SignatureDoesNotMatch carries the server's string to sign).
const oneLine = (message: string) => message.replace(/\s*\n\s*/g, ' ').trim();

function baseUrlOrRaw(endpoint: string): string {
  try {
    return parseEndpoint(endpoint).url;
  } catch {
    return endpoint;
  }
}

/** Wraps a command action so any failure surfaces as `localros: <one line>` and exit code 1. */
export function action<F extends ConnectionFlags, A extends unknown[]>(run: (...args: [...A, F]) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    // Commander passes the positional arguments, then the options, then the command.
    const flags = args[args.length - 2] as F;
    try {
      await run(...(args.slice(0, -1) as [...A, F]));
    } catch (e) {
      throw new Error(describeFailure(e, flags.endpoint));
    }
  };
}
