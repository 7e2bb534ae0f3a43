/**
 * Partial failure through the built CLI, over HTTP, for both providers: a change the target keeps
 * refusing (503 on every try) fails after its retries while the others apply; a change that depends
 * on a failed one is skipped and names it; exit 4; `--format json` carries the same report; `plan`
 * then shows exactly the remaining work, and `apply` converges once the target recovers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApplyReport, Plan } from '../../src/model/plan.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, TARGET_ENV } from '../helpers/real-target.ts';
import { closeAll, ENV, ownedOn, startApigee, writeLoadProject, type Emulator } from './harness.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const running: Emulator[] = [];
test.after(() => closeAll(running));

type Row = [key: string, action: string, outcome: string];
const rows = (report: ApplyReport): Row[] => report.results.map((r) => [r.key, r.action, r.outcome]);
const remaining = (plan: Plan): string[] => plan.changes.map((c) => `${c.action} ${c.key}`);

async function api7Flow(): Promise<void> {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  // identity's create is refused on every try; everything else goes through.
  emulator.faults.configure({ rules: [{ method: 'POST', body: '"apiproducts-name":"identity"', fault: 'fail', status: 503, times: Infinity }] });
  const first = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is(first.code, 4, first.stderr);
  assert.not.match(first.stderr, STACK_FRAME);
  const report = (JSON.parse(first.stdout) as { report: ApplyReport }).report;
  const failed = report.results.filter((r) => r.outcome === 'failed');
  assert.equal(failed.map((r) => [r.key, r.attempts]), [['identity', 5]]);
  // A 503 may come after the server made the change, so the report does not say nothing happened.
  assert.is(failed[0]!.message, 'identity: HTTP 503 from POST /api/api_products: injected failure (an answer was lost or was a server error, so the write may have taken effect: the next plan shows what is live)');
  assert.ok(report.results.filter((r) => r.outcome === 'applied').length >= 4, JSON.stringify(rows(report)));
  assert.equal(report.traffic!.map((t) => [t.target, t.retries]), [['api7-prod', 4]]);
  assert.match(first.stderr, 'Apply incomplete.');
  assert.match(first.stderr, /FAILED +create api7-prod\/identity \(\d+ ms, 5 attempts, waited [\d.]+ m?s\): identity: HTTP 503/);

  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  assert.equal(remaining(JSON.parse(plan.stdout)), ['create identity']);

  // An auth change on the published orders product: unpublish → update → publish. The update is
  // refused, this time with a 400 (not retried: the previous step showed retries running out).
  emulator.faults.configure({ rules: [{ method: 'PUT', path: '/api/api_products/prod-orders', nth: 2, fault: 'fail', status: 400, times: Infinity }] });
  const file = join(cwd, 'products', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('auth: [basic-auth]', 'auth: [basic-auth, key-auth]'));
  const second = await cli('apply', '--auto-approve', '--allow-destructive', '--format', 'json');
  assert.is(second.code, 4, second.stderr);
  const chain = (JSON.parse(second.stdout) as { report: ApplyReport }).report.results.filter((r) => r.key === 'orders');
  assert.equal(chain.map((r) => [r.action, r.outcome]), [['unpublish', 'applied'], ['update', 'failed'], ['publish', 'skipped']]);
  assert.is(chain[2]!.message, 'skipped because api7-prod/orders/update did not apply');
  assert.match(second.stderr, 'skipped     publish api7-prod/orders: skipped because api7-prod/orders/update did not apply');

  // identity was created by this second apply (its POST is no longer refused); orders is left half-way.
  const left = await cli('plan', '--format', 'json');
  assert.equal(remaining(JSON.parse(left.stdout)), ['update orders', 'publish orders']);

  emulator.faults.configure({});
  const converge = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(converge.code, 0, converge.stdout + converge.stderr);
  const done = await cli('plan', '--detailed-exitcode');
  assert.is(done.code, 0, done.stdout);
  const owned = ownedOn(emulator);
  assert.equal([...owned.values()].filter((n) => n !== 1), [], 'no duplicate');
  assert.equal([...owned.keys()].sort(), ['identity', 'loyalty', 'orders', 'payments', 'weather']);
}

async function apigeeFlow(): Promise<void> {
  const emulator = await startApigee('edge', { rules: [{ method: 'POST', body: '"name":"p-003"', fault: 'fail', status: 503, times: Infinity }] });
  running.push(emulator);
  const project = writeLoadProject([{ name: 'apigee-prod', provider: 'apigee', url: emulator.url, flavour: 'edge' }], 6);
  const cli = (...args: string[]) => runCli(args, { cwd: project.cwd, env: ENV });
  const first = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is(first.code, 4, first.stderr);
  const report = (JSON.parse(first.stdout) as { report: ApplyReport }).report;
  assert.equal(rows(report), [
    ['p-001', 'create', 'applied'],
    ['p-002', 'create', 'applied'],
    ['p-003', 'create', 'failed'],
    ['p-004', 'create', 'applied'],
    ['p-005', 'create', 'applied'],
    ['p-006', 'create', 'applied'],
  ]);
  assert.match(report.results[2]!.message!, /^p-003: HTTP 503 from POST \/v1\/organizations\/acme\/apiproducts: injected failure \(an answer was lost or was a server error, so the write may have taken effect: the next plan shows what is live\)$/);
  const plan = await cli('plan', '--format', 'json');
  assert.equal(remaining(JSON.parse(plan.stdout)), ['create p-003']);
  emulator.faults.configure({});
  const converge = await cli('apply', '--auto-approve', '--format', 'json');
  assert.is(converge.code, 0, converge.stderr);
  assert.equal(rows((JSON.parse(converge.stdout) as { report: ApplyReport }).report), [['p-003', 'create', 'applied']]);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
}

test('a change refused on every try fails alone (exit 4, JSON report), dependents are skipped naming it, plan shows the rest, apply converges: API7 and Apigee', async () => {
  await Promise.all([api7Flow(), apigeeFlow()]);
});

test.run();
