/**
 * Issue 14, Apigee: apply never destroys what Git does not describe. Over real HTTP (the X and
 * Edge emulators on 127.0.0.1, or a node:http server), never a stubbed fetch:
 *  - read, merge, write: an update sends the live product with only Git's fields replaced, so an X
 *    product's operationGroup, quotaCounterScope, space and a field no one here knows come back
 *    byte-identical after a Git edit of its description, and the next plan is empty;
 *  - an operation-bound product is imported bounded (not `unbounded: true`) and validates;
 *  - a target url ending in /v1 is not doubled; a Private Cloud list that ignores count/startKey
 *    (the whole list, unpaged) is read once, correctly.
 */
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apigee } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, type ApigeeState, type ApigeeStoredProduct } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { apigeeTarget, ORG, productFromText, TARGET, TOKEN, type Flavour } from './apigee-fixtures.ts';

const ENV = { APIGEE_TOKEN: TOKEN };
const NAME = 'loyalty-console';
/** A field a newer Apigee X server returns and no version of apiproducts or the emulator models. */
const FUTURE = { llmFutureSetting: { mode: 'STRICT', budgets: [{ model: 'm1', tokens: '1000' }] } };
/** The fields Git does not describe, as the server holds them. */
const UNDESCRIBED = ['operationGroup', 'quotaCounterScope', 'space', 'unmodelled'] as const;

const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

/** The X seed (an operation-bound console product) plus a field from the future on it. */
function xState(): ApigeeState {
  const state = seedApigeeState(ORG, 'x');
  state.products[NAME]!.unmodelled = structuredClone(FUTURE);
  return state;
}

async function emulatorFor(flavour: Flavour, state: ApigeeState): Promise<ApigeeEmulator> {
  const emulator = await startApigeeEmulator({ flavour, org: ORG, credentials: { token: TOKEN }, state });
  running.push(emulator);
  return emulator;
}

function projectFor(url: string, flavour: Flavour) {
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: ${flavour}\n    url: ${url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config });
  return { cwd, cli: (...args: string[]) => runCli(args, { cwd, env: ENV }) };
}

const undescribed = (product: ApigeeStoredProduct): string => JSON.stringify(UNDESCRIBED.map((field) => product[field]));

test('X: an operation-bound console product goes through import, a Git edit of its description and apply; what Git does not describe is byte-identical, the next plan empty', async () => {
  const emulator = await emulatorFor('x', xState());
  const before = undescribed(emulator.state.products[NAME]!);
  const { cwd, cli } = projectFor(emulator.url, 'x');
  const imported = await cli('import');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.is(imported.stderr, '', 'no warnings: an operation-bound product is bounded');
  const file = join(cwd, 'products', `${NAME}.yaml`);
  const text = readFileSync(file, 'utf8');
  assert.match(text, 'description: "Made in the Apigee X console: bound by operations."');
  assert.not.match(text, 'unbounded');
  assert.match(text, 'apiSource: loyalty-v1');
  const validate = await cli('validate');
  assert.is(validate.code, 0, validate.stdout + validate.stderr);
  // import → plan: only the adoptions of what nobody manages yet.
  const plan = await cli('plan', '--format', 'json');
  assert.is(plan.code, 0, plan.stderr);
  const changes = (JSON.parse(plan.stdout).changes as { key: string; fields: { path: string }[] }[]).map((c) => [c.key, c.fields.map((f) => f.path)]);
  assert.equal(changes, [['legacy-billing-product', ['ownership']], [NAME, ['ownership']]]);

  writeFileSync(file, text.replace('bound by operations.', 'bound by operations. Edited in Git.'));
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);

  const after = emulator.state.products[NAME]!;
  assert.is(after.description, 'Made in the Apigee X console: bound by operations. Edited in Git.');
  assert.is(undescribed(after), before);
  assert.equal(after.unmodelled, FUTURE);
  assert.equal(after.proxies, []);
  assert.equal(after.apiResources, []);
  const again = await cli('plan', '--detailed-exitcode');
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'No changes.');
});

test('X: a Git edit of the operations keeps each config\'s quota and attributes; removing every operation of an op-only product is refused', async () => {
  const emulator = await emulatorFor('x', xState());
  const { cwd, cli } = projectFor(emulator.url, 'x');
  assert.is((await cli('import')).code, 0);
  const file = join(cwd, 'products', `${NAME}.yaml`);
  const text = readFileSync(file, 'utf8');
  const operations = /    operations:\n(?:      .*\n)+/.exec(text)?.[0];
  assert.ok(operations, text);
  writeFileSync(file, text.replace(operations, `${operations}      - apiSource: loyalty-v1\n        resource: /rewards\n`));
  const apply = await cli('apply', '--auto-approve');
  assert.is(apply.code, 0, apply.stdout + apply.stderr);
  const [config] = emulator.state.products[NAME]!.operationGroup!.operationConfigs as Record<string, unknown>[];
  assert.equal(config!.quota, { limit: '100', interval: '1', timeUnit: 'minute' });
  assert.equal(config!.attributes, [{ name: 'tier', value: 'basic' }]);
  assert.equal(config!.operations, [{ resource: '/points', methods: ['GET'] }, { resource: '/points/**', methods: ['GET', 'POST'] }, { resource: '/rewards' }]);
  assert.match((await cli('plan')).stdout, 'No changes.');

  // A document as an older import wrote it: unbounded, no operations. The plan shows the removal; apply refuses it.
  const before = JSON.stringify(emulator.state.products[NAME]);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/    operations:\n(?:      .*\n)+/, '    unbounded: true\n'));
  // Removing the operations narrows the product (high risk): --allow-destructive lets apply reach the guard.
  const refused = await cli('apply', '--auto-approve', '--allow-destructive');
  assert.is.not(refused.code, 0, refused.stdout);
  assert.match(refused.stdout + refused.stderr, 'is bounded by its operationGroup only');
  assert.is(JSON.stringify(emulator.state.products[NAME]), before);
});

