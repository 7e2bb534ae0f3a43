/**
 * Issue 15 item 3 over real HTTP: a product created twice (two concurrent applies; API7 product
 * names are not unique) stops the plan naming both copies, and `apply --prune` deletes exactly the
 * newer copy.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV } from '../helpers/real-target.ts';

const PORTAL = 'portal-default';
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

/** The example applied, then its weather product POSTed again by another client a minute later. */
async function duplicatedWeather() {
  // Creation times one minute apart: the copy made out of band is the newer one.
  let clock = 1_767_261_600;
  const { cwd, emulator } = await exampleAgainstEmulator({ now: () => clock });
  running.push(emulator);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  const products = () => emulator.state.products[PORTAL]!;
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const before = products().map((p) => p.id).sort();

  clock += 60;
  const original = products().find((p) => p.name === 'Weather Partner API')!;
  const { value: read } = await otherClient(emulator, 'GET', `/api/api_products/${original.id}?portal_id=${PORTAL}`);
  const { id: _id, created_at: _c, updated_at: _u, ...body } = read;
  const { value: copy } = await otherClient(emulator, 'POST', `/api/api_products?portal_id=${PORTAL}`, body);
  assert.is.not(copy.id, original.id);
  assert.equal(copy.labels, original.labels, 'the copy carries the same ownership marker');
  return { emulator, cli, products, before, original, copy };
}

test('an owned product POSTed twice: plan exits 1 naming both ids, apply --prune deletes only the newer copy, then plan is clean', async () => {
  const { emulator, cli, products, before, original, copy } = await duplicatedWeather();

  const plan = await cli('plan');
  assert.is(plan.code, 1, plan.stdout + plan.stderr);
  assert.match(plan.stderr, `error [plan/duplicate] duplicate of weather: target api7-prod has 2 products apiproducts owns as "weather" (ids ${original.id}, ${copy.id}); ${original.id} is the oldest; the copies are identical`);
  assert.match(plan.stderr, `fix: plan and apply with --prune to delete the newer copy (${copy.id}) and keep ${original.id}`);
  assert.not.match(plan.stdout + plan.stderr, 'orphan');

  // A delete like any other: high risk, skipped (exit 4) without --allow-destructive.
  const refused = await cli('apply', '--prune', '--auto-approve');
  assert.is(refused.code, 4, refused.stdout + refused.stderr);
  assert.ok(products().some((p) => p.id === copy.id));

  const repair = await cli('apply', '--prune', '--auto-approve', '--allow-destructive');
  assert.is(repair.code, 0, repair.stdout + repair.stderr);
  assert.match(repair.stdout, `# weather will be deleted: duplicate of weather (id ${copy.id}, newer copy, identical; ${original.id} is kept)`);
  assert.match(repair.stdout, 'Plan: 0 to create, 0 to update, 0 to publish, 0 to unpublish, 1 to delete.');
  assert.equal(products().map((p) => p.id).sort(), before, 'exactly the newer copy is gone');
  // Each apply also removes its own lock record.
  const deletes = emulator.requests.filter((r) => r.method === 'DELETE' && !r.path.includes('apiproducts-lock'));
  assert.equal(deletes.map((r) => r.path), [`/api/api_products/${copy.id}`]);

  const clean = await cli('plan', '--detailed-exitcode');
  assert.is(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, 'No changes.');
});

test('a saved plan that deletes a duplicate checks that exact copy: gone since the plan, it is stale (exit 3) and nothing is written', async () => {
  const { emulator, cli, original, copy } = await duplicatedWeather();
  const plan = await cli('plan', '--prune', '--out', 'plan.json');
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  await otherClient(emulator, 'DELETE', `/api/api_products/${copy.id}?portal_id=${PORTAL}`);
  // What is live, but for the lock record the apply takes and removes.
  const products = () => JSON.stringify(emulator.state.products[PORTAL]!.filter((p) => !p.name.startsWith('apiproducts.lock.')));
  const before = products();
  const apply = await cli('apply', 'plan.json', '--auto-approve', '--allow-destructive');
  assert.is(apply.code, 3, apply.stdout + apply.stderr);
  assert.match(apply.stderr, `error [plan/stale] weather (copy ${copy.id}) existed when planned and is now gone`);
  assert.ok(emulator.state.products[PORTAL]!.some((p) => p.id === original.id));
  assert.is(products(), before, 'nothing was written');
});

test.run();
