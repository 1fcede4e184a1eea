// The thread of yaml-thread.ts: reads the YAML bodies it is sent, one after the other, and
// answers each with its reading or its template error.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../protocol/errors.ts';
import { readYaml } from './parse.ts';
import type { YamlAnswer } from './yaml-thread.ts';

function answer(id: number, body: string): YamlAnswer {
  try {
    return { id, reading: readYaml(body) };
  } catch (e) {
    if (e instanceof ApiError) return { id, error: { entry: e.entry, args: e.args } };
    return { id, failure: e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.on('message', ({ id, body }: { id: number; body: string }) => parentPort!.postMessage(answer(id, body)));
