/**
 * One process owns a sandbox's state at a time (src/sandbox/owner.ts): a CLI run uses a running
 * `sandbox serve`'s emulator instead of starting its own, another live owner is a clear error,
 * and a stale owner record is taken over. Ownership by "another process" is played by this
 * test's own pid, which is live, or by the pid of a child that has already exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TargetConfig } from '../../src/model/target.ts';
import { sandboxFor } from '../../src/registry.ts';
import { sandboxOwnerFile, startSandbox, type OwnerRecord, type RunningSandbox, type SandboxClaim } from '../../src/sandbox/index.ts';
import { seedApi7State, type Api7State } from '../../src/sandbox/api7/state.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { cliPath, copyExampleProject, readSandboxState } from '../helpers/project.ts';

const projects: string[] = [];
const running: RunningSandbox[] = [];
const children: ChildProcess[] = [];
test.after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(running.map((sandbox) => sandbox.close()));
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

function project(): { cwd: string; stateDir: string } {
  const cwd = copyExampleProject();
  projects.push(cwd);
  return { cwd, stateDir: join(cwd, '.apiproducts', 'sandbox') };
}

/** The example project's `sandbox-api7` target, as the CLI reads it. */
const api7Target: TargetConfig = {
  name: 'sandbox-api7',
  provider: 'api7',
  sandbox: true,
  insecure: false,
  ignore: [],
  settings: { provider: 'api7', sandbox: true, portal: 'default' },
  source: { file: 'apiproducts.yaml', line: 1, column: 1 },
};

const SERVE: SandboxClaim = { kind: 'serve', command: 'apiproducts sandbox serve' };

async function start(stateDir: string, claim: SandboxClaim): Promise<RunningSandbox> {
  const sandbox = await startSandbox(await sandboxFor(api7Target), api7Target, stateDir, claim);
  running.push(sandbox);
  return sandbox;
}

const ownerFile = (stateDir: string): string => sandboxOwnerFile(api7Target, stateDir);

function writeOwner(stateDir: string, record: OwnerRecord): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(ownerFile(stateDir), JSON.stringify(record));
}

/** A pid that is certainly not running: a child's, once it has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** The products an emulator serves now, by name. */
async function productNames(endpoint: { url: string; secret?: string }): Promise<string[]> {
  const response = await fetch(`${endpoint.url}/api/api_products?portal_id=portal-default`, { headers: { 'X-API-KEY': endpoint.secret ?? '' } });
  const body = (await response.json()) as { list: { name: string }[] };
  return body.list.map((product) => product.name).sort();
}

const savedNames = (cwd: string): string[] =>
  (JSON.parse(readSandboxState(cwd)) as Api7State).products['portal-default']!.map((product) => product.name).sort();

test('a run owns the sandbox while it runs: a 0600 record without the token, removed by close (twice is harmless)', async () => {
  const { stateDir } = project();
  const sandbox = await start(stateDir, { kind: 'run', command: 'apiproducts plan' });
  const record = JSON.parse(readFileSync(ownerFile(stateDir), 'utf8')) as OwnerRecord;
  assert.equal({ ...record, startedAt: '' }, { pid: process.pid, kind: 'run', command: 'apiproducts plan', startedAt: '', url: sandbox.endpoint.url });
  assert.is(statSync(ownerFile(stateDir)).mode & 0o777, 0o600);
  await sandbox.close();
  assert.not.ok(existsSync(ownerFile(stateDir)));
  await sandbox.close();
});

test('plan and apply use a running serve: one state, the same plan output, the change in both', async () => {
  const alone = project();
  const planAlone = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd: alone.cwd });
  const { cwd, stateDir } = project();
  const serve = await start(stateDir, SERVE);
  assert.is((JSON.parse(readFileSync(ownerFile(stateDir), 'utf8')) as OwnerRecord).secret, serve.endpoint.secret);

  const planned = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd });
  assert.is(planned.code, 0);
  assert.is(planned.stdout, planAlone.stdout);
  assert.is(planned.stderr, `Using sandbox sandbox-api7 served by \`apiproducts sandbox serve\` (pid ${process.pid}) at ${serve.endpoint.url}.\n`);

  const applied = await runCliInProcess(['apply', '--target', 'sandbox-api7', '--auto-approve'], { cwd });
  assert.is(applied.code, 0, applied.stderr);
  const served = await productNames(serve.endpoint);
  assert.ok(served.length > seedApi7State().products['portal-default']!.length, 'apply created products in the served emulator');
  assert.ok(serve.counters.requests > 0);

  // The run released nothing of the serve's: it still owns the sandbox, and closing it keeps the change.
  assert.ok(existsSync(ownerFile(stateDir)));
  await serve.close();
  assert.equal(savedNames(cwd), served);
  const after = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd });
  assert.is(after.stderr, '');
  assert.match(after.stdout, /No changes/);
});

