import type { Config } from './config/schema.ts';

const LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface Logger {
  error(message: string, err?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

// Plain lines on stderr so that stdout carries only what the CLI promises (the ready line).
export function createLogger(level: Config['logLevel']): Logger {
  const threshold = LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string) => {
    if (LEVELS.indexOf(at) <= threshold) process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} ${message}\n`);
  };
  return {
    error: (message, err) => write('error', err ? `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` : message),
    warn: (message) => write('warn', message),
    info: (message) => write('info', message),
    debug: (message) => write('debug', message),
  };
}
