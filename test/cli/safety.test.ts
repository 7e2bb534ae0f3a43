import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Api7Emulator } from '../../src/sandbox/api7/server.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV } from '../helpers/real-target.ts';
import { activeSubscriptions } from '../../src/sandbox/api7/subscriptions.ts';

const PORTAL = 'portal-default';
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

/** The example products applied to a fresh emulator: the starting point of every case here. */
async function appliedExample() {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  const apply = await runCli(['apply', '--auto-approve'], { cwd, env: TARGET_ENV });
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  const products = () => emulator.state.products[PORTAL]!;
  const product = (name: string) => products().find((p) => p.name === name)!;
  const edit = (file: string, from: string, to: string) => {
    const path = join(cwd, file);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(from), `${file} contains ${from}`);
    writeFileSync(path, text.replace(from, to));
  };
  return { cwd, emulator, cli, products, product, edit };
}

/** What a dashboard user does: PUT the whole product back with one field changed. */
async function editInDashboard(emulator: Api7Emulator, id: string, changes: Record<string, unknown>) {
  const { value } = await otherClient(emulator, 'GET', `/api/api_products/${id}?portal_id=${PORTAL}`);
  const { id: _id, created_at: _c, updated_at: _u, ...body } = value;
  await otherClient(emulator, 'PUT', `/api/api_products/${id}?portal_id=${PORTAL}`, { ...body, ...changes });
}

test('drift after an out-of-band edit shows exactly the edited field as changed outside Git; none after apply', async () => {
  const { emulator, cli, product } = await appliedExample();
  assert.is((await cli('drift')).code, 0);
  await editInDashboard(emulator, product('Payments API').id, { desc: 'Edited by hand.' });
  const drift = await cli('drift');
  assert.is(drift.code, 2);
  assert.match(drift.stdout, 'Changed outside Git (live was edited since apiproducts last wrote it):\n  ! api7-prod/payments\n      description: live "Edited by hand.", Git "Accept card payments');
  assert.match(drift.stdout, 'Drift: 1 changed outside Git, 0 not yet applied, 0 missing, 0 orphaned.');
  const json = JSON.parse((await cli('drift', '--format', 'json')).stdout);
  assert.equal(json.items.map((i: { key: string; kind: string; fields: { path: string }[] }) => [i.key, i.kind, i.fields.map((f) => f.path)]), [
    ['payments', 'changed-outside-git', ['description']],
  ]);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const after = await cli('drift');
  assert.is(after.code, 0);
  assert.match(after.stdout, 'No drift.');
});

test('a Git change not yet applied is reported as such, not as an edit outside Git', async () => {
  const { cli, edit } = await appliedExample();
  edit('products/orders.yaml', 'description: Create, track and cancel customer orders.', 'description: Orders, now with returns.');
  const drift = await cli('drift');
  assert.is(drift.code, 2);
  assert.match(drift.stdout, 'Not yet applied (Git differs from live):\n  ~ api7-prod/orders\n      description: live "Create, track and cancel customer orders.", Git "Orders, now with returns."');
});

test('ignore rules silence a field managed elsewhere: no drift, no plan, never overwritten', async () => {
  const { cwd, emulator, cli, product } = await appliedExample();
  writeFileSync(join(cwd, 'apiproducts.yaml'), readFileSync(join(cwd, 'apiproducts.yaml'), 'utf8') + '    ignore: [description, labels.owner]\n');
  await editInDashboard(emulator, product('Payments API').id, { desc: 'Marketing copy from the dashboard.', labels: { ...product('Payments API').labels, owner: 'marketing' } });
  assert.is((await cli('drift')).code, 0);
  const plan = await cli('plan', '--detailed-exitcode');
  assert.is(plan.code, 0, plan.stdout);
  await editInDashboard(emulator, product('Payments API').id, { visibility: 'logged_in' });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.is(product('Payments API').desc, 'Marketing copy from the dashboard.');
  assert.is(product('Payments API').labels?.owner, 'marketing');
  assert.is(product('Payments API').visibility, 'public');
});

test('unpublish is skipped without --allow-destructive (exit 4) and applied with it; subscriptions go', async () => {
  const { emulator, cli, product, edit } = await appliedExample();
  edit('products/orders.yaml', 'status: published', 'status: draft');
  const cautious = await cli('apply', '--auto-approve');
  assert.is(cautious.code, 4, cautious.stdout);
  assert.match(cautious.stdout, 'skipped     unpublish api7-prod/orders: high risk: run apply with --allow-destructive to apply it');
  assert.is(product('Orders API').status, 'published');
  const destructive = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(destructive.code, 0, destructive.stdout);
  assert.is(product('Orders API').status, 'draft');
  assert.is(activeSubscriptions(emulator.state, product('Orders API').id), 0);
});

