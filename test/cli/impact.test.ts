/**
 * Impact counts and the impact policy end to end, over HTTP against the API7 emulator: the counts
 * each high-risk kind carries in text, JSON and Markdown, a count that fails to load, maxAffected
 * with --allow-affected, and saved plans (which carry the counts; a count that moved is not stale).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedSubscriptions } from '../../src/sandbox/api7/subscriptions.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { exampleAgainstEmulator, TARGET_ENV } from '../helpers/real-target.ts';

const PORTAL = 'portal-default';
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

/** The example applied to a fresh emulator; the seeded orders keeps its 3 active subscriptions. */
async function appliedExample(maxAffected?: number) {
  const { cwd, emulator } = await exampleAgainstEmulator();
  running.push(emulator);
  if (maxAffected !== undefined) writeFileSync(join(cwd, 'apiproducts.yaml'), readFileSync(join(cwd, 'apiproducts.yaml'), 'utf8') + `    maxAffected: ${maxAffected}\n`);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const edit = (file: string, from: string, to: string) => {
    const path = join(cwd, file);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(from), `${file} contains ${from}`);
    writeFileSync(path, text.replace(from, to));
  };
  const product = (name: string) => emulator.state.products[PORTAL]!.find((p) => p.name === name)!;
  return { cwd, emulator, cli, edit, product };
}

const impactsOf = (json: string) =>
  Object.fromEntries((JSON.parse(json).changes as { id: string; impact?: unknown }[]).filter((c) => c.impact).map((c) => [c.id, c.impact]));

test('an unpublish shows the subscriptions it cancels in text, JSON and Markdown', async () => {
  const { cli, edit } = await appliedExample();
  edit('products/orders.yaml', 'status: published', 'status: draft');
  const text = await cli('plan');
  assert.match(text.stdout, '! api7-prod/orders: unpublish (cancels 3 subscriptions): unpublishing cancels every subscription');
  const json = await cli('plan', '--format', 'json');
  assert.equal(impactsOf(json.stdout), { 'api7-prod/orders/unpublish': { consumers: 'subscriptions', effect: 'cancels', count: 3 } });
  const markdown = await cli('plan', '--format', 'markdown');
  assert.match(markdown.stdout, '- **unpublish** <code>api7-prod/orders</code> (**cancels 3 subscriptions**):');
});

test('a delete (pruned) and a rename (delete + create) count what the delete cancels; the create counts nothing', async () => {
  const { cwd, cli, edit } = await appliedExample();
  renameSync(join(cwd, 'products/orders.yaml'), join(cwd, 'products/orders-v2.yaml'));
  edit('products/orders-v2.yaml', 'name: orders', 'name: orders-v2');
  const json = await cli('plan', '--prune', '--format', 'json');
  assert.equal(impactsOf(json.stdout), { 'api7-prod/orders/delete': { consumers: 'subscriptions', effect: 'cancels', count: 3 } });
  rmSync(join(cwd, 'products/orders-v2.yaml'));
  const text = await cli('plan', '--prune');
  assert.match(text.stdout, '! api7-prod/orders: delete (cancels 3 subscriptions)');
});

test('an update that narrows the linked services is high risk and counts the subscriptions it narrows', async () => {
  const { cli, edit } = await appliedExample();
  edit('products/orders.yaml', '        service: orders\n', '        service: orders\n        hosts: [orders.example.com]\n');
  const plan = await cli('plan');
  assert.match(plan.stdout, '! api7-prod/orders: update (narrows access for 3 subscriptions): the update removes services');
  const cautious = await cli('apply', '--auto-approve');
  assert.is(cautious.code, 4, cautious.stdout);
});

test('an auth change counts once for its three steps, and its JSON carries the count on each', async () => {
  const { cli, edit } = await appliedExample();
  edit('products/orders.yaml', 'auth: [basic-auth]', 'auth: [basic-auth, key-auth]');
  const impacts = impactsOf((await cli('plan', '--format', 'json')).stdout);
  const cancels3 = { consumers: 'subscriptions', effect: 'cancels', count: 3 };
  assert.equal(impacts, { 'api7-prod/orders/unpublish': cancels3, 'api7-prod/orders/update': cancels3, 'api7-prod/orders/publish': cancels3 });
});

