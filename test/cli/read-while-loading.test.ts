import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../src/model/diagnostic.ts';
import { SecretMasker } from '../../src/model/masker.ts';
import { loadWhileObserving } from '../../src/commands/read-while-loading.ts';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { copyExampleProject, onlyApi7Binding } from '../helpers/project.ts';
import { TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

/** The example project on a real (non-sandbox) API7 target; `arrived` lists each request as it reaches the emulator. */
async function projectOnEmulator(): Promise<{ cwd: string; arrived: string[]; emulator: Api7Emulator }> {
  const arrived: string[] = [];
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State(), beforeAnswer: (request) => void arrived.push(`${request.method} ${request.path}`) });
  running.push(emulator);
  const cwd = copyExampleProject();
  writeConfig(cwd, emulator.url);
  for (const name of ['payments', 'orders', 'identity', 'weather', 'loyalty']) {
    const file = join(cwd, 'products', `${name}.yaml`);
    writeFileSync(file, onlyApi7Binding(readFileSync(file, 'utf8')).replace('sandbox-api7:', 'api7-prod:'));
  }
  return { cwd, arrived, emulator };
}

function writeConfig(cwd: string, url: string): void {
  writeFileSync(join(cwd, 'apiproducts.yaml'), `targets:\n  api7-prod:\n    provider: api7\n    url: ${url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`);
}

/** Sorted last, so validation reaches it after every other file: a schema error (the name's pattern). */
function addLateError(cwd: string): void {
  writeFileSync(join(cwd, 'products', 'zz-late.yaml'), 'name: Not A Valid Name\ndisplayName: Late\ntargets:\n  api7-prod:\n    type: gateway\n');
}

const io = { env: { ...TARGET_ENV, PATH: process.env.PATH ?? '' }, err: () => undefined, secrets: new SecretMasker() };
/** A clock that moves 10 ms per reading: every pause check finds its slice over, so each file gives the event loop a turn. */
function ticking(): () => number {
  let now = 0;
  return () => (now += 10);
}
const options = (cwd: string) => ({ cwd, targets: [] as string[] });

test('the live state is requested before validation ends, and read by the plan without asking again', async () => {
  const { cwd, arrived } = await projectOnEmulator();
  const { project, early } = await loadWhileObserving(options(cwd), io, 'apiproducts plan', { now: ticking() });
  const beforeTheEnd = arrived.length;
  assert.ok(early, 'the observation started early');
  assert.ok(beforeTheEnd > 0, 'requests reached the portal while the project loaded');
  assert.ok(arrived.every((request) => request.startsWith('GET ')), arrived.join(', '));
  const live = await early!.live;
  assert.ok(live.has('api7-prod'));
  assert.is(project.targets.length, 1);
  await early!.drop();
});

test('without pauses (a clock that never moves) nothing is answered while the products load and validate: the pauses make the overlap', async () => {
  const { cwd, arrived } = await projectOnEmulator();
  // Read when the loading starts (after the code that loads products was imported, which may let an answer in).
  let answeredBeforeLoading: number | undefined;
  const still = (): number => {
    answeredBeforeLoading ??= arrived.length;
    return 0;
  };
  const { early } = await loadWhileObserving(options(cwd), io, 'apiproducts plan', { now: still });
  assert.is(arrived.length, answeredBeforeLoading);
  await early!.live;
  assert.ok(arrived.length > 0);
  await early!.drop();
});

test('a validation error after the observation started: the UserError of the load errors only, nothing but reads sent', async () => {
  const { cwd, arrived } = await projectOnEmulator();
  addLateError(cwd);
  try {
    await loadWhileObserving(options(cwd), io, 'apiproducts plan', { now: ticking() });
    assert.unreachable('validation failed');
  } catch (error) {
    assert.instance(error, UserError);
    const diagnostics = (error as UserError).diagnostics ?? [];
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.source?.file === 'products/zz-late.yaml'), JSON.stringify(diagnostics));
  }
  assert.ok(arrived.length > 0, 'the observation had started');
  assert.ok(arrived.every((request) => request.startsWith('GET ')), arrived.join(', '));
});

test('plan with a late validation error: exit 1, only the load errors printed, no plan file written', async () => {
  const { cwd, arrived } = await projectOnEmulator();
  addLateError(cwd);
  const result = await runCli(['plan', '--out', 'plan.json'], { cwd, env: TARGET_ENV });
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /products\/zz-late\.yaml:1:7/);
  assert.not.match(result.stderr, /observe|could not read/);
  assert.is(result.stdout, '');
  assert.not.ok(existsSync(join(cwd, 'plan.json')));
  assert.ok(arrived.every((request) => request.startsWith('GET ')), arrived.join(', '));
});

test('plan with a late validation error and an unreachable target: the load errors, promptly, and no unhandled rejection', async () => {
  const { cwd } = await projectOnEmulator();
  const closed = await startApi7Emulator({ token: TOKEN });
  const url = closed.url;
  await closed.close(); // nothing listens there any more: every connection is refused
  writeConfig(cwd, url);
  addLateError(cwd);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const result = await runCli(['drift'], { cwd, env: TARGET_ENV });
    assert.is(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /products\/zz-late\.yaml/);
    assert.not.match(result.stderr, /ECONNREFUSED|could not read/);
    // Give the dropped observation's tries (their waits cut short) time to fail, as they do at once.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test.run();
