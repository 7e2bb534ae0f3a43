/**
 * Issue 18 item 3: integrated portal catalog items (Apigee X `sites/{site}/apidocs`), over real
 * HTTP against the X emulator: a binding's `portal:` creates the catalog item with the product,
 * publishes it with the product, updates it, and unpublishing it (or removing it) is high risk.
 * Reads cost one list per portal per plan, whatever the number of products. Edge refuses `portal:`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seededEmulators } from './apigee-emulators.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';

const ENV = { APIGEE_TOKEN: TOKEN };
const SITE = `${ORG}-portal`;
const emulatorFor = seededEmulators(test);

function projectFor(url: string, flavour: Flavour, files: Record<string, string>) {
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: ${flavour}\n    url: ${url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, ...files });
  return { cwd, cli: (...args: string[]) => runCli(args, { cwd, env: ENV }) };
}

const productFile = (name: string, portal: string, status = 'published'): string =>
  `name: ${name}\ndisplayName: ${name} API\ndescription: The ${name} API.\nstatus: ${status}\nvisibility: public\ntargets:\n  apigee-prod:\n    proxies: [payments-v1]\n${portal}`;
const PORTAL = `    portal:\n      site: ${SITE}\n`;

interface PlannedChange { key: string; action: string; risk: string; reasons: string[]; fields: { path: string; before?: unknown; after?: unknown }[] }
const changesOf = (stdout: string): PlannedChange[] => JSON.parse(stdout).changes as PlannedChange[];
const items = (emulator: ApigeeEmulator) => emulator.state.sites![SITE]!.apidocs;

test('create: the product and its published catalog item; the next plan is empty', async () => {
  const emulator = await emulatorFor('x');
  const { cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL) });
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const [create] = changesOf(plan.stdout);
  assert.equal(create!.fields.filter((f) => f.path.startsWith('portal')), [
    { path: 'portal', after: { site: SITE, title: 'payments API', description: 'The payments API.', anonAllowed: false } },
    { path: 'portalPublished', after: true },
  ]);
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.equal(items(emulator).map((item) => [item.apiProductName, item.title, item.published, item.anonAllowed]), [['payments', 'payments API', true, false]]);
  assert.is(emulator.state.products.payments!.attributes.find((a) => a.name === 'apiproducts-portal-site')?.value, SITE);
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
});

test('update and publish: a title change is one low-risk field change; a draft product\'s item is unpublished, publishing it publishes the item', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL, 'draft') });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  assert.equal(items(emulator).map((item) => item.published), [false]);
  // The item keeps what Git does not describe (a category set in the portal UI).
  items(emulator)[0]!.categoryIds = ['cat-1'];

  writeFileSync(join(cwd, 'products', 'payments.yaml'), productFile('payments', `${PORTAL}      title: Payments\n      anonAllowed: true\n`));
  const plan = await cli('plan', '--format', 'json');
  const changes = changesOf(plan.stdout);
  assert.equal(changes.map((c) => [c.action, c.risk]), [['update', 'low'], ['publish', 'low']]);
  assert.equal(changes[0]!.fields.map((f) => f.path), ['portal.anonAllowed', 'portal.title']);
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  assert.equal(items(emulator).map((item) => [item.title, item.published, item.anonAllowed, item.categoryIds]), [['Payments', true, true, ['cat-1']]]);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('unpublishing the catalog item, or removing portal:, is high risk and needs --allow-destructive', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL) });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const file = join(cwd, 'products', 'payments.yaml');

  writeFileSync(file, productFile('payments', `${PORTAL}      published: false\n`));
  const plan = await cli('plan', '--format', 'json');
  const [unpublish] = changesOf(plan.stdout);
  assert.equal([unpublish!.action, unpublish!.risk, unpublish!.fields], ['update', 'high', [{ path: 'portalPublished', before: true, after: false }]]);
  assert.match(unpublish!.reasons.join(' '), 'unpublishes the product\'s catalog item');
  const refused = await cli('apply', '--auto-approve');
  assert.is.not(refused.code, 0);
  assert.equal(items(emulator).map((item) => item.published), [true], 'nothing written without --allow-destructive');
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.equal(items(emulator).map((item) => item.published), [false]);

  writeFileSync(file, productFile('payments', ''));
  const removal = changesOf((await cli('plan', '--format', 'json')).stdout);
  assert.equal(removal.map((c) => [c.risk, c.fields.map((f) => f.path)]), [['high', ['portal', 'portalPublished']]]);
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.equal(items(emulator), []);
  assert.is(emulator.state.products.payments!.attributes.find((a) => a.name === 'apiproducts-portal-site'), undefined);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('unpublishing the product unpublishes its catalog item (high risk); pruning deletes the item before the product', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL) });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  writeFileSync(join(cwd, 'products', 'payments.yaml'), productFile('payments', PORTAL, 'draft'));
  const [unpublish] = changesOf((await cli('plan', '--format', 'json')).stdout);
  assert.equal([unpublish!.action, unpublish!.risk], ['unpublish', 'high']);
  assert.match(unpublish!.reasons.join(' '), 'catalog item');
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.equal(items(emulator).map((item) => item.published), [false]);

  writeFileSync(join(cwd, 'products', 'other.yaml'), productFile('other', ''));
  rmSync(join(cwd, 'products', 'payments.yaml'));
  const pruned = await cli('apply', '--auto-approve', '--allow-destructive', '--prune');
  assert.is(pruned.code, 0, pruned.stdout + pruned.stderr);
  assert.equal(items(emulator), []);
  assert.is(emulator.state.products.payments, undefined);
});

test('reads: one catalog list per portal per plan, however many products; pages of 100 followed to the end', async () => {
  const emulator = await emulatorFor('x');
  const files: Record<string, string> = {};
  for (let index = 0; index < 120; index++) files[`products/p${index}.yaml`] = productFile(`p${String(index).padStart(3, '0')}`, PORTAL);
  const { cli } = projectFor(emulator.url, 'x', files);
  const applied = await cli('apply', '--auto-approve');
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.is(items(emulator).length, 120);
  const before = emulator.requests.length;
  const plan = await cli('plan', '--detailed-exitcode');
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  const reads = emulator.requests.slice(before).filter((request) => request.path.includes('/sites/'));
  // 120 items in pages of 100: two requests, for 120 products.
  assert.equal(reads.map((request) => `${request.method} ${request.query ?? ''}`), ['GET ?pageSize=100', 'GET ?pageSize=100&pageToken=o100']);
});

test('import writes portal: for a managed product with its catalog item, only what differs from the defaults', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', `${PORTAL}      title: Pay\n      spec: "42"\n`) });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  rmSync(join(cwd, 'products', 'payments.yaml'));
  const imported = await cli('import', '--product', 'payments');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  const text = readFileSync(join(cwd, 'products', 'payments.yaml'), 'utf8');
  assert.match(text, `portal:\n      site: ${SITE}\n      title: Pay\n      spec: "42"\n`);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0, 'imported as it is');
});

test('a catalog item made by hand for a product Git lists on no portal is left alone, also once the portal is read for another product', async () => {
  const emulator = await emulatorFor('x');
  const site = emulator.state.sites![SITE]!;
  site.apidocs.push({ siteId: SITE, id: '7', title: 'Legacy Billing', description: 'hand-made', published: true, anonAllowed: false, apiProductName: 'legacy-billing-product', requireCallbackUrl: false, categoryIds: ['c1'], modified: 1 } as never);
  site.nextId = 8;
  const { cwd, cli } = projectFor(emulator.url, 'x', {});
  assert.is((await cli('import')).code, 0);
  assert.not.match(readFileSync(join(cwd, 'products', 'legacy-billing-product.yaml'), 'utf8'), 'portal:');
  // Another product lists itself on the same portal: the portal is read, the hand-made item is not legacy's state.
  writeFileSync(join(cwd, 'products', 'pay.yaml'), productFile('pay', PORTAL));
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const legacy = changesOf(plan.stdout).filter((change) => change.key === 'legacy-billing-product');
  assert.ok(legacy.every((change) => change.fields.every((field) => !field.path.startsWith('portal'))), plan.stdout);
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.equal(items(emulator).map((item) => [item.id, item.apiProductName]).sort(), [['7', 'legacy-billing-product'], ['8', 'pay']]);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
  // Listed on that portal in Git, the product takes the hand-made item over: updated, not duplicated.
  const file = join(cwd, 'products', 'legacy-billing-product.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(\n  apigee-prod:\n)/, `$1${PORTAL}`));
  assert.is((await cli('apply', '--auto-approve', '--allow-destructive')).code, 0);
  assert.equal(items(emulator).filter((item) => item.apiProductName === 'legacy-billing-product').map((item) => item.id), ['7']);
  assert.is((await cli('plan', '--detailed-exitcode')).code, 0);
});

test('a pruned product with two catalog items (one made by hand) has both removed before it is deleted', async () => {
  const emulator = await emulatorFor('x');
  const { cwd, cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL) });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const site = emulator.state.sites![SITE]!;
  site.apidocs.push({ siteId: SITE, id: String(site.nextId++), title: 'Payments (copy)', published: true, anonAllowed: false, apiProductName: 'payments', requireCallbackUrl: false, categoryIds: [], modified: 1 } as never);
  assert.is(items(emulator).filter((item) => item.apiProductName === 'payments').length, 2);
  rmSync(join(cwd, 'products', 'payments.yaml'));
  writeFileSync(join(cwd, 'products', 'other.yaml'), productFile('other', ''));
  const pruned = await cli('apply', '--auto-approve', '--allow-destructive', '--prune');
  assert.is(pruned.code, 0, pruned.stdout + pruned.stderr);
  assert.equal(items(emulator).filter((item) => item.apiProductName === 'payments'), []);
  assert.not.ok(emulator.state.products['payments']);
});

test('a change whose catalog write fails says which of its writes were done: the product is live, its item is not', async () => {
  const emulator = await emulatorFor('x');
  const { cli } = projectFor(emulator.url, 'x', { 'products/payments.yaml': productFile('payments', PORTAL) });
  emulator.faults.configure({ rules: [{ method: 'POST', path: `/v1/organizations/${ORG}/sites/${SITE}/apidocs`, fault: 'fail', status: 400, times: Infinity }] });
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 4, apply.stdout + apply.stderr);
  assert.match(apply.stdout + apply.stderr, /FAILED +create apigee-prod\/payments[^\n]*HTTP 400[^\n]*; already done: the product created \(the next plan shows what is left\)/);
  assert.ok(emulator.state.products['payments'], 'the product is live');
  emulator.faults.configure({ rules: [] });
  const next = changesOf((await cli('plan', '--format', 'json')).stdout).filter((change) => change.key === 'payments');
  assert.equal(next.map((change) => [change.action, change.fields.map((field) => field.path).sort()]), [['update', ['portal', 'portalPublished']]]);
});

test('Edge: portal in a binding is a validation error at its line', async () => {
  const emulator = await emulatorFor('edge');
  const { cli } = projectFor(emulator.url, 'edge', { 'products/payments.yaml': productFile('payments', PORTAL) });
  const result = await cli('validate');
  assert.is(result.code, 1);
  assert.match(result.stdout + result.stderr, 'products/payments.yaml:10:');
  assert.match(result.stdout + result.stderr, 'apigee/portal-edge');
});

test('emulator: a catalog item needs a title and an existing product; an unknown page token is refused; a linked product cannot be deleted', async () => {
  const emulator = await emulatorFor('x');
  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/v1/organizations/${ORG}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const apidocs = `/sites/${SITE}/apidocs`;
  assert.is((await call('POST', apidocs, { apiProductName: 'loyalty-console' })).status, 400);
  assert.is((await call('POST', apidocs, { title: 'T', apiProductName: 'nothing' })).status, 400);
  assert.is((await call('POST', apidocs, { title: 'T', apiProductName: 'loyalty-console', unknownField: 1 })).status, 400);
  const created = await call('POST', apidocs, { title: 'T', apiProductName: 'loyalty-console', published: true });
  assert.is(created.status, 200);
  assert.is(((await created.json()) as { data: { id: string } }).data.id, '1');
  assert.is((await call('GET', `${apidocs}?pageToken=bogus`)).status, 400);
  assert.is((await call('GET', `/sites/nowhere/apidocs`)).status, 404);
  assert.is((await call('DELETE', '/apiproducts/loyalty-console')).status, 400);
  assert.is((await call('DELETE', `${apidocs}/1`)).status, 200);
  assert.is((await call('DELETE', '/apiproducts/loyalty-console')).status, 200);
});

test.run();
