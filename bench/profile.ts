// Summarises a V8 CPU profile (`--cpu-prof`): where the samples landed, by function (self
// time) and by file, the inclusive time of functions matching a filter, and where the time
// under a function goes (`--under`: self time of the samples with it on the stack). Used to
// read the server's profiles behind bench/README.md:
//   npx tsx bench/profile.ts <file.cpuprofile> [--top 25] [--inclusive <substring>] [--under <substring>]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1');

export function summarise(profile: CpuProfile, top: number, inclusiveFilter?: string, underFilter?: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    totalUs += dt;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const under = new Map<string, number>();
  const onStack = (id: number, filter: string) => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (label(byId.get(cur)!).includes(filter)) return true;
    return false;
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (underFilter && onStack(id, underFilter)) add(under, label(node), us);
    add(byFunction, label(node), us);
    add(byFile, shortUrl(node.callFrame.url) || `(${node.callFrame.functionName})`, us);
    if (!inclusiveFilter) continue;
    // Each matching frame on the stack counts once per sample.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (l.includes(inclusiveFilter) && !seen.has(l)) {
        seen.add(l);
        add(inclusive, l, us);
      }
    }
  }
  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const table = (title: string, m: Map<string, number>) =>
    [`${title}`, ...[...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `  ${pct(us)}  ${k}`)].join('\n');
  return [
    `total ${(totalUs / 1000).toFixed(0)} ms sampled`,
    table('self time by function', byFunction),
    table('self time by file', byFile),
    ...(inclusiveFilter ? [table(`inclusive time of frames matching "${inclusiveFilter}"`, inclusive)] : []),
    ...(underFilter ? [table(`self time of the samples under "${underFilter}"`, under)] : []),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [--top N] [--inclusive substring] [--under substring]');
  const opt = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')), Number(opt('--top') ?? 25), opt('--inclusive'), opt('--under'))}\n`);
}
