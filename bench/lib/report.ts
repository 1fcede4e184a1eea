// Figures, and how they are written: bench/results/latest.json for machines, a Markdown table
// for people. Every time has a baseline measured in the same run and the ratio to it, because
// the absolute figures of a shared 2-core machine swing from one minute to the next.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export type Unit = 'ms' | 'µs' | 'req/s' | 'targets/s' | 'instances/s' | 'stacks/s' | 'MB' | 'count';

export interface Figure {
  scenario: string;
  measure: string;
  value: number;
  unit: Unit;
  // Same unit as `value`; `ratio` = value / baseline.value.
  baseline?: { name: string; value: number };
  ratio?: number;
  target?: { text: string; met: boolean };
}

export function figure(scenario: string, measure: string, value: number, unit: Unit, extra: { baseline?: { name: string; value: number }; target?: { text: string; met: boolean } } = {}): Figure {
  return {
    scenario,
    measure,
    value,
    unit,
    ...(extra.baseline ? { baseline: extra.baseline, ratio: value / extra.baseline.value } : {}),
    ...(extra.target ? { target: extra.target } : {}),
  };
}

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  // 1-minute load average at the start and the end: above the CPU count, other processes were
  // competing with the bench and the absolute figures are pessimistic.
  loadAverage: { start: number; end: number };
}

export function machineNow(startLoad: number): Machine {
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: { start: startLoad, end: loadavg()[0] },
  };
}

const number = (v: number, unit: Unit): string => {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'count') return String(v);
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};

export function markdown(figures: Figure[], machine: Machine, durationSec: number, failures: string[]): string {
  const rows = figures.map((f) =>
    [
      f.scenario,
      f.measure,
      `${number(f.value, f.unit)} ${f.unit}`,
      f.baseline ? `${number(f.baseline.value, f.unit)} ${f.unit} (${f.baseline.name})` : '',
      f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
      f.target ? `${f.target.text} ${f.target.met ? '✅' : '❌'}` : '',
    ].join(' | '),
  );
  return [
    `localros bench, ${machine.date.slice(0, 16).replace('T', ' ')} UTC: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load average ${machine.loadAverage.start.toFixed(1)} → ${machine.loadAverage.end.toFixed(1)}; suite ${durationSec.toFixed(0)} s.`,
    '',
    '| Scenario | Measure | Value | Baseline (same run) | Ratio | Target |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
    ...(failures.length ? ['', '**Scenarios that failed:**', ...failures.map((f) => `- ${f}`)] : []),
    '',
  ].join('\n');
}

export function writeResults(dir: string, figures: Figure[], machine: Machine, durationSec: number, failures: string[]): string {
  mkdirSync(dir, { recursive: true });
  const md = markdown(figures, machine, durationSec, failures);
  writeFileSync(`${dir}/latest.json`, `${JSON.stringify({ machine, durationSec, failures, figures }, null, 2)}\n`);
  writeFileSync(`${dir}/latest.md`, md);
  return md;
}
