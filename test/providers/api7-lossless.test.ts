/**
 * Issue 14, API7: apply never destroys what Git does not describe. Over real HTTP against the
 * emulator on 127.0.0.1, which is as strict as the Admin API (reference Round 2): a PUT replaces
 * the whole product, unknown fields are kept and returned, `auth: {}` is refused, and a published
 * product's auth (key-auth options included) cannot change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { otherClient, TARGET_ENV, TOKEN } from '../helpers/real-target.ts';

const PORTAL = 'portal-default';
const LEGACY = `/api/api_products/prod-legacy-billing?portal_id=${PORTAL}`;
const DESCRIPTION = 'Invoices and statements for enterprise accounts. Maintained by hand in the dashboard.';

const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

async function project(): Promise<{ emulator: Api7Emulator; cwd: string; cli: (...args: string[]) => ReturnType<typeof runCli> }> {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State() });
  running.push(emulator);
  const config = `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, 'products/.keep': '' });
  return { emulator, cwd, cli: (...args) => runCli(args, { cwd, env: TARGET_ENV }) };
}

/** What the dashboard (and a vendor release after this tool) sets on the product, never Git. */
const UNMODELLED = {
  logo: 'https://developer.example.com/logos/legacy-billing.png',
  can_view_unsubscribed: false,
  auth: { 'key-auth': { header: 'X-Billing-Key', query: 'billing_key', hide_credentials: true } },
  x_future: { a: 1 },
};

/** The dashboard sets fields; auth is locked while published, so it unpublishes around the change. */
async function dashboardSets(emulator: Api7Emulator, fields: Record<string, unknown>): Promise<void> {
  const { id: _i, created_at: _c, updated_at: _u, ...body } = (await otherClient(emulator, 'GET', LEGACY)).value;
  await otherClient(emulator, 'PUT', LEGACY, { ...body, ...fields, status: 'draft' });
  await otherClient(emulator, 'PUT', LEGACY, { ...body, ...fields, status: 'published' });
}

const unmodelled = (product: Record<string, unknown>) =>
  JSON.stringify({ logo: product.logo, can_view_unsubscribed: product.can_view_unsubscribed, auth: product.auth, x_future: product.x_future });

test('import → Git edits the description → apply from a saved plan: logo, key-auth options and unknown fields stay byte-identical, the next plan is empty', async () => {
  const { emulator, cwd, cli } = await project();
  await dashboardSets(emulator, UNMODELLED);

  const imported = await cli('import', '--target', 'api7-prod');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  const file = join(cwd, 'products', 'legacy-billing.yaml');
  const yaml = readFileSync(file, 'utf8');
  assert.match(yaml, DESCRIPTION);
  writeFileSync(file, yaml.replace(DESCRIPTION, 'Invoices and statements, now edited in Git.'));

  const plan = await cli('plan', '--out', 'plan.json', '--format', 'json');
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  const apply = await cli('apply', 'plan.json', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);

  const after = (await otherClient(emulator, 'GET', LEGACY)).value;
  assert.is(after.desc, 'Invoices and statements, now edited in Git.');
  assert.is(after.status, 'published');
  assert.is(unmodelled(after), JSON.stringify(UNMODELLED));
  assert.is(after.labels['managed-by'], 'apiproducts', 'adopted');

  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test('a dashboard edit of unmodelled fields (logo, key-auth options, a future field) never makes the plan non-empty', async () => {
  const { emulator, cli } = await project();
  assert.is((await cli('import', '--target', 'api7-prod')).code, 0);
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.match((await cli('plan')).stdout, 'No changes.');
  await dashboardSets(emulator, { ...UNMODELLED, logo: 'https://other/logo.svg' });
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test('an update whose auth Git keeps as is (basic-auth) still writes logo, can_view_unsubscribed and unknown fields back', async () => {
  const { emulator, cwd, cli } = await project();
  const ORDERS = `/api/api_products/prod-orders?portal_id=${PORTAL}`;
  const { id: _i, created_at: _c, updated_at: _u, ...body } = (await otherClient(emulator, 'GET', ORDERS)).value;
  const extra = { logo: 'https://l/orders.png', can_view_unsubscribed: false, x_future: { a: 1 } };
  await otherClient(emulator, 'PUT', ORDERS, { ...body, ...extra });
  assert.is((await cli('import', '--target', 'api7-prod')).code, 0);
  const file = join(cwd, 'products', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Create and track orders.', 'Orders, edited in Git.'));
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const after = (await otherClient(emulator, 'GET', ORDERS)).value;
  assert.is(after.desc, 'Orders, edited in Git.');
  assert.is(JSON.stringify([after.logo, after.can_view_unsubscribed, after.x_future]), JSON.stringify([extra.logo, false, extra.x_future]));
  assert.equal(after.auth, { 'basic-auth': {} });
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('a product with no auth in Git is created without an auth key (the server refuses auth: {}) and then shows no changes', async () => {
  const { emulator, cwd, cli } = await project();
  writeFileSync(
    join(cwd, 'products', 'catalog.yaml'),
    [
      'name: catalog',
      'displayName: Catalog API',
      'description: Browse the catalog.',
      'status: published',
      'visibility: public',
      'access: auto',
      'targets:',
      '  api7-prod:',
      '    type: gateway',
      '    services:',
      '      - gatewayGroup: production',
      '        service: loyalty',
      '',
    ].join('\n'),
  );
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const { list } = await otherClient(emulator, 'GET', `/api/api_products?portal_id=${PORTAL}&page=1&page_size=100`);
  const catalog = list.find((p: { name: string }) => p.name === 'Catalog API');
  assert.ok(catalog, 'created');
  assert.not.ok('auth' in catalog, JSON.stringify(catalog));
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test.run();
