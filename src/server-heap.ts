// V8 sizes the old generation of a busy process at up to 4× what survived its last full
// collection, and keeps those pages: after a 100,000-instance rollout the server held ~110 MB
// of old space for ~25 MB live (RSS 210 MB, bench/README.md, issue 17). A 30% headroom keeps
// the heap near what is live at the price of more frequent (incremental, mostly concurrent) full
// collections. The flag is read whenever V8 recomputes its limits, so the running server can
// still set it; a value given on node's command line wins (NODE_OPTIONS does not take V8 flags
// of this kind: node refuses to start).
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;
const FLAG = 'heap-growing-percent';

// The V8 flag to set, or undefined when the process was started with its own value (V8 takes
// either spelling, dashes or underscores).
export function serverHeapFlag(execArgv: readonly string[]): string | undefined {
  const given = execArgv.some((arg) => arg.includes(FLAG) || arg.includes(FLAG.replaceAll('-', '_')));
  return given ? undefined : `--${FLAG}=${HEAP_GROWING_PERCENT}`;
}

export function sizeHeapForServer(): void {
  const flag = serverHeapFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}
