// `npm run bench`: runs every scenario against real `localros serve` processes, then writes
// bench/results/latest.json and latest.md and prints the Markdown table. Progress goes to
// stderr, the table to stdout.
//   npm run bench -- --only api,stop        run some scenarios
//   npm run bench -- --cpu-prof /tmp/prof   every localros process writes a V8 CPU profile
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBareServer } from './lib/bare-server.ts';
import { bareRoundTrip, type BenchContext } from './lib/context.ts';
import { machineNow, writeResults, type Figure } from './lib/report.ts';
import { assertSdkSignature } from './lib/signer.ts';
import { apiScenario } from './scenarios/api.ts';
import { engineScenario } from './scenarios/engine.ts';
import { hostileScenario } from './scenarios/hostile.ts';
import { recoveryScenario } from './scenarios/recovery.ts';
import { scaleScenario } from './scenarios/scale.ts';
import { scaleOutScenario } from './scenarios/scale-out.ts';
import { stopScenario } from './scenarios/stop.ts';
import { stacksScenario } from './scenarios/stacks.ts';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<Figure[]>> = {
  api: apiScenario,
  engine: engineScenario,
  stop: stopScenario,
  scale: scaleScenario,
  'scale-out': scaleOutScenario,
  recovery: recoveryScenario,
  hostile: hostileScenario,
  stacks: stacksScenario,
};
const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url));

const { values } = parseArgs({ options: { only: { type: 'string' }, 'cpu-prof': { type: 'string' } } });
const selected = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
const unknown = selected.filter((s) => !SCENARIOS[s]);
if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);

// Every figure rests on requests signed by the bench's own signer: check it against the SDK's.
assertSdkSignature('127.0.0.1:4599', 'CreateStackInstances', {
  RegionId: 'cn-hangzhou',
  StackGroupName: 'bench',
  AccountIds: ['1100000000000000'],
  RegionIds: ['cn-hangzhou', 'cn-beijing'],
  OperationPreferences: { MaxConcurrentCount: 20, RegionConcurrencyType: 'PARALLEL' },
});

// The servers run the compiled CLI (bin/localros.js → dist/), as `npm start` and installs do:
// rebuilt here first if a source changed, so that no server start pays for a build.
execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/ensure-built.js', import.meta.url))], { stdio: ['ignore', 'inherit', 'inherit'] });

const started = performance.now();
const startLoad = loadavg()[0];
const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
const bare = await startBareServer();
const figures: Figure[] = [];
const failures: string[] = [];
try {
  const ctx: BenchContext = { bare, bareRoundTripMs: await bareRoundTrip(bare), cpuProfDir: values['cpu-prof'], log };
  log(`baseline: node:http round trip ${ctx.bareRoundTripMs.toFixed(3)} ms`);
  for (const name of selected) {
    try {
      figures.push(...(await SCENARIOS[name](ctx)));
    } catch (e) {
      // One broken scenario must not cost the figures of the others.
      log(`${name} failed: ${(e as Error).stack ?? e}`);
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
} finally {
  await bare.stop();
}
const durationSec = (performance.now() - started) / 1000;
process.stdout.write(writeResults(RESULTS_DIR, figures, machineNow(startLoad), durationSec, failures));
process.exitCode = failures.length ? 1 : 0;
