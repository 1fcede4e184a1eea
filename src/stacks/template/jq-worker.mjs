// The thread that runs jq for Fn::Jq (jq.ts). Plain JavaScript so that it needs no TypeScript
// loader. Each request carries a shared buffer: [state, length] as two Int32 followed by the
// answer's UTF-8 bytes; state 1 means the answer is written. The answer is JSON:
// {"stdout": "..."} or {"error": "..."}. `workerData` is a shared Int32 set to 1 once jq is
// compiled, so that the time jq takes to start is not counted against a script.
import { parentPort, workerData } from 'node:worker_threads';
import jqReady from 'jq-web';

const jq = await jqReady;
const encoder = new TextEncoder();
const ready = new Int32Array(workerData);
Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
parentPort.postMessage('ready');

parentPort.on('message', ({ shared, input, filter }) => {
  const header = new Int32Array(shared, 0, 2);
  const body = new Uint8Array(shared, 8);
  let answer;
  try {
    answer = JSON.stringify({ stdout: jq.raw(input, filter, ['-c']) ?? '' });
  } catch (err) {
    answer = JSON.stringify({ error: String(err?.stderr || err?.message || err) });
  }
  let bytes = encoder.encode(answer);
  if (bytes.length > body.length) bytes = encoder.encode(JSON.stringify({ error: `the output is larger than ${body.length} bytes` }));
  body.set(bytes);
  Atomics.store(header, 1, bytes.length);
  Atomics.store(header, 0, 1);
  Atomics.notify(header, 0);
});