test('a sandbox owned by another live run is refused at once, naming it; so are reset and a second serve', async () => {
  const { cwd, stateDir } = project();
  const other = await start(stateDir, { kind: 'run', command: 'apiproducts apply' });
  const before = readSandboxState(cwd);
  const planned = await runCliInProcess(['apply', '--target', 'sandbox-api7', '--auto-approve'], { cwd });
  assert.is(planned.code, 1);
  assert.match(planned.stderr, new RegExp(`Error: sandbox sandbox-api7 is in use by \`apiproducts apply\` \\(pid ${process.pid}\\) since \\d{4}-\\d\\d-\\d\\dT[^ ]+; wait for it to finish\n`));
  const reset = await runCliInProcess(['sandbox', 'reset', '--target', 'sandbox-api7'], { cwd });
  assert.is(reset.code, 1);
  assert.match(reset.stderr, 'is in use by `apiproducts apply`');
  assert.is(readSandboxState(cwd), before);
  await other.close();

  const serve = await start(stateDir, SERVE);
  const refused = await startSandbox(await sandboxFor(api7Target), api7Target, stateDir, SERVE).then(() => 'started', (error: Error) => error.message);
  assert.match(refused, `sandbox sandbox-api7 is in use by \`apiproducts sandbox serve\` (pid ${process.pid})`);
  assert.match(refused, 'stop it first');
  const resetServed = await runCliInProcess(['sandbox', 'reset', '--target', 'sandbox-api7'], { cwd });
  assert.is(resetServed.code, 1);
  assert.match(resetServed.stderr, 'is in use by `apiproducts sandbox serve`');
  await serve.close();
  const resetFree = await runCliInProcess(['sandbox', 'reset', '--target', 'sandbox-api7'], { cwd });
  assert.is(resetFree.code, 0, resetFree.stderr);
  assert.not.ok(existsSync(ownerFile(stateDir)));
});

test('a record whose process is gone is taken over; so is a serve that no longer answers', async () => {
  const { cwd, stateDir } = project();
  writeOwner(stateDir, { pid: await deadPid(), kind: 'run', command: 'apiproducts apply', startedAt: '2026-01-01T00:00:00.000Z' });
  const planned = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd });
  assert.is(planned.code, 0, planned.stderr);
  assert.is(planned.stderr, '');
  assert.not.ok(existsSync(ownerFile(stateDir)));

  // A live pid (reused, say) whose serve URL is closed: nothing listens there any more.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  writeOwner(stateDir, { pid: process.pid, url, secret: 'old', kind: 'serve', command: 'apiproducts sandbox serve', startedAt: '2026-01-01T00:00:00.000Z' });
  const serve = await start(stateDir, SERVE);
  assert.is((JSON.parse(readFileSync(ownerFile(stateDir), 'utf8')) as OwnerRecord).url, serve.endpoint.url);
  await serve.close();

  // A record that is not one (edited by hand, say) protects nothing.
  writeFileSync(ownerFile(stateDir), '{"pid":');
  const again = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd });
  assert.is(again.code, 0, again.stderr);
});

test('a serve still starting (no URL yet): the run is told to try again, not made to wait', async () => {
  const { cwd, stateDir } = project();
  writeOwner(stateDir, { pid: process.pid, kind: 'serve', command: 'apiproducts sandbox serve', startedAt: '2026-01-01T00:00:00.000Z' });
  const planned = await runCliInProcess(['plan', '--target', 'sandbox-api7'], { cwd });
  assert.is(planned.code, 1);
  assert.match(planned.stderr, 'it is still starting; try again');
  rmSync(ownerFile(stateDir));
});

test('end to end: `sandbox serve` in one process, apply in another, one state; Ctrl-C removes the record', async () => {
  const { cwd, stateDir } = project();
  const child = spawn(process.execPath, [cliPath, 'sandbox', 'serve', '--target', 'sandbox-api7'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // Woken by the output itself, not by polling: the serve is ready once it prints its last line.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/Press Ctrl-C/.test(stdout)) resolve();
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stdout}${stderr}`)));
  });
  const url = /listening on (\S+)/.exec(stdout)![1]!;
  const token = /token: (\S+)/.exec(stdout)![1]!;
  assert.is((JSON.parse(readFileSync(ownerFile(stateDir), 'utf8')) as OwnerRecord).pid, child.pid);

  const applied = await runCliInProcess(['apply', '--target', 'sandbox-api7', '--auto-approve'], { cwd });
  assert.is(applied.code, 0, applied.stderr);
  assert.match(applied.stderr, `served by \`apiproducts sandbox serve\` (pid ${child.pid})`);
  const served = await productNames({ url, secret: token });
  assert.ok(served.length > seedApi7State().products['portal-default']!.length);

  child.kill('SIGINT');
  assert.is(await exited, 0);
  assert.not.ok(existsSync(ownerFile(stateDir)));
  assert.equal(savedNames(cwd), served);
});

test.run();
