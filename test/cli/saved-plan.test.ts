import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Api7Emulator } from '../../src/sandbox/api7/server.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV } from '../helpers/real-target.ts';

const PRODUCTS = '/api/api_products?portal_id=portal-default';
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

async function savedPlan() {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const plan = await runCli(['plan', '--out', 'plan.json'], { cwd, env: TARGET_ENV });
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, 'npx apiproducts apply plan.json');
  return { cwd, emulator, snapshot: () => JSON.stringify(emulator.state) };
}

test('apply plan.json applies exactly the saved plan, then there is nothing to do', async () => {
  const { cwd } = await savedPlan();
  const apply = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, 'Apply complete! 5 applied, 0 failed, 0 skipped.');
  const again = await runCli(['plan', '--detailed-exitcode'], { cwd, env: TARGET_ENV });
  assert.is(again.code, 0, again.stdout);
});

test('a product changed by another client since the plan: exit 3, each field named, nothing written', async () => {
  const { cwd, emulator, snapshot } = await savedPlan();
  const { list } = await otherClient(emulator, 'GET', PRODUCTS + '&page=1&page_size=100');
  const orders = list.find((p: { name: string }) => p.name === 'Orders API');
  const { id, created_at: _c, updated_at: _u, ...body } = orders;
  await otherClient(emulator, 'PUT', `/api/api_products/${id}?portal_id=portal-default`, { ...body, desc: 'Edited in the dashboard.' });
  const before = snapshot();
  const apply = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 3, apply.stdout + apply.stderr);
  assert.match(apply.stderr, 'target api7-prod: error [plan/stale] orders changed since the plan was made: description "Create and track orders." → "Edited in the dashboard."');
  assert.match(apply.stderr, 'the saved plan is stale: 1 object changed since it was made; nothing was written');
  assert.is(snapshot(), before);
});

test('a product created by someone else where the plan expected none: exit 3, nothing written', async () => {
  const { cwd, emulator, snapshot } = await savedPlan();
  await otherClient(emulator, 'POST', PRODUCTS, { name: 'Payments API', type: 'external', raw_openapi: 'openapi: 3.0.0', server_urls: ['https://x.example.com'], labels: { 'managed-by': 'apiproducts', 'apiproducts-name': 'payments' } });
  const before = snapshot();
  const apply = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 3, apply.stderr);
  assert.match(apply.stderr, 'payments was absent when planned and now exists');
  assert.is(snapshot(), before);
});

test('a tampered plan file is refused before anything is read or written', async () => {
  const { cwd, emulator, snapshot } = await savedPlan();
  const file = join(cwd, 'plan.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"Identity API"', '"Identity API (edited)"'));
  const requests = emulator.requests.length;
  const before = snapshot();
  const apply = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, 'plan.json was modified after it was written');
  assert.is(emulator.requests.length, requests);
  assert.is(snapshot(), before);
});

test('a plan made against another portal is refused', async () => {
  const { cwd, snapshot } = await savedPlan();
  const config = join(cwd, 'apiproducts.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('portal: default', 'portal: partners'));
  const before = snapshot();
  const apply = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, /plan\/other-target\] the plan was made against http:\/\/127\.0\.0\.1:\d+, portal default, but the target now points at http:\/\/127\.0\.0\.1:\d+, portal partners/);
  assert.is(snapshot(), before);
});

test('--target and --prune are refused with a saved plan', async () => {
  const { cwd } = await savedPlan();
  const apply = await runCli(['apply', 'plan.json', '--target', 'api7-prod', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, 'a saved plan is applied exactly as it is');
});

test.run();
