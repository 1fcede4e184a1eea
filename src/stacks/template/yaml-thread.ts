// Parsing YAML off the event loop. The yaml library reads ~1 ms of CPU per KiB of template (a
// 370 KiB YAML template: about a second, every request of the server waiting): a request that
// checks a template reads its YAML on this thread instead (issue 18), and is sent the value back
// (a structured clone: a few milliseconds for the largest template). The thread is started at
// the first YAML template sent to it (over 4 KiB: template-loader.ts) and kept; it only keeps the
// process alive while it parses.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../protocol/errors.ts';
import type { Reading } from './parse.ts';

// What the thread answers (yaml-worker.ts): the reading, the template error, or a failure of its own.
export type YamlAnswer = { id: number } & ({ reading: Reading } | { error: { entry: ApiError['entry']; args: ApiError['args'] } } | { failure: string });

interface Job {
  resolve(reading: Reading): void;
  reject(error: Error): void;
}

// The thread's module sits beside this one: JavaScript once built; TypeScript when run from the
// sources, where the thread registers tsx first (in Node 20 the loader of the main thread does
// not carry over to other threads). Computed at the first parse, not at import: a test runner
// that transforms the sources itself (Vitest) gives them no `import.meta.resolve`, where
// resolving through `require` finds the same package.
function workerData(): { module: string; loader: string | undefined } {
  const fromSources = import.meta.url.endsWith('.ts');
  const resolveTsx = () =>
    typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  return {
    module: new URL(`./yaml-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url).href,
    loader: fromSources ? resolveTsx() : undefined,
  };
}
const BOOT = `const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) {
    const tsx = await import(workerData.loader);
    (tsx.register ?? tsx.default.register)();
  }
  await import(workerData.module);
})();`;

let thread: Worker | undefined;
const jobs = new Map<number, Job>();
let nextId = 0;

function settle(answer: YamlAnswer): void {
  const job = jobs.get(answer.id);
  if (!job) return;
  jobs.delete(answer.id);
  if (jobs.size === 0) thread?.unref();
  if ('reading' in answer) job.resolve(answer.reading);
  else if ('error' in answer) job.reject(new ApiError(answer.error.entry, answer.error.args));
  else job.reject(new Error(`YAML thread: ${answer.failure}`));
}

function yamlThread(): Worker {
  if (thread) return thread;
  const started = new Worker(BOOT, { eval: true, workerData: workerData() });
  started.unref();
  started.on('message', settle);
  // A thread that dies fails the parses it held; the next parse starts another.
  const lost = (error: Error) => {
    if (thread === started) thread = undefined;
    for (const job of jobs.values()) job.reject(error);
    jobs.clear();
  };
  started.on('error', lost);
  started.on('exit', (code) => lost(new Error(`YAML thread exited with code ${code}`)));
  return (thread = started);
}

/** readYaml() (parse.ts) on the YAML thread. */
export function readYamlOffLoop(body: string): Promise<Reading> {
  const worker = yamlThread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, body });
  });
}