test('a protected product is never unpublished, even with --allow-destructive', async () => {
  const { cli, product, edit } = await appliedExample();
  edit('products/payments.yaml', 'status: published', 'status: draft');
  const plan = await cli('plan');
  assert.match(plan.stdout, '! api7-prod/payments: unpublish (cancels 0 subscriptions) (protected: refused until a change setting `protected: false` has been applied)');
  const apply = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(apply.code, 4);
  assert.match(apply.stdout, 'skipped     unpublish api7-prod/payments: the product is protected');
  assert.is(product('Payments API').status, 'published');
  // The protection is on the portal: lifted in the same commit as the unpublish, it comes off
  // first, alone (the unpublish would be refused while it is on); the next apply unpublishes.
  edit('products/payments.yaml', 'protected: true', 'protected: false');
  const lifted = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(lifted.code, 0, lifted.stdout);
  assert.match(lifted.stdout + lifted.stderr, 'warning [plan/unprotect-first] payments: this plan only removes its protection');
  assert.match(lifted.stdout, 'protected : true → false');
  assert.not.match(lifted.stdout, 'unpublish api7-prod/payments');
  assert.is(product('Payments API').status, 'published');
  assert.is(product('Payments API').labels?.['apiproducts-protected'], undefined);
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.is(product('Payments API').status, 'draft');
});

test('an auth change on a published product runs unpublish → update → publish, only with the flag', async () => {
  const { cli, product, edit } = await appliedExample();
  edit('products/orders.yaml', 'auth: [basic-auth]', 'auth: [basic-auth, key-auth]');
  const plan = await cli('plan');
  assert.match(plan.stdout, '! api7-prod/orders: unpublish → update → publish (cancels 3 subscriptions): auth cannot change while published');
  const cautious = await cli('apply', '--auto-approve');
  assert.is(cautious.code, 4);
  assert.equal(Object.keys(product('Orders API').auth ?? {}), ['basic-auth']);
  const apply = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(apply.code, 0, apply.stdout);
  assert.match(apply.stdout, /applied +unpublish api7-prod\/orders[\s\S]*applied +update api7-prod\/orders[\s\S]*applied +publish api7-prod\/orders/);
  assert.equal(Object.keys(product('Orders API').auth ?? {}).sort(), ['basic-auth', 'key-auth']);
  assert.is(product('Orders API').status, 'published');
});

test('an external product can be unpublished: its live OpenAPI document is written back unchanged', async () => {
  const { cli, product, edit } = await appliedExample();
  const spec = product('Weather Partner API').raw_openapi;
  edit('products/weather.yaml', 'status: published', 'status: draft');
  const apply = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.is(product('Weather Partner API').status, 'draft');
  assert.is(product('Weather Partner API').raw_openapi, spec);
});

test('prune: off keeps an owned product that left Git (reported orphaned); on deletes it with the flag; unowned untouched', async () => {
  const { cwd, cli, products, product } = await appliedExample();
  rmSync(join(cwd, 'products', 'loyalty.yaml'));
  const plan = await cli('plan', '--detailed-exitcode');
  assert.is(plan.code, 0, plan.stdout);
  assert.match(plan.stdout, '1 orphaned on api7-prod (ours, no longer in Git), kept because pruning is off: loyalty');
  const pruneWithoutFlag = await cli('apply', '--auto-approve', '--prune');
  assert.is(pruneWithoutFlag.code, 4);
  assert.ok(product('Loyalty Points API'));
  const prune = await cli('apply', '--auto-approve', '--prune', '--allow-destructive');
  assert.is(prune.code, 0, prune.stdout);
  assert.equal(products().map((p) => p.name).sort(), ['Identity API', 'Legacy Billing', 'Orders API', 'Payments API', 'Weather Partner API']);
});

test('--prune with --products pointing at an empty directory deletes nothing: every owned product would go', async () => {
  const { cwd, cli, products } = await appliedExample();
  const before = JSON.stringify(products());
  mkdirSync(join(cwd, 'empty-by-mistake'));
  const apply = await cli('apply', '--auto-approve', '--prune', '--allow-destructive', '--products', 'empty-by-mistake');
  assert.is(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stderr, 'error [plan/prune-everything] pruning would delete all 5 products apiproducts manages on api7-prod');
  assert.is(JSON.stringify(products()), before, 'nothing was written');
});

test.run();
