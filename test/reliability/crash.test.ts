/**
 * Crash consistency: the built CLI is SIGKILLed in the middle of an apply against a slow emulator
 * (run in this process, so the test sees every request), then `plan` and `apply` run again. The
 * plan after the crash shows exactly what the killed run did not do; the second apply converges;
 * the live state then equals Git, each product exactly once, none lost. For both providers, killed
 * right after the first write and half-way through a mix of creates and updates.
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/model/plan.ts';
import { cliPath, runCli } from '../helpers/project.ts';
import { writeFileSync } from 'node:fs';
import {
  applyHere,
  closeAll,
  ENV,
  expectedNames,
  ownedOn,
  planHere,
  productName,
  productYaml,
  startApi7,
  startApigee,
  writeLoadProject,
  type Emulator,
} from './harness.ts';

const running: Emulator[] = [];
test.after(() => closeAll(running));

const FIRST = 6;
const ADDED = 6;
const LATENCY_MS = 40;

function writesDone(emulator: Emulator): number {
  return emulator.requests.filter((r) => r.method !== 'GET' && r.status >= 200 && r.status < 300).length;
}

/** Starts `apiproducts apply --auto-approve` and SIGKILLs it once the emulator has completed `after` writes. */
async function applyKilledAfter(cwd: string, emulator: Emulator, after: number): Promise<{ signal: string | null; writesAtKill: number; writes: number }> {
  // The run's first write is its lock record (src/apply/target-lock.ts); the plan's writes follow.
  const baseline = writesDone(emulator) + 1;
  const child = spawn(process.execPath, [cliPath, 'apply', '--auto-approve'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...ENV },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 15_000;
  while (writesDone(emulator) - baseline < after) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the apply ended or stalled before ${after} writes`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  const writesAtKill = writesDone(emulator) - baseline;
  const signal = await exited;
  // Requests the dead process had in flight still reach the server and complete there.
  await new Promise((resolve) => setTimeout(resolve, LATENCY_MS * 3));
  return { signal, writesAtKill, writes: writesDone(emulator) - baseline };
}

interface CrashRun {
  provider: string;
  killedAfter: number;
  writesAtKill: number;
  remainingAfterCrash: number;
  totalChanges: number;
}

async function crashRun(provider: 'api7' | 'apigee', killAfter: (changes: number) => number): Promise<CrashRun> {
  const emulator: Emulator = provider === 'api7' ? await startApi7({ latencyMs: LATENCY_MS }) : await startApigee('edge', { latencyMs: LATENCY_MS });
  running.push(emulator);
  const project = writeLoadProject([{ name: `${provider}-prod`, provider, url: emulator.url, flavour: 'edge' }], FIRST, { concurrency: 4 });
  const cli = (...args: string[]) => runCli(args, { cwd: project.cwd, env: ENV });
  // The setup runs in this process (same code as the CLI, faster); the runs around the crash are the CLI.
  const initial = await applyHere(project.cwd);
  assert.is(initial.code, 0, initial.stderr);

  // Git moves on: every existing product gets a new description, and more products are added.
  for (let i = 1; i <= FIRST; i++) project.edit(i, { description: `Changed in Git, round ${i}.` });
  for (let i = FIRST + 1; i <= FIRST + ADDED; i++) writeFileSync(`${project.cwd}/products/${productName(i)}.yaml`, productYaml(i, project.targets));
  const planned = (await planHere(project.cwd)).plan!;
  const totalChanges = planned.changes.length;
  assert.is(totalChanges, FIRST + ADDED);

  const { signal, writesAtKill, writes } = await applyKilledAfter(project.cwd, emulator, killAfter(totalChanges));
  assert.is(signal, 'SIGKILL');

  // The plan after the crash is exactly what the killed run left undone (each change is one write,
  // and with no faults no write was repeated): nothing twice, nothing missed.
  const crashPlan = await cli('plan', '--format', 'json');
  assert.is(crashPlan.code, 0, crashPlan.stderr);
  const afterCrash = JSON.parse(crashPlan.stdout) as Plan;
  assert.ok(writes > 0 && writes < totalChanges, `${provider}: ${writes} of ${totalChanges} writes: the kill came too early or too late`);
  assert.is(afterCrash.changes.length, totalChanges - writes, `${provider}: remaining work`);
  const before = new Set(planned.changes.map((c) => c.id));
  for (const change of afterCrash.changes) assert.ok(before.has(change.id), `${provider}: ${change.id} was not in the plan before the crash`);

  // The killed run could not release its lock: the next apply is refused, naming it, until the
  // lease lapses or someone who knows the run is dead forces it.
  const blocked = await cli('apply', '--auto-approve');
  assert.is(blocked.code, 1, blocked.stdout + blocked.stderr);
  assert.match(blocked.stderr, 'is locked by another run');
  assert.is((await cli('unlock', `${provider}-prod`, '--force')).code, 0);
  const again = await cli('apply', '--auto-approve');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, `Apply complete! ${afterCrash.changes.length} applied, 0 failed, 0 skipped.`);
  const final = await planHere(project.cwd);
  assert.equal(final.plan?.changes, [], final.stderr);
  const owned = ownedOn(emulator);
  assert.equal(expectedNames(FIRST + ADDED).filter((name) => owned.get(name) !== 1), [], `${provider}: each product exactly once`);
  return { provider, killedAfter: killAfter(totalChanges), writesAtKill, remainingAfterCrash: afterCrash.changes.length, totalChanges };
}

test('SIGKILL mid-apply, then plan and apply again: live equals Git, no duplicate, no lost product (API7 and Apigee)', async () => {
  const runs = await Promise.all([
    crashRun('api7', () => 1),
    crashRun('api7', (n) => Math.floor(n / 2)),
    crashRun('apigee', () => 1),
    crashRun('apigee', (n) => Math.floor(n / 2)),
  ]);
  if (process.env.RELIABILITY_FIGURES) {
    for (const run of runs) {
      console.log(`${run.provider}: killed after ${run.writesAtKill} of ${run.totalChanges} writes; ${run.remainingAfterCrash} left in the next plan; converged`);
    }
  }
});

test.run();
