// Human output of the client commands: aligned tables, key/value blocks and the progress line
// of `ops show --watch`.
import type { ResultStatus } from '../engine/types.ts';

const dash = (v: unknown) => (v === undefined || v === null || v === '' ? '-' : String(v));

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(dash))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

export function fields(pairs: [string, unknown][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${dash(v)}`).join('\n') + '\n';
}

// Results still to be decided; everything else is done.
const OPEN = new Set<string>(['PENDING', 'RUNNING'] satisfies ResultStatus[]);
const ORDER: string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'RUNNING', 'PENDING'] satisfies ResultStatus[];
const BAR_WIDTH = 20;

/** `RUNNING   [########............]  4/10  3 succeeded, 1 failed, 2 running, 4 pending` */
export function progressLine(status: string, resultStatuses: string[]): string {
  const total = resultStatuses.length;
  const done = resultStatuses.filter((s) => !OPEN.has(s)).length;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const counts = new Map<string, number>();
  for (const s of resultStatuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const known = [...ORDER, ...[...counts.keys()].filter((s) => !ORDER.includes(s)).sort()];
  const summary = known.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s.toLowerCase()}`);
  return `${status.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}  ${summary.join(', ')}`.trimEnd();
}
