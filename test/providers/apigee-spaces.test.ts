/**
 * Issue 18 item 2, Apigee Spaces (X only), over real HTTP against the X emulator: a product's
 * `space` is read (import writes it), kept when Git says nothing, set in the binding, sent on
 * create, and a change of space is a `space` field change applied with `POST …:move` before the
 * PUT. Edge refuses `space` offline, with the file position.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seededEmulators } from './apigee-emulators.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';

const ENV = { APIGEE_TOKEN: TOKEN };
const NAME = 'loyalty-console';
const emulatorFor = seededEmulators(test);

function projectFor(url: string, flavour: Flavour, files: Record<string, string> = {}) {
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: ${flavour}\n    url: ${url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, ...files });
  return { cwd, cli: (...args: string[]) => runCli(args, { cwd, env: ENV }) };
}

interface PlannedChange { key: string; action: string; fields: { path: string; before?: unknown; after?: unknown }[] }
const changesOf = (stdout: string): PlannedChange[] => JSON.parse(stdout).changes as PlannedChange[];

test('X: import writes the space; a space changed in Git is one field change, applied with :move then PUT; the next plan is empty', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x');
  assert.is((await cli('import')).code, 0);
  const file = join(cwd, 'products', `${NAME}.yaml`);
  const text = readFileSync(file, 'utf8');
  assert.match(text, 'space: loyalty-team');
  assert.is((await cli('apply', '--auto-approve')).code, 0, 'adopt what import wrote');

  writeFileSync(file, text.replace('space: loyalty-team', 'space: payments-team'));
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const [change, ...others] = changesOf(plan.stdout);
  assert.equal(others, []);
  assert.is(change!.action, 'update');
  assert.equal(change!.fields, [{ path: 'space', before: 'loyalty-team', after: 'payments-team' }]);

  const before = emulator.requests.length;
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const writes = emulator.requests.slice(before).filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.path.slice(r.path.lastIndexOf('/') + 1)} ${r.status}`);
  // The lock record's own create and delete surround the change.
  assert.equal(writes.filter((line) => line.includes(NAME)), [`POST ${NAME}:move 200`, `PUT ${NAME} 200`]);
  assert.is(emulator.state.products[NAME]!.space, 'payments-team');
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
});

test('X: a binding without space keeps the live one (not compared, sent back); a new product is created in its space', async () => {
  const emulator = await emulatorFor('x');
  const product = 'name: rewards\ndisplayName: Rewards\ntargets:\n  apigee-prod:\n    proxies: [loyalty-v1]\n    space: loyalty-team\n';
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/rewards.yaml': product });
  const created = await cli('apply', '--auto-approve');
  assert.is(created.code, 0, created.stdout + created.stderr);
  assert.is(emulator.state.products.rewards!.space, 'loyalty-team');

  // Moved by someone in the console; Git no longer names a space: left where it is.
  emulator.state.products.rewards!.space = 'payments-team';
  writeFileSync(join(cwd, 'products', 'rewards.yaml'), product.replace('    space: loyalty-team\n', '').replace('Rewards', 'Rewards API'));
  const plan = await cli('plan', '--format', 'json');
  assert.equal(changesOf(plan.stdout).map((c) => c.fields.map((f) => f.path)), [['displayName']]);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is(emulator.state.products.rewards!.space, 'payments-team');
  assert.ok(!emulator.requests.some((request) => request.path.endsWith(':move')));
});

test('Edge: space in a binding is a validation error at its line', async () => {
  const emulator = await emulatorFor('edge');
  const product = 'name: rewards\ntargets:\n  apigee-prod:\n    proxies: [orders-v2]\n    space: loyalty-team\n';
  const { cli } = projectFor(emulator.url, 'edge', { 'products/rewards.yaml': product });
  const result = await cli('validate');
  assert.is(result.code, 1);
  assert.match(result.stdout + result.stderr, 'products/rewards.yaml:5:');
  assert.match(result.stdout + result.stderr, 'apigee/space-edge');
  assert.not.match(result.stdout + result.stderr, '    at ');
});

test('emulator: :move takes {space} or ?space= (agreeing), refuses an unknown space; a PUT cannot change the space; Edge has no :move', async () => {
  const x = await emulatorFor('x');
  const call = async (emulator: ApigeeEmulator, method: string, suffix: string, body?: unknown) =>
    fetch(`${emulator.url}/v1/organizations/${ORG}/apiproducts/${suffix}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  assert.is((await call(x, 'POST', `${NAME}:move`, { space: 'nowhere' })).status, 400);
  assert.is((await call(x, 'POST', `${NAME}:move?space=loyalty-team`, { space: 'payments-team' })).status, 400);
  const moved = await call(x, 'POST', `${NAME}:move?space=payments-team`);
  assert.is(moved.status, 200);
  assert.is(((await moved.json()) as { space?: string }).space, 'payments-team');
  assert.is((await call(x, 'POST', `${NAME}:move`, {})).status, 200);
  assert.is(x.state.products[NAME]!.space, undefined, 'no space: moved to the organization level');
  const served = (await (await call(x, 'GET', NAME)).json()) as Record<string, unknown>;
  assert.is((await call(x, 'PUT', NAME, { ...served, space: 'loyalty-team' })).status, 400);
  const edge = await emulatorFor('edge');
  assert.is((await call(edge, 'POST', 'orders:move', { space: 'loyalty-team' })).status, 404);
});

test.run();
