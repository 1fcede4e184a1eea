// The server's log, on stderr so that stdout carries only what the CLI promises (the ready
// line). Lines go through pino, the logger fastify ships: `json` writes pino's JSON lines,
// `pretty` the same records as one readable line each.
import type { FastifyBaseLogger } from 'fastify';
import { pino, type DestinationStream } from 'pino';
import type { Config } from './config/schema.ts';

export type LogLevel = Config['logLevel'];
export type LogFormat = Config['logFormat'];

/** One API call, logged at `info` once it has been answered. */
export interface RequestLine {
  requestId: string;
  action: string;
  accountId?: string;
  status: number;
  /** The error code of an error answer. */
  code?: string;
  durationMs: number;
}

export interface Logger {
  /** `requestId` names the request whose handling failed, when there is one. */
  error(message: string, err?: unknown, requestId?: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** False when the level drops request lines, so that the hot path builds none. */
  readonly logsRequests: boolean;
  request(line: RequestLine): void;
  /** The pino instance underneath, for fastify's own lines. */
  readonly pino: FastifyBaseLogger;
}

export function createLogger(level: LogLevel, format: LogFormat = 'pretty', out: NodeJS.WritableStream = process.stderr): Logger {
  const destination: DestinationStream = format === 'json' ? { write: (line) => void out.write(line) } : { write: (line) => void out.write(prettyLine(line)) };
  const log = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
  return {
    error: (message, err, requestId) => log.error({ ...(err === undefined ? {} : { err: asError(err) }), ...(requestId ? { requestId } : {}) }, message),
    warn: (message) => log.warn(message),
    info: (message) => log.info(message),
    debug: (message) => log.debug(message),
    logsRequests: log.isLevelEnabled('info'),
    request: (line) => log.info(line, 'request'),
    pino: log,
  };
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

interface PinoRecord {
  time: string;
  level: string;
  msg?: string;
  requestId?: string;
  action?: string;
  accountId?: string;
  status?: number;
  code?: string;
  durationMs?: number;
  err?: { stack?: string; message?: string };
  [key: string]: unknown;
}

// `<time> INFO GetStackGroup 200 1.2ms account=… requestId=…` for a request; `<time> LEVEL
// message` (with the request id and the error's stack when there are) for anything else.
export function prettyLine(json: string): string {
  const r = JSON.parse(json) as PinoRecord;
  const head = `${r.time} ${r.level.toUpperCase()}`;
  if (r.msg === 'request' && r.action !== undefined) {
    const outcome = r.code ? `${r.status} ${r.code}` : String(r.status);
    return `${head} ${r.action || '-'} ${outcome} ${r.durationMs}ms account=${r.accountId ?? '-'} requestId=${r.requestId}\n`;
  }
  let text = `${head} ${r.msg ?? ''}`;
  if (r.requestId) text += ` requestId=${r.requestId}`;
  if (r.err) text += `: ${r.err.stack ?? r.err.message}`;
  return `${text}\n`;
}
