/**
 * Apigee grants everything where a list is empty: no environments is every environment, no proxies
 * every proxy of the organization (seed 003), no resource paths the proxies whole (seed 004). A Git
 * edit that empties such a list widens what every app key reaches: the plan says so (not "lose
 * access"), keeps it high risk, and counts the apps as affected. Over HTTP against the Edge emulator.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { ORG, TOKEN } from './apigee-fixtures.ts';

const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

/** The seeded `orders` is ours, published, with environments [prod, test] and proxies [orders-v2]; Git lists only its resources. */
async function ordersWithout(binding: string) {
  const emulator = await startApigeeEmulator({ flavour: 'edge', org: ORG, credentials: { token: TOKEN }, state: seedApigeeState(ORG, 'edge') });
  running.push(emulator);
  const live = emulator.state.products['orders']!;
  assert.equal([live.environments, live.proxies], [['prod', 'test'], ['orders-v2']], 'the seed this test is written against');
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: edge\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const product = `name: orders\ndisplayName: ${live.displayName}\ndescription: ${JSON.stringify(live.description ?? '')}\nstatus: published\nvisibility: public\naccess: auto\nteam: commerce\ntargets:\n  apigee-prod:\n${binding}`;
  const cwd = writeProject({ 'apiproducts.yaml': config, 'products/orders.yaml': product });
  return { emulator, cli: (...args: string[]) => runCli(args, { cwd, env: { APIGEE_TOKEN: TOKEN } }) };
}

interface PlannedChange { key: string; action: string; risk: string; reasons: string[]; fields: { path: string }[]; impact?: { effect: string } }
const ordersUpdate = (stdout: string): PlannedChange | undefined =>
  (JSON.parse(stdout).changes as PlannedChange[]).find((change) => change.key === 'orders' && change.action === 'update');

test('emptying environments and proxies is a high-risk widening, and the apps are affected, not narrowed', async () => {
  const { emulator, cli } = await ordersWithout('    resources: [/orders/**]\n');
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const update = ordersUpdate(plan.stdout);
  assert.ok(update, plan.stdout);
  assert.equal(update.fields.map((field) => field.path).filter((path) => path === 'environments' || path === 'proxies').sort(), ['environments', 'proxies']);
  assert.is(update.risk, 'high');
  const reasons = update.reasons.join('\n');
  assert.match(reasons, 'the update widens what the product grants: ');
  assert.match(reasons, 'environments (empty now: every environment; it listed "prod", "test")');
  assert.match(reasons, 'proxies (empty now: every API proxy in the organization; it listed "orders-v2")');
  assert.not.match(reasons, 'lose access');
  assert.is(update.impact?.effect, 'affects');
  // High risk: not applied without --allow-destructive.
  const apply = await cli('apply', '--auto-approve');
  assert.is.not(apply.code, 0);
  assert.equal(emulator.state.products['orders']!.environments, ['prod', 'test']);
});

test('a product that listed every environment and now lists one is narrowed, and says which are left', async () => {
  const { emulator, cli } = await ordersWithout('    proxies: [orders-v2]\n    environments: [prod]\n    resources: [/orders/**]\n');
  emulator.state.products['orders']!.environments = [];
  const update = ordersUpdate((await cli('plan', '--format', 'json')).stdout);
  assert.ok(update);
  assert.is(update.risk, 'high');
  assert.match(update.reasons.join('\n'), 'the update removes environments other than "prod" (it was empty: every environment) from what the product grants: consumers that use them lose access');
  assert.is(update.impact?.effect, 'narrows');
});

test.run();
