// Fn::Jq ("Fn::Jq" page): [method, script, object]. `First` answers the filter's first output
// (null when it has none), `All` the list of its outputs. The object may be a JSON string or a
// value; the filter runs in jq itself (jq-web: jq compiled to WebAssembly), so the language is
// jq's own rather than an imitation.
//
// A jq program can loop forever or print without end, and evaluation is synchronous: jq runs on
// its own thread (jq-worker.mjs), started at the first call and kept, while the caller waits at
// most JQ_TIMEOUT_MS for the answer. Compiling jq when the thread starts (about a second, more on
// a busy machine) is waited for separately. A program that does not finish in time is a template
// error and its thread is replaced.
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../protocol/errors.ts';
import { usageError } from './intrinsics.ts';
import type { JsonValue } from './types.ts';

export const JQ_TIMEOUT_MS = 5_000;
const JQ_START_TIMEOUT_MS = 60_000;
// The largest answer jq may give (its outputs as compact JSON lines).
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const USAGE = '[method, script, object]';
const METHODS = ['First', 'All'];

let worker: Worker | undefined;
let started: Int32Array | undefined;
let ready: Promise<void> | undefined;

function spawn(): Worker {
  if (!worker) {
    started = new Int32Array(new SharedArrayBuffer(4));
    const thread = new Worker(new URL('./jq-worker.mjs', import.meta.url), { workerData: started.buffer });
    // The thread never keeps the process alive.
    thread.unref();
    const gone = () => {
      if (worker === thread) worker = undefined;
    };
    thread.on('error', gone);
    thread.on('exit', gone);
    ready = new Promise((resolve) => {
      thread.once('message', () => resolve());
      thread.once('exit', () => resolve());
    });
    worker = thread;
  }
  return worker;
}

// The targets of one operation ask about the same body, thousands of times: the last answer is
// kept (comparing the same string is free, scanning 20 KB is not).
let lastBody = '';
let lastCallsJq = false;
function callsJq(templateBody: string): boolean {
  if (templateBody !== lastBody) {
    lastBody = templateBody;
    lastCallsJq = /\bJq\b/.test(templateBody);
  }
  return lastCallsJq;
}

// Starts jq's thread when a template calls Fn::Jq and resolves once jq is compiled, without
// blocking: stack actions await it before they evaluate, so the server keeps answering while
// jq compiles.
export async function jqReadyFor(templateBody: string): Promise<void> {
  if (!callsJq(templateBody)) return;
  spawn();
  await ready;
}

// The jq thread, once jq is compiled in it (waiting synchronously if it is not yet).
function jqThread(): Worker {
  const thread = spawn();
  if (Atomics.wait(started!, 0, 0, JQ_START_TIMEOUT_MS) === 'timed-out' && Atomics.load(started!, 0) === 0) {
    void thread.terminate();
    worker = undefined;
    throw new ApiError('InternalError', {});
  }
  return thread;
}

function failure(detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"Fn::Jq": ${detail}` });
}

// jq's error text without the shell hint and the echo of the program.
function jqMessage(stderr: string): string {
  const lines = stderr.split('\n');
  const line = lines.find((l) => l.startsWith('jq: error')) ?? lines.find((l) => l.trim() !== '' && !l.startsWith('Non-zero exit code')) ?? 'jq failed';
  return line.replace(/ \(Unix shell quoting issues\?\)/, '').replace(/^jq: error(?: \(at [^)]*\))?: /, '');
}

// jq's stdout for `filter` over the JSON text `input`, waiting at most `timeoutMs`.
function runJq(input: string, filter: string, timeoutMs: number): string {
  const shared = new SharedArrayBuffer(8 + MAX_OUTPUT_BYTES);
  const header = new Int32Array(shared, 0, 2);
  const thread = jqThread();
  thread.postMessage({ shared, input, filter });
  if (Atomics.wait(header, 0, 0, timeoutMs) === 'timed-out' && Atomics.load(header, 0) === 0) {
    void thread.terminate();
    worker = undefined;
    throw failure(`the script did not finish within ${timeoutMs} ms`);
  }
  const text = new TextDecoder().decode(new Uint8Array(shared, 8, Atomics.load(header, 1)));
  const answer = JSON.parse(text) as { stdout?: string; error?: string };
  if (answer.error !== undefined) throw failure(jqMessage(answer.error));
  return answer.stdout ?? '';
}

function inputText(object: JsonValue): string {
  if (typeof object !== 'string') return JSON.stringify(object);
  try {
    JSON.parse(object);
  } catch {
    throw failure('the object is not a JSON string');
  }
  return object;
}

export function jqFunction(args: JsonValue, timeoutMs = JQ_TIMEOUT_MS): JsonValue {
  if (!Array.isArray(args) || args.length !== 3) throw usageError('Fn::Jq', USAGE);
  const [method, script, object] = args as [JsonValue, JsonValue, JsonValue];
  if (typeof method !== 'string' || !METHODS.includes(method)) throw failure(`method must be First or All, got ${JSON.stringify(method)}`);
  if (typeof script !== 'string') throw usageError('Fn::Jq', USAGE);
  // -c writes one output per line.
  const outputs = runJq(inputText(object), script, timeoutMs)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonValue);
  return method === 'First' ? (outputs[0] ?? null) : outputs;
}
