/**
 * Issue 18 item 5: drift reads only the products apiproducts owns (`attributename=managed-by&
 * attributevalue=apiproducts`, reference §3) when that is enough, over real HTTP against the
 * emulator; plan still reads the whole org, and drift falls back to it when a Git product is not
 * among the owned ones (it may collide with an unowned one). A server that ignores the filter
 * (ApigeeEmulatorOptions.ignoreAttributeFilter) gives the same report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { ORG, TOKEN } from './apigee-fixtures.ts';

const ENV = { APIGEE_TOKEN: TOKEN };
const OWNED = 10;
const ORG_SIZE = 1000;
const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

/** An org of ORG_SIZE products: OWNED from Git (applied below), the rest made by hand. */
function bigOrg(): ApigeeState {
  const state = seedApigeeState(ORG, 'edge');
  state.products = {};
  for (let index = 0; index < ORG_SIZE - OWNED; index++) {
    const name = `hand-${String(index).padStart(4, '0')}`;
    state.products[name] = { name, displayName: name, approvalType: 'manual', attributes: [], apiResources: [], environments: [], proxies: ['orders-v2'], scopes: [], createdAt: 1, createdBy: 'ops', lastModifiedAt: 1, lastModifiedBy: 'ops' };
  }
  return state;
}

const productFile = (name: string): string => `name: ${name}\ndisplayName: ${name}\ntargets:\n  apigee-prod:\n    proxies: [orders-v2]\n`;

async function setUp(ignoreAttributeFilter: boolean) {
  const emulator = await startApigeeEmulator({ flavour: 'edge', org: ORG, credentials: { token: TOKEN }, state: bigOrg(), ignoreAttributeFilter });
  running.push(emulator);
  const files: Record<string, string> = { 'apiproducts.yaml': `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: edge\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n` };
  for (let index = 0; index < OWNED; index++) files[`products/git-${index}.yaml`] = productFile(`git-${index}`);
  const cwd = writeProject(files);
  const cli = (...args: string[]) => runCli(args, { cwd, env: ENV });
  const applied = await cli('apply', '--auto-approve');
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  // Edited by hand since: drift must see it whichever way the list is read.
  emulator.state.products['git-3']!.description = 'edited in the UI';
  return { emulator, cwd, cli };
}

/** The product list requests a command made, with their query strings. */
async function listsOf(emulator: ApigeeEmulator, run: () => Promise<{ code: number; stdout: string; stderr: string }>) {
  const before = emulator.requests.length;
  const result = await run();
  const lists = emulator.requests.slice(before).filter((request) => request.method === 'GET' && request.path.endsWith('/apiproducts'));
  return { result, lists };
}

const driftItems = (stdout: string) => (JSON.parse(stdout) as { items: { key: string; kind: string }[]; targets: { unmanaged: number; ownedOnly?: true }[] });

test(`a ${ORG_SIZE}-product org: drift lists the ${OWNED} owned products in 1 request; plan lists all ${ORG_SIZE} in 2`, async () => {
  const { emulator, cli } = await setUp(false);
  const drift = await listsOf(emulator, () => cli('drift', '--format', 'json'));
  assert.is(drift.result.code, 2, drift.result.stdout + drift.result.stderr);
  assert.equal(drift.lists.length, 1);
  assert.match(drift.lists[0]!.query ?? '', 'attributename=managed-by&attributevalue=apiproducts');
  const report = driftItems(drift.result.stdout);
  assert.equal(report.items.map((item) => [item.key, item.kind]), [['git-3', 'changed-outside-git']]);
  assert.equal(report.targets.map((target) => target.ownedOnly), [true]);

  const plan = await listsOf(emulator, () => cli('plan', '--format', 'json'));
  assert.is(plan.result.code, 0, plan.result.stderr);
  // Page one holds 1000, and the inclusive startKey page repeats the last one (reference §3).
  assert.equal(plan.lists.length, 2);
  assert.ok(plan.lists.every((request) => !(request.query ?? '').includes('attributename')));
  const target = (JSON.parse(plan.result.stdout) as { targets: { unmanaged: number; ownedOnly?: true }[] }).targets[0]!;
  assert.equal([target.unmanaged, target.ownedOnly], [ORG_SIZE - OWNED, undefined]);
});

test('a server that ignores the attribute filter: drift reads everything, filters it itself, and reports the same', async () => {
  const { emulator, cli } = await setUp(true);
  const drift = await listsOf(emulator, () => cli('drift', '--format', 'json'));
  assert.is(drift.result.code, 2, drift.result.stdout + drift.result.stderr);
  assert.equal(drift.lists.length, 2);
  assert.equal(driftItems(drift.result.stdout).items.map((item) => [item.key, item.kind]), [['git-3', 'changed-outside-git']]);
});

test('a Git product not among the owned ones: drift reads the whole org and finds the collision with an unowned product', async () => {
  const { emulator, cwd, cli } = await setUp(false);
  writeFileSync(join(cwd, 'products', 'hand.yaml'), productFile('hand-0007'));
  const drift = await listsOf(emulator, () => cli('drift', '--format', 'json'));
  assert.is(drift.result.code, 1, drift.result.stdout);
  assert.match(drift.result.stdout + drift.result.stderr, 'plan/unowned-collision');
  // The filtered read, then the whole list (two pages).
  assert.equal(drift.lists.map((request) => (request.query ?? '').includes('attributename')), [true, false, false]);
});

test.run();
