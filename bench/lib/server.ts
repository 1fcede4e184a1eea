// Runs `localros serve` (compiled) as its own process, as a user would: its RSS and CPU are its
// own and the load generator never shares its event loop. The ready time (spawn → "listening on")
// is kept because the recovery scenario measures restarts with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The compiled CLI, as `npm start` and an installed package run it (bench/run.ts rebuilds dist/
// first when it is stale): no TypeScript loader in the measured process.
const BIN = fileURLToPath(new URL('../../bin/localros.js', import.meta.url));

export interface ServerOptions {
  config: Record<string, unknown>;
  // Reuse a data directory (a restart); a fresh temporary one otherwise.
  dataDir?: string;
  // Write a V8 CPU profile (`--cpu-prof`) of the server into this directory when it exits.
  cpuProfDir?: string;
}

export interface LocalRosProcess {
  url: string;
  // host:port, the Host header signed requests must carry.
  host: string;
  dataDir: string;
  readyMs: number;
  rssBytes(): number;
  // CPU time the process has used so far (user + system), in milliseconds.
  cpuMs(): number;
  // SIGTERM and wait: a clean stop (and a written CPU profile).
  stop(): Promise<void>;
  // SIGKILL: a crash, leaving the data directory as it was.
  kill9(): Promise<void>;
  // Removes the data directory; the process must be gone.
  cleanup(): void;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `localros-bench-${prefix}-`));
}

export async function startLocalRos(opts: ServerOptions): Promise<LocalRosProcess> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const configFile = join(dataDir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(opts.config));
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  // One-off diagnostics (`--trace-gc`, a flag under trial): extra node flags for every localros
  // process, and its stdout appended to a file.
  if (process.env.LOCALROS_BENCH_NODE_ARGS) nodeArgs.push(...process.env.LOCALROS_BENCH_NODE_ARGS.split(' ').filter(Boolean));
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--config', configFile], {
    env: { ...process.env, LOCALROS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readyUrl(child);
  const stdoutFile = process.env.LOCALROS_BENCH_SERVER_STDOUT;
  if (stdoutFile) child.stdout!.on('data', (d) => appendFileSync(stdoutFile, d));
  const readyMs = performance.now() - started;
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url,
    host: new URL(url).host,
    dataDir,
    readyMs,
    rssBytes: () => rssOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

// The address a localros child prints on its ready line (its stdout and stderr piped).
export function readyUrl(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    // Warnings and errors stay visible: a bench run that hides server errors is not worth reading.
    child.stderr!.on('data', (d) => process.stderr.write(`[localros] ${d}`));
    child.once('exit', (code) => reject(new Error(`localros exited with ${code} before it was ready:\n${out}`)));
  });
}

// Resident set size from /proc, in bytes (the bench targets Linux).
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

const TICKS_PER_SECOND = 100;

// utime + stime from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name).
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
