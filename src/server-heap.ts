// V8 sizes the old generation of a busy process at up to 4× what survived its last full
// collection, and keeps those pages: after a 100,000-instance rollout the server held ~110 MB
// of old space for ~25 MB live (RSS 210 MB, bench/README.md, issue 17). A 30% headroom keeps
// the heap near what is live at the price of more frequent (incremental, mostly concurrent) full
// collections. The flag is read whenever V8 recomputes its limits, so the running server can
// still set it; a value given on the command line or in NODE_OPTIONS wins.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;
const FLAG = 'heap-growing-percent';

export function sizeHeapForServer(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(FLAG) || arg.includes(FLAG.replaceAll('-', '_')));
  if (!given) setFlagsFromString(`--${FLAG}=${HEAP_GROWING_PERCENT}`);
}
