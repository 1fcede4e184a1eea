// Fn::Jq ("Fn::Jq" page): [method, script, object]. `First` answers the filter's first output
// (null when it has none), `All` the list of its outputs. The object may be a JSON string or a
// value; the filter runs in jq itself (jq-web: jq compiled to WebAssembly), so the language is
// jq's own rather than an imitation.
//
// The WebAssembly module compiles asynchronously while evaluation is synchronous: loading starts
// when this module is imported, and the server waits for `functionsReady()` before it serves.
import jqReady, { type Jq } from 'jq-web';
import { ApiError } from '../../protocol/errors.ts';
import { usageError } from './intrinsics.ts';
import type { JsonValue } from './types.ts';

let engine: Jq | undefined;
const loading = jqReady.then((jq) => {
  engine = jq;
});

export function jqReadyPromise(): Promise<void> {
  return loading;
}

const USAGE = '[method, script, object]';
const METHODS = ['First', 'All'];

function failure(detail: string): ApiError {
  return new ApiError('InvalidTemplate', { reason: `"Fn::Jq": ${detail}` });
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

// jq's error text without the shell hint and the echo of the program.
function jqMessage(err: unknown): string {
  const stderr = (err as { stderr?: string }).stderr ?? (err as Error).message;
  const line = stderr.split('\n').find((l) => l.startsWith('jq: error')) ?? stderr.split('\n').find((l) => l.trim() !== '') ?? 'jq failed';
  return line.replace(/ \(Unix shell quoting issues\?\)/, '').replace(/^jq: error(?: \(at [^)]*\))?: /, '');
}

export function jqFunction(args: JsonValue): JsonValue {
  if (!Array.isArray(args) || args.length !== 3) throw usageError('Fn::Jq', USAGE);
  const [method, script, object] = args as [JsonValue, JsonValue, JsonValue];
  if (typeof method !== 'string' || !METHODS.includes(method)) throw failure(`method must be First or All, got ${JSON.stringify(method)}`);
  if (typeof script !== 'string') throw usageError('Fn::Jq', USAGE);
  // Unreachable once the server has waited for jqReadyPromise().
  if (!engine) throw new ApiError('InternalError', {});
  let stdout: string | undefined;
  try {
    stdout = engine.raw(inputText(object), script, ['-c']);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw failure(jqMessage(err));
  }
  // -c writes one output per line.
  const outputs = (stdout ?? '').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as JsonValue);
  return method === 'First' ? (outputs[0] ?? null) : outputs;
}