test('a count that cannot be read says so and is never shown as zero', async () => {
  const { emulator, cli, edit } = await appliedExample();
  edit('products/orders.yaml', 'status: published', 'status: draft');
  emulator.faults.configure({ rules: [{ method: 'GET', path: '/api/subscriptions', fault: 'fail', status: 503, times: Infinity }] });
  const plan = await cli('plan');
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, '! api7-prod/orders: unpublish (subscriptions: unknown (HTTP 503)):');
  assert.not.match(plan.stdout, 'cancels 0');
  const json = await cli('plan', '--format', 'json');
  assert.equal(impactsOf(json.stdout), { 'api7-prod/orders/unpublish': { consumers: 'subscriptions', effect: 'cancels', unknown: 'HTTP 503' } });
});

test('maxAffected refuses a change affecting more, even with --allow-destructive, until --allow-affected names its count', async () => {
  const { cli, edit, product } = await appliedExample(2);
  edit('products/orders.yaml', 'status: published', 'status: draft');
  const refused = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(refused.code, 4, refused.stdout);
  assert.match(refused.stdout, 'skipped     unpublish api7-prod/orders: cancels 3 subscriptions, more than maxAffected: 2 of target api7-prod: run apply with --allow-affected 3 to apply it');
  assert.is(product('Orders API').status, 'published');
  const tooFew = await cli('apply', '--auto-approve', '--allow-destructive', '--allow-affected', '2');
  assert.is(tooFew.code, 4, tooFew.stdout);
  assert.is(product('Orders API').status, 'published');
  const allowed = await cli('apply', '--auto-approve', '--allow-destructive', '--allow-affected', '3');
  assert.is(allowed.code, 0, allowed.stdout);
  assert.is(product('Orders API').status, 'draft');
});

test('--allow-affected never lifts --allow-destructive, and a count within maxAffected needs no flag', async () => {
  const { cli, edit, product } = await appliedExample(5);
  edit('products/orders.yaml', 'status: published', 'status: draft');
  const noDestructive = await cli('apply', '--auto-approve', '--allow-affected', '10');
  assert.is(noDestructive.code, 4);
  assert.match(noDestructive.stdout, 'high risk: run apply with --allow-destructive');
  const within = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is(within.code, 0, within.stdout);
  assert.is(product('Orders API').status, 'draft');
});

test('with maxAffected set, an unknown count is refused whatever --allow-affected says', async () => {
  const { emulator, cli, edit, product } = await appliedExample(100);
  edit('products/orders.yaml', 'status: published', 'status: draft');
  emulator.faults.configure({ rules: [{ method: 'GET', path: '/api/subscriptions', fault: 'fail', status: 404, times: Infinity }] });
  const apply = await cli('apply', '--auto-approve', '--allow-destructive', '--allow-affected', '1000000');
  assert.is(apply.code, 4, apply.stdout);
  assert.match(apply.stdout, 'skipped     unpublish api7-prod/orders: subscriptions: unknown (HTTP 404) and target api7-prod sets maxAffected: 100, so it is not applied');
  assert.is(product('Orders API').status, 'published');
});

test('a saved plan carries its counts; a count that moved since is not staleness, and the policy uses the saved count', async () => {
  const { emulator, cli, edit, product } = await appliedExample(3);
  edit('products/orders.yaml', 'status: published', 'status: draft');
  assert.is((await cli('plan', '--out', 'plan.json')).code, 0);
  emulator.state.subscriptions.push(...seedSubscriptions(product('Orders API').id, 1, 0, 1).map((s) => ({ ...s, id: 'sub-late' })));
  const apply = await cli('apply', 'plan.json', '--allow-destructive');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.match(apply.stdout, 'unpublish (cancels 3 subscriptions)');
  assert.is(product('Orders API').status, 'draft');
});

test('--allow-affected takes a whole number', async () => {
  const { cli } = await appliedExample();
  const bad = await cli('apply', '--auto-approve', '--allow-affected', 'many');
  assert.is(bad.code, 1);
  assert.match(bad.stderr, '--allow-affected must be a whole number of subscriptions or developer apps (e.g. --allow-affected 42), got "many"');
  const onPlan = await cli('plan', '--allow-affected', '3');
  assert.is(onPlan.code, 1, 'an apply flag only');
});

test.run();
