// The baseline: a bare node:http server answering one fixed JSON body, in its own process like
// localros. Whatever the machine's noise does to it, it does to localros in the same run, so
// ratios against it are what compare across machines and days.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { cpuMsOf } from './server.ts';

// About the size of a GetStackGroupOperation answer, so both write the same bytes per response.
const BODY = JSON.stringify({
  RequestId: '5B2C36A2-9E4C-4A3B-8F0E-6D8B8E2C0B1A',
  StackGroupOperation: {
    OperationId: '6da106ca-1784-4a6f-a7e1-e723863d0000',
    Action: 'CREATE',
    Status: 'SUCCEEDED',
    StackGroupId: 'fd0ddef9-9540-4b42-a464-94f77835c8b1',
    StackGroupName: 'bench',
    CreateTime: '2024-01-01T00:00:00',
    EndTime: '2024-01-01T00:00:01',
    OperationPreferences: { FailureToleranceCount: 0, MaxConcurrentCount: 20, RegionConcurrencyType: 'PARALLEL', RegionIdsOrder: ['cn-hangzhou'] },
  },
});

export interface BareServer {
  url: string;
  host: string;
  cpuMs(): number;
  stop(): Promise<void>;
}

// Starts this file as a child process and waits for its address.
export async function startBareServer(): Promise<BareServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    host: new URL(url).host,
    cpuMs: () => cpuMsOf(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv.includes('--serve')) {
  const server = createServer((req, res) => {
    // Read the request to its end, as any server must before the connection can be reused.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
