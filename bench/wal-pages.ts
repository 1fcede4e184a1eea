// The pages one 10,000-target rollout writes to SQLite's log, per commit and by table or index:
// read from the frame headers of the log (each frame names its page; a commit's last frame
// carries the database size), the pages' owners from the `dbstat` table of a copy. A count, so
// the machine's load does not blur it (bench/README.md, round nine). Earlier rollouts on the
// same server (PRE, comma-separated types) give the indexes other groups' entries, as in the
// engine scenario; `one` deploys the one-resource template.
//   npx tsx bench/wal-pages.ts BUILD_DIR SEQUENTIAL|PARALLEL [PRE,TYPES] [one]
// A checkpoint restarts the log: the build's WAL_CHECKPOINT_BYTES (dist/store/sqlite.js, 40 MB,
// ~200 SEQUENTIAL commits) must not fall inside the measured rollout, or only the log's last part
// is counted (said so below); a scratch copy of the build with a larger one avoids it.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { accounts, regionIds, ros, rpcClient, waitForStatus } from './lib/rpc.ts';
import { readyUrl } from './lib/server.ts';

const dir = process.argv[2] ?? '.';
const type = process.argv[3] ?? 'SEQUENTIAL';
const pre = (process.argv[4] ?? '').split(',').filter(Boolean);
const template = process.argv[5] === 'one' ? JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Resources: { Handle: { Type: 'ALIYUN::ROS::WaitConditionHandle' } } }) : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'localros-wal-pages-'));
const config = join(dataDir, 'config.json');
writeFileSync(config, JSON.stringify({ logLevel: 'warn', limits: { accountsPerCall: 500, regionsPerCall: 20, stackInstancesPerGroup: 200_000 }, simulation: { stackOperationMs: 0 } }));
const child = spawn(process.execPath, [join(resolve(dir), 'bin/localros.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
const exited = new Promise((r) => child.once('exit', r));
const url = await readyUrl(child);
const client = rpcClient(url);
const regions = await regionIds(client, 20);
const wal = join(dataDir, 'localros.db-wal');
let startBytes = 0;
let startSalt = 0;
try {
  for (const [n, t] of [...pre, type].entries()) {
    await ros(client).createGroup(`g${n}`, template);
    startBytes = statSync(wal).size;
    startSalt = readFileSync(wal).readUInt32BE(16);
    const op = await ros(client).createInstances(`g${n}`, accounts(500), regions, { MaxConcurrentCount: 20, RegionConcurrencyType: t });
    const done = await waitForStatus(client, op, ['SUCCEEDED', 'FAILED', 'STOPPED']);
    if (done.status !== 'SUCCEEDED') throw new Error(done.status);
  }
} catch (e) {
  child.kill('SIGTERM');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
  throw e;
}
const copy = join(dataDir, 'copy.db');
copyFileSync(join(dataDir, 'localros.db'), copy);
copyFileSync(wal, copy + '-wal');
client.close();
child.kill('SIGTERM');
const buf = readFileSync(copy + '-wal');
const pageSize = buf.readUInt32BE(8);
const salt1 = buf.readUInt32BE(16), salt2 = buf.readUInt32BE(20);
const commits: number[][] = [];
let cur: number[] = [];
// Frames of an earlier generation of the log (other salts) end the current one.
const restarted = salt1 !== startSalt;
const first = restarted ? 32 : 32 + Math.ceil((startBytes - 32) / (24 + pageSize)) * (24 + pageSize);
for (let off = 32; off + 24 + pageSize <= buf.length; off += 24 + pageSize) {
  if (buf.readUInt32BE(off + 8) !== salt1 || buf.readUInt32BE(off + 12) !== salt2) break;
  if (off < first) continue;
  cur.push(buf.readUInt32BE(off));
  if (buf.readUInt32BE(off + 4) !== 0) { commits.push(cur); cur = []; }
}
const db = new Database(copy);
const owner = new Map<number, string>();
for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owner.set(r.pageno, r.name);
db.close();
const by = new Map<string, number>();
let total = 0;
for (const c of commits) for (const p of new Set(c)) { const n = owner.get(p) ?? `page${p}`; by.set(n, (by.get(n) ?? 0) + 1); total++; }
// The directory goes before anything is printed: a reader that closes the pipe early (`| head`)
// ends the process at its first write.
await exited;
rmSync(dataDir, { recursive: true, force: true });
if (restarted) console.log('the log restarted during the rollout (a checkpoint): only its last part is counted');
console.log(`${type} after [${pre}]: ${commits.length} commits, ${total} pages, ${(total / commits.length).toFixed(2)} a commit`);
for (const [n, k] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 9)) console.log(`  ${n}: ${k} (${(k / commits.length).toFixed(2)} a commit)`);