test('X: an update from a saved plan (no observe in this provider) GETs the product once, then PUTs the merged object', async () => {
  const emulator = await emulatorFor('x', xState());
  const before = undescribed(emulator.state.products[NAME]!);
  const reader = apigee.connect(apigeeTarget('x'), { url: emulator.url, secret: TOKEN });
  const live = (await reader.observe()).find((object) => object.key === NAME)!;
  const state = { ...(live.state as Record<string, unknown>), description: 'From a saved plan.' };
  // A provider that never observed, as one applying a plan file may be.
  const writer = apigee.connect(apigeeTarget('x'), { url: emulator.url, secret: TOKEN });
  emulator.requests.length = 0;
  const result = await writer.apply({
    id: `sandbox-apigee/${NAME}/update`, action: 'update', target: 'sandbox-apigee', key: NAME, product: NAME, fields: [], risk: 'low',
    reasons: [], dependsOn: [], protected: false, ref: live.ref, after: { status: live.status, state: state as never },
    precondition: { kind: 'present', fingerprint: 'sha256:test', observed: { status: live.status, state: live.state } },
  });
  assert.is(result.error, undefined, String(result.error));
  assert.equal(emulator.requests.map((r) => `${r.method} ${r.status}`), ['GET 200', 'PUT 200']);
  assert.is(emulator.state.products[NAME]!.description, 'From a saved plan.');
  assert.is(undescribed(emulator.state.products[NAME]!), before);
});

test('emulator: an X PUT is a full replace; an unmodelled field is kept when sent and gone when not', async () => {
  const emulator = await emulatorFor('x', xState());
  const path = `/v1/organizations/${ORG}/apiproducts/${NAME}`;
  const put = async (body: unknown) => fetch(emulator.url + path, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const read = async () => (await (await fetch(emulator.url + path, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Record<string, unknown>;
  const served = await read();
  assert.equal(served.llmFutureSetting, FUTURE.llmFutureSetting);
  assert.is((await put(served)).status, 200);
  assert.equal(await read(), { ...served, lastModifiedAt: (await read()).lastModifiedAt });
  // Leaving out the space would change it, which only :move does (sandbox/apigee/spaces.ts): refused.
  assert.is((await put({ name: NAME, displayName: 'Loyalty points', environments: ['prod'] })).status, 400);
  assert.is((await put({ name: NAME, displayName: 'Loyalty points', environments: ['prod'], space: served.space })).status, 200);
  const replaced = await read();
  assert.is(replaced.space, served.space);
  for (const field of ['operationGroup', 'quotaCounterScope', 'llmFutureSetting', 'description', 'attributes']) assert.is(replaced[field], undefined, field);
});

for (const suffix of ['/v1', '/v1/']) {
  test(`url ending in ${suffix} (Private Cloud http://ms:8080/v1, some X docs) is the management root, never /v1/v1`, async () => {
    const emulator = await emulatorFor('edge', seedApigeeState(ORG));
    const { cli } = projectFor(`${emulator.url}${suffix}`, 'edge');
    const imported = await cli('import');
    assert.is(imported.code, 0, imported.stdout + imported.stderr);
    const plan = await cli('plan', '--format', 'json');
    assert.is(plan.code, 0, plan.stderr);
    assert.ok(emulator.requests.length > 0);
    for (const request of emulator.requests) assert.ok(request.path.startsWith(`/v1/organizations/${ORG}/`), request.path);
    assert.equal(apigee.identify({ ...apigeeTarget(), sandbox: false, url: `https://ms.example:8080${suffix}` }), apigee.identify({ ...apigeeTarget(), sandbox: false, url: 'https://ms.example:8080' }));
  });
}

test('a Private Cloud list that ignores count and startKey (the whole list, unpaged) is read in one request', async () => {
  const all = Array.from({ length: 1500 }, (_, index) => ({ name: `p-${String(index).padStart(4, '0')}`, displayName: `P ${index}`, approvalType: 'auto', proxies: ['orders-v2'] }));
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const body = JSON.stringify(request.url?.startsWith(`/v1/organizations/${ORG}/apiproducts`) ? { apiProduct: all } : { error: 'no' });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const provider = apigee.connect(apigeeTarget('edge'), { url, secret: TOKEN });
    const live = await provider.observe();
    assert.is(live.length, 1500);
    assert.is(new Set(live.map((object) => object.key)).size, 1500);
    assert.is(seen.length, 1);
    assert.match(seen[0]!, /^\/v1\/organizations\/sandbox\/apiproducts\?/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('validate: operations bound a product as proxies do (no unbounded error); not together with resources', () => {
  const rules = (binding: string, flavour: Flavour = 'x') => apigee.validateBinding(productFromText(`name: points\ntargets:\n  ${TARGET}:\n${binding}`), apigeeTarget(flavour)).map((d) => d.rule);
  assert.equal(rules('    operations: [{apiSource: loyalty-v1, resource: /points}]\n'), []);
  assert.equal(rules('    environments: [prod]\n'), ['apigee/unbounded']);
  assert.equal(rules('    operations: [{apiSource: loyalty-v1}]\n    resources: [/points]\n'), ['apigee/operations-with-resources']);
  assert.equal(rules('    operations: [{apiSource: loyalty-v1}]\n', 'edge'), ['apigee/operations-edge']);
});

test.run();
