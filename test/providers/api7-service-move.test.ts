/**
 * A gateway service moved from one API7 product to another in one plan: "a published service may
 * belong to only one API product" (reference §3, the emulator refuses a second link with a 400),
 * so the update that frees it must run before the one that takes it. Both are updates, one phase,
 * concurrent; the plan makes the taker depend on the freer. A swap (each takes what the other
 * frees) has no such order and is a preflight error. Over HTTP against the emulator.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { portalId, seedApi7State } from '../../src/sandbox/api7/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

const product = (name: string, services: string[]) =>
  `name: ${name}\ndisplayName: ${name}\nstatus: draft\nvisibility: public\naccess: approval\ntargets:\n  api7-prod:\n    type: gateway\n    services:\n${services.map((s) => `      - {gatewayGroup: production, service: ${s}}`).join('\n')}\n`;

/** alpha links orders, beta payments and loyalty: applied, then Git edited by `edit`. */
async function applied(edit: Record<string, string[]>) {
  const state = seedApi7State();
  state.products[portalId('default')] = [];
  const emulator = await startApi7Emulator({ token: TOKEN, state });
  running.push(emulator);
  const config = `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, 'products/alpha.yaml': product('alpha', ['orders']), 'products/beta.yaml': product('beta', ['payments', 'loyalty']) });
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  for (const [name, services] of Object.entries(edit)) writeFileSync(join(cwd, 'products', `${name}.yaml`), product(name, services));
  return { emulator, cli };
}

interface PlannedChange { id: string; key: string; action: string; dependsOn: string[] }

test('a service moved from beta to alpha: alpha waits for beta in the plan, and apply succeeds whatever the order', async () => {
  const { emulator, cli } = await applied({ alpha: ['orders', 'payments'], beta: ['loyalty'] });
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const changes = JSON.parse(plan.stdout).changes as PlannedChange[];
  const alpha = changes.find((change) => change.key === 'alpha')!;
  const beta = changes.find((change) => change.key === 'beta')!;
  // alpha sorts first, so without the dependency it was sent first and refused.
  assert.equal([alpha.action, beta.action], ['update', 'update']);
  assert.equal(alpha.dependsOn, [beta.id]);
  const apply = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const linked = (id: string) => emulator.state.products[portalId('default')]!.find((p) => p.labels?.['apiproducts-name'] === id)!.linked_gateway_services!.map((l) => l.service_id).sort();
  assert.equal(linked('alpha'), ['svc-orders', 'svc-payments'].sort());
  assert.equal(linked('beta'), ['svc-loyalty']);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('without --allow-destructive the freeing update (a narrowing) is skipped, and the taking one is skipped after it, not refused by the server', async () => {
  const { emulator, cli } = await applied({ alpha: ['orders', 'payments'], beta: ['loyalty'] });
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 4, apply.stdout + apply.stderr);
  assert.match(apply.stdout + apply.stderr, /update api7-prod\/alpha: skipped because api7-prod\/beta\/update did not apply/);
  assert.not.ok(emulator.requests.some((request) => request.status === 400), 'no write was refused');
});

test('a swap (alpha takes payments from beta, beta takes orders from alpha) is a preflight error: nothing is written', async () => {
  const { emulator, cli } = await applied({ alpha: ['payments'], beta: ['orders', 'loyalty'] });
  const plan = await cli('plan');
  assert.is(plan.code, 1);
  assert.match(plan.stdout + plan.stderr, 'error [api7/service-swap]');
  assert.match(plan.stdout + plan.stderr, 'each take a gateway service the other frees');
  const writes = emulator.requests.filter((request) => request.method !== 'GET').length;
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 1);
  assert.is(emulator.requests.filter((request) => request.method !== 'GET').length - writes, 2, 'only the target lock taken and released');
});

test.run();
