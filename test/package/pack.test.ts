// The package as a user gets it: `npm pack`, the tarball installed into a fresh project (from
// the npm cache, fetching only package metadata it lacks), then used with no TypeScript loader — a strict NodeNext TypeScript file
// importing `localros/testing` type-checked against the shipped declarations and run with plain
// node, and the `localros` command's --version, serve and exec. Nothing may be left in TMPDIR.
// Slow (a full build and an install), so it runs from `npm run test:package` in .ci/run.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; devDependencies: Record<string, string> };

let work: string;
let project: string;
// The TMPDIR of every localros process below, checked empty at the end.
let userTmp: string;

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// What a user's shell would give a command run in the project: no loader, our TMPDIR.
const userEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: userTmp, LOCALROS_LOG_LEVEL: 'warn' };
  delete env.NODE_OPTIONS;
  for (const name of Object.keys(env)) if (name.startsWith('LOCALROS_') && name !== 'LOCALROS_LOG_LEVEL') delete env[name];
  return env;
};

before(() => {
  work = mkdtempSync(join(tmpdir(), 'localros-pack-'));
  project = join(work, 'project');
  userTmp = join(work, 'tmp');
  mkdirSync(project);
  mkdirSync(userTmp);
  // `npm pack` runs `prepare`, which builds dist/ from the sources.
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string }[];
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  // Install scripts are skipped: the only one is better-sqlite3's native build, which offline
  // compiles from source for minutes; the checkout's build of the same version is copied in.
  // @types/ws: the Alibaba Cloud SDK's own declarations import 'ws' without depending on its
  // types, so a project checking library declarations (no skipLibCheck) needs it.
  npm(['install', '--prefer-offline', '--ignore-scripts', join(work, packed.filename), `@types/node@${pkg.devDependencies['@types/node']}`, '@types/ws'], project);
  cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(project, 'node_modules/better-sqlite3/build'), { recursive: true });
});

after(() => rmSync(work, { recursive: true, force: true }));

it('ships the compiled package, its declarations, LICENSE and CHANGELOG, and no sources, tests or loader', () => {
  const installed = join(project, 'node_modules/localros');
  for (const file of ['bin/localros.js', 'dist/cli/main.js', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/api/catalogue.json', 'dist/stacks/resource-types/catalogue.json', 'dist/console/assets/index.html', 'LICENSE', 'CHANGELOG.md', 'README.md']) {
    assert.ok(existsSync(join(installed, file)), `${file} is in the package`);
  }
  for (const dir of ['src', 'test', 'bench', 'scripts', 'examples', 'docs', 'spec', '.ci']) {
    assert.ok(!existsSync(join(installed, dir)), `${dir}/ is not in the package`);
  }
  assert.ok(!existsSync(join(project, 'node_modules/tsx')), 'tsx is not installed with localros');
  assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), new RegExp(`^${pkg.license} License`));
});

it('type-checks a strict NodeNext file importing localros/testing and runs it with plain node', () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] }, files: ['rollout.ts'] }),
  );
  writeFileSync(
    join(project, 'rollout.ts'),
    `import { $ROS, startLocalRos, type LocalRos } from 'localros/testing';

const ros: LocalRos = await startLocalRos({ config: { simulation: { stackOperationMs: 0 } } });
try {
  const client = ros.rosClient();
  await client.createStackGroup(new $ROS.CreateStackGroupRequest({
    regionId: ros.regionId, stackGroupName: 'packed', templateBody: '{"ROSTemplateFormatVersion":"2015-09-01"}',
  }));
  const got = await client.getStackGroup(new $ROS.GetStackGroupRequest({ regionId: ros.regionId, stackGroupName: 'packed' }));
  const status: string | undefined = got.body?.stackGroup?.status;
  console.log(\`stack group \${status}\`);

  // The compiled worker threads ship and start: YAML over 4 KiB is read on one, Fn::Jq runs on another.
  const outputs = Array.from({ length: 200 }, (_, i) => \`  Out\${i}:\\n    Value: value number \${i} of a large template\\n\`).join('');
  const yaml = \`ROSTemplateFormatVersion: '2015-09-01'\\nOutputs:\\n\${outputs}\`;
  const validated = await client.validateTemplate(new $ROS.ValidateTemplateRequest({ regionId: ros.regionId, templateBody: yaml }));
  console.log(\`yaml outputs \${validated.body?.outputs?.length}\`);
  const jq = JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Outputs: { Picked: { Value: { 'Fn::Jq': ['First', '.a', '{"a":"jq ok"}'] } } } });
  const created = await client.createStack(new $ROS.CreateStackRequest({ regionId: ros.regionId, stackName: 'jq', templateBody: jq }));
  const stackId = created.body?.stackId;
  for (let tries = 0; ; tries++) {
    const stack = (await client.getStack(new $ROS.GetStackRequest({ regionId: ros.regionId, stackId }))).body;
    if (stack?.status === 'CREATE_COMPLETE') {
      console.log(\`jq \${stack.outputs?.[0]?.['OutputValue']}\`);
      break;
    }
    if (tries === 200 || stack?.status?.endsWith('FAILED')) throw new Error(\`stack \${stack?.status}: \${stack?.statusReason}\`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
} finally {
  await ros.stop();
}
`,
  );
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, `tsc:\n${tsc.stdout}${tsc.stderr}`);
  const run = spawnSync(process.execPath, [join(project, 'out/rollout.js')], { cwd: project, env: userEnv(), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'stack group ACTIVE\nyaml outputs 200\njq jq ok\n');
});

it('npx localros --version prints the package version', () => {
  const run = spawnSync('npx', ['--no', '--', 'localros', '--version'], { cwd: project, env: userEnv(), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${pkg.version}\n`);
});

it('localros serve answers until SIGTERM', async () => {
  const child = spawn(join(project, 'node_modules/.bin/localros'), ['serve', '--port', '0', '--data-dir', join(work, 'data')], {
    cwd: project,
    env: userEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`exited before it was ready:\n${out}`)));
  });
  const health = await fetch(`${url}/health`);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const consolePage = await fetch(`${url}/console/`);
  assert.equal(consolePage.status, 200, 'the console assets are shipped');
  child.kill('SIGTERM');
  assert.equal(await exited, 0, out);
});

it('npx localros exec runs a command against a throw-away server', () => {
  const probe = "const r = await fetch(process.env.LOCALROS_URL + '/health'); console.log('health', r.status)";
  const run = spawnSync('npx', ['--no', '--', 'localros', 'exec', '--', process.execPath, '--input-type=module', '-e', probe], {
    cwd: project,
    env: userEnv(),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'health 200\n');
});

it('leaves nothing in TMPDIR', () => {
  assert.deepEqual(readdirSync(userTmp), []);
});
