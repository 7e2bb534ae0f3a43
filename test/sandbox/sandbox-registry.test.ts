import { tempDir } from '../helpers/temp.ts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TargetConfig } from '../../src/model/target.ts';
import { seedApi7State, type Api7State } from '../../src/sandbox/api7/state.ts';
import { seedApigeeState, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import { sandboxFor } from '../../src/registry.ts';
import { resetSandbox, startSandbox, type RunningSandbox } from '../../src/sandbox/index.ts';
import { loadStateFile, saveStateFile } from '../../src/sandbox/state-file.ts';

/** The sandbox of a target's provider, as the CLI starts and resets it. */
const startFor = async (config: TargetConfig, stateDir: string): Promise<RunningSandbox> => startSandbox(await sandboxFor(config), config, stateDir, { kind: 'run', command: 'apiproducts plan' });
const resetFor = async (config: TargetConfig, stateDir: string): Promise<void> => resetSandbox(await sandboxFor(config), config, stateDir);

/** The message of the error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

// The sandbox registry and its state files, through the public entry points.
const stateDir = tempDir('apiproducts-sandbox-');
const running: RunningSandbox[] = [];
test.after(async () => {
  await Promise.all(running.map((sandbox) => sandbox.close()));
  rmSync(stateDir, { recursive: true, force: true });
});

function target(name: string, settings: Record<string, unknown> = {}, provider = 'api7'): TargetConfig {
  return {
    name,
    provider,
    sandbox: true,
    insecure: false,
    ignore: [],
    settings: { provider, sandbox: true, ...settings },
    source: { file: 'apiproducts.yaml', line: 1, column: 1 },
  };
}

async function start(config: TargetConfig): Promise<RunningSandbox> {
  const sandbox = await startFor(config, stateDir);
  running.push(sandbox);
  return sandbox;
}

function request(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sandbox.endpoint.url}${path}`, {
    method,
    headers: { 'X-API-KEY': sandbox.endpoint.secret ?? '', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const readState = <T = Api7State>(name: string): T => JSON.parse(readFileSync(join(stateDir, `${name}.json`), 'utf8'));

test('startSandbox seeds the state file on first use and answers with a fresh token', async () => {
  const first = await start(target('persist'));
  assert.match(first.endpoint.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(first.endpoint.secret ?? '', /^a7ee-sandbox-[0-9a-f]{32}$/);
  assert.equal(readState('persist'), seedApi7State());
  // One owner at a time (test/sandbox/sandbox-owner.test.ts): the next start comes after a close.
  await first.close();
  const second = await start(target('persist'));
  assert.is.not(second.endpoint.secret, first.endpoint.secret);
  assert.is((await request(second, 'GET', '/api/version', undefined)).status, 200);
  assert.is((await fetch(`${second.endpoint.url}/api/version`, { headers: { 'X-API-KEY': first.endpoint.secret ?? '' } })).status, 401);
});

test('every change is saved and survives a restart; reset reseeds', async () => {
  const config = target('survive');
  const sandbox = await start(config);
  const deleted = await request(sandbox, 'DELETE', '/api/api_products/prod-legacy-billing?portal_id=portal-default');
  assert.is(deleted.status, 200);
  await sandbox.close();
  // Saved at most one interval after the change (src/sandbox/state-file.ts), and at close.
  assert.is(readState('survive').products['portal-default']?.length, 1);

  const restarted = await start(config);
  const listed = (await (await request(restarted, 'GET', '/api/api_products?portal_id=portal-default')).json()) as { total: number };
  assert.is(listed.total, 1);
  await restarted.close();

  await resetFor(config, stateDir);
  assert.equal(readState('survive'), seedApi7State());
});

test('the seeded portal is named after settings.portal', async () => {
  const sandbox = await start(target('partners', { portal: 'partners' }));
  const portals = (await (await request(sandbox, 'GET', '/api/portals?search=partners')).json()) as { list: { id: string }[] };
  assert.equal(portals.list.map((portal) => portal.id), ['portal-partners']);
  assert.is((await request(sandbox, 'GET', '/api/api_products?portal_id=portal-partners')).status, 200);
});

test('a corrupt state file is a clear error that names the file and the fix', async () => {
  writeFileSync(join(stateDir, 'broken.json'), '{"portals": [');
  try {
    await startFor(target('broken'), stateDir);
    assert.unreachable('a corrupt file must not be served');
  } catch (error) {
    assert.match((error as Error).message, join(stateDir, 'broken.json'));
    assert.match((error as Error).message, 'apiproducts sandbox reset');
  }
  await resetFor(target('broken'), stateDir);
  assert.equal(readState('broken'), seedApi7State());
});

test('an unknown provider kind has no sandbox', async () => {
  try {
    await startFor(target('elsewhere', {}, 'kong'), stateDir);
    assert.unreachable('kong has no sandbox');
  } catch (error) {
    assert.match((error as Error).message, 'no sandbox exists for provider "kong"');
  }
  assert.match(await rejection(resetFor(target('elsewhere', {}, 'kong'), stateDir)), /no sandbox exists for provider "kong"/);
});

/** An Apigee sandbox request: the Endpoint secret is a bearer token on both flavours. */
async function apigee(sandbox: RunningSandbox, method: string, path: string, secret = sandbox.endpoint.secret): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.endpoint.url}${path}`, { method, headers: { authorization: `Bearer ${secret}` } });
  return { status: response.status, body: await response.json() };
}

test('apigee: seeded on first use (edge, org sandbox by default), a fresh bearer token per start', async () => {
  const first = await start(target('apigee-default', {}, 'apigee'));
  assert.match(first.endpoint.secret ?? '', /^apigee-sandbox-[0-9a-f]{32}$/);
  assert.equal(readState<ApigeeState>('apigee-default'), seedApigeeState('sandbox'));
  assert.equal(await apigee(first, 'GET', '/v1/organizations/sandbox/apiproducts'), { status: 200, body: ['legacy-billing-product', 'orders'] });
  await first.close();
  const second = await start(target('apigee-default', {}, 'apigee'));
  assert.is.not(second.endpoint.secret, first.endpoint.secret);
  assert.is((await apigee(second, 'GET', '/v1/organizations/sandbox/apis', first.endpoint.secret)).status, 401);
});

test('apigee: settings.flavour and settings.org pick the emulator and its seed', async () => {
  const sandbox = await start(target('apigee-x', { flavour: 'x', org: 'acme' }, 'apigee'));
  assert.equal(readState<ApigeeState>('apigee-x'), seedApigeeState('acme', 'x'));
  const listed = await apigee(sandbox, 'GET', '/v1/organizations/acme/apiproducts');
  // The X seed has a console-made product bound by an operationGroup.
  assert.equal(listed.body, { apiProduct: [{ name: 'legacy-billing-product' }, { name: 'loyalty-console' }, { name: 'orders' }] });
  assert.is((await apigee(sandbox, 'GET', '/v1/organizations/sandbox/apiproducts')).status, 403);
  assert.match(await rejection(resetFor(target('apigee-bad', { flavour: 'hybrid' }, 'apigee'), stateDir)), /flavour must be one of edge, x, got "hybrid"/);
});

test('apigee: every change is saved and survives a restart; reset reseeds', async () => {
  const config = target('apigee-survive', { org: 'acme' }, 'apigee');
  const sandbox = await start(config);
  assert.is((await apigee(sandbox, 'DELETE', '/v1/organizations/acme/apiproducts/legacy-billing-product')).status, 200);
  await sandbox.close();
  assert.equal(Object.keys(readState<ApigeeState>('apigee-survive').products), ['orders']);
  const restarted = await start(config);
  assert.equal((await apigee(restarted, 'GET', '/v1/organizations/acme/apiproducts')).body, ['orders']);
  await restarted.close();
  await resetFor(config, stateDir);
  assert.equal(readState<ApigeeState>('apigee-survive'), seedApigeeState('acme'));
});

test('state files: saved atomically into a new directory, read back as written', () => {
  const path = join(stateDir, 'nested', 'deeper', 'state.json');
  saveStateFile(path, { answer: 42 });
  assert.equal(loadStateFile(path, () => ({ answer: 0 })), { answer: 42 });
  assert.equal(loadStateFile(join(stateDir, 'nested', 'fresh.json'), () => ({ seeded: true })), { seeded: true });
  assert.equal(JSON.parse(readFileSync(join(stateDir, 'nested', 'fresh.json'), 'utf8')), { seeded: true });
  writeFileSync(path, '[1, 2]');
  assert.throws(() => loadStateFile(path, () => ({})), /is corrupt \(not a JSON object\)/);
});

test.run();
