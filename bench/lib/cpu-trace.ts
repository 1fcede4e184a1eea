// A compiled server profiled for the trace tools (bench/api-trace.ts, bench/probe-trace.ts):
// `--cpu-prof` at a fine interval, and its GC pauses observed on the clock V8's profiler uses
// (process.hrtime, in µs), so that a client's timings can be laid over both.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tempDir } from './server.ts';

export interface GcPause {
  kind: string;
  t0: number;
  us: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface Trace {
  // Each sample's node id and time (µs, the hrtime clock).
  samples: number[];
  times: number[];
  gcs: GcPause[];
  // Where a sample's node ran: the outermost frame of localros's own code (which timer or I/O
  // callback), or the innermost one with the leaf beside it when that is a VM state ((garbage
  // collector), (idle), (program)) or a library; the leaf alone outside localros's code.
  label(id: number, frame: 'outermost' | 'innermost'): string;
}

// The client's clock, the same as the profile's.
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

// A path shortened to what names it in localros: dist/…, src/… or node_modules/….
export const shortUrl = (url: string): string => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|dist\/|src\/)/, '$1');

// Makes the next server started with `cpuProfDir: dir` profiled and GC-observed (through
// LOCALROS_BENCH_NODE_ARGS); `read()` once it has stopped loads the trace and removes the files.
export function profiledServer(name: string, intervalUs: number): { dir: string; read(): Trace } {
  const dir = tempDir(name);
  const gcLog = `${dir}/gc.json`;
  // Preloaded into the server: it observes the GC pauses and writes them out as it exits.
  writeFileSync(
    `${dir}/gc-observer.mjs`,
    `import { PerformanceObserver, performance, constants } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
const offset = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact', [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak' };
const out = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) out.push({ kind: kinds[e.detail.kind] ?? String(e.detail.kind), t0: offset + e.startTime * 1000, us: e.duration * 1000 }); }).observe({ entryTypes: ['gc'] });
process.on('exit', () => writeFileSync(${JSON.stringify(gcLog)}, JSON.stringify(out)));
`,
  );
  process.env.LOCALROS_BENCH_NODE_ARGS = `${process.env.LOCALROS_BENCH_NODE_ARGS ?? ''} --cpu-prof-interval=${intervalUs} --import=${dir}/gc-observer.mjs`;
  return {
    dir,
    read(): Trace {
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
      const profile = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
      const gcs = JSON.parse(readFileSync(gcLog, 'utf8')) as GcPause[];
      rmSync(dir, { recursive: true, force: true });
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const times: number[] = [];
      let t = profile.startTime;
      for (const d of profile.timeDeltas) times.push((t += d));
      const labels = { outermost: new Map<number, string>(), innermost: new Map<number, string>() };
      const text = (f: ProfileNode['callFrame'], line: boolean) => (f.url ? `${f.functionName || '(anon)'} ${shortUrl(f.url)}${line ? `:${f.lineNumber + 1}` : ''}` : f.functionName);
      const localros = (f: ProfileNode['callFrame']) => f.url.includes('/dist/') && !f.url.includes('node_modules');
      return {
        samples: profile.samples,
        times,
        gcs,
        label(id, frame) {
          let out = labels[frame].get(id);
          if (out !== undefined) return out;
          const frames: ProfileNode['callFrame'][] = [];
          for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur)!.callFrame);
          const leaf = frames[0]!;
          let own: ProfileNode['callFrame'] | undefined;
          for (const f of frames) {
            if (!localros(f)) continue;
            own = f;
            if (frame === 'innermost') break;
          }
          if (!own) out = text(leaf, false);
          else if (frame === 'outermost' || own === leaf) out = text(own, true);
          else out = leaf.url.includes('/dist/') ? text(own, true) : `${text(own, true)} › ${text(leaf, false)}`;
          labels[frame].set(id, out);
          return out;
        },
      };
    },
  };
}
