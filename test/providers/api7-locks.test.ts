/**
 * The API7 provider's LockStore (src/providers/api7/locks.ts), over real HTTP against the emulator:
 * records are draft external products named for their nonce, found in the full product list, and
 * never seen by observe, plan, import or prune. Deterministic: no sleeps, no timing assertions.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LockTicket } from '../../src/model/lock.ts';
import { createApi7Provider } from '../../src/providers/api7/index.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { startApi7Emulator, type Api7Emulator, type Api7EmulatorOptions } from '../../src/sandbox/api7/server.ts';
import { portalId, seedApi7State } from '../../src/sandbox/api7/state.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { writeProject } from '../helpers/project.ts';
import { exampleAgainstEmulator, otherClient, TARGET_ENV, TOKEN } from '../helpers/real-target.ts';
import { sandboxTarget } from './api7-fixtures.ts';

const PORTAL = portalId('default');
const LATER = 1780000000;
const running: Api7Emulator[] = [];
test.after(async () => {
  await Promise.all(running.map((e) => e.close()));
});

const ticket = (nonce: string, expiresAt = '2026-12-07T02:10:00.000Z'): LockTicket => ({
  nonce,
  holder: { host: 'ci-runner-1', user: 'octocat', pid: 4242, command: 'apply', ciRunUrl: 'https://github.com/acme/apis/actions/runs/7' },
  acquiredAt: '2026-12-07T02:00:00.000Z',
  expiresAt,
});

async function emulator(options: Partial<Api7EmulatorOptions> = {}): Promise<Api7Emulator> {
  const started = await startApi7Emulator({ token: TOKEN, state: seedApi7State(), now: () => LATER, ...options });
  running.push(started);
  return started;
}

/** The provider the way apply connects it; retries wait no real time. */
const connect = (served: Api7Emulator) => createApi7Provider(sandboxTarget(), { url: served.url, secret: TOKEN }, { sleep: async () => {} });
const records = (served: Api7Emulator): Api7Product[] => served.state.products[PORTAL]!.filter((p) => p.name.startsWith('apiproducts.lock.'));

test('create writes a hidden, unowned draft external product; list finds it with its ticket', async () => {
  const served = await emulator();
  const { locks } = connect(served);
  const mine = ticket('0a1b2c3d4e5f6789');
  const created = await locks.create(mine);
  const [record] = records(served);
  assert.equal(created, { ref: { id: record!.id }, ticket: mine });
  assert.is(record!.name, 'apiproducts.lock.0a1b2c3d4e5f6789');
  assert.equal([record!.type, record!.status, record!.visibility], ['external', 'draft', 'logged_in']);
  assert.equal(record!.labels, { 'apiproducts-lock': 'v1' }, 'no ownership marker: no apiproducts version manages it');
  assert.not.ok('auth' in record!);
  assert.match(record!.desc!, 'apiproducts unlock <target> --force');
  assert.equal(await locks.list(), [created]);
});

test('two records list as two, each with its own ticket', async () => {
  const served = await emulator();
  const { locks } = connect(served);
  const first = await locks.create(ticket('aaaa1111'));
  const second = await locks.create(ticket('bbbb2222'));
  assert.is.not(first.ref.id, second.ref.id);
  const listed = await locks.list();
  assert.equal(listed.map((lock) => lock.ticket?.nonce).sort(), ['aaaa1111', 'bbbb2222']);
  assert.equal(listed.map((lock) => lock.ref.id).sort(), [first.ref.id, second.ref.id].sort());
});

test('renew rewrites the expiry; renewing a removed record is false; removing twice is fine', async () => {
  const served = await emulator();
  const { locks } = connect(served);
  const lock = await locks.create(ticket('cafe0001'));
  const renewed = ticket('cafe0001', '2026-12-07T02:20:00.000Z');
  assert.is(await locks.renew(lock, renewed), true);
  assert.equal((await locks.list()).map((l) => l.ticket?.expiresAt), ['2026-12-07T02:20:00.000Z']);
  assert.equal(records(served).map((r) => [r.name, r.status, r.type]), [['apiproducts.lock.cafe0001', 'draft', 'external']]);
  await locks.remove(lock);
  await locks.remove(lock);
  assert.equal(await locks.list(), []);
  assert.is(await locks.renew(lock, renewed), false);
  assert.equal(records(served), [], 'a renewal never brings a removed record back');
});

test('a record edited by hand lists with no ticket, by id, so it holds the lock until forced', async () => {
  const served = await emulator();
  const { locks } = connect(served);
  const edits: Record<string, unknown>[] = [
    { raw_openapi: 'openapi: 3.0.3\ninfo: {title: edited, version: "1"}\npaths: {}\n' },
    { raw_openapi: JSON.stringify({ openapi: '3.0.3', 'x-apiproducts-lock': { ...ticket('beef'), holder: { host: 'h', user: 'u', pid: '1', command: 'apply' } } }) },
    { raw_openapi: JSON.stringify({ openapi: '3.0.3', 'x-apiproducts-lock': { ...ticket('beef'), expiresAt: 'tomorrow' } }) },
    { raw_openapi: JSON.stringify({ openapi: '3.0.3', 'x-apiproducts-lock': ticket('not-hex') }) },
    // A well-formed ticket of another record: copied by hand, it proves nothing about this one.
    { raw_openapi: JSON.stringify({ openapi: '3.0.3', 'x-apiproducts-lock': ticket('0ther') }) },
  ];
  const lock = await locks.create(ticket('beef'));
  const path = `/api/api_products/${lock.ref.id}?portal_id=${PORTAL}`;
  for (const edit of edits) {
    const { value } = await otherClient(served, 'GET', path);
    await otherClient(served, 'PUT', path, { ...value, ...edit });
    assert.equal(await locks.list(), [{ ref: lock.ref }], JSON.stringify(edit));
  }
});

test('a create whose answer is lost is confirmed by name, not sent again: exactly one record', async () => {
  const served = await emulator({ faults: { rules: [{ method: 'POST', path: '/api/api_products', fault: 'drop', phase: 'after' }] } });
  const { locks } = connect(served);
  const lock = await locks.create(ticket('d00d'));
  assert.equal(records(served).map((r) => r.id), [lock.ref.id]);
  assert.is(served.requests.filter((r) => r.method === 'POST').length, 1, 'the lookup found it: no second POST');
  assert.equal(await locks.list(), [lock]);
});

test('a portal that drops the labels of external products still lists the record (found by name)', async () => {
  const served = await emulator({ dropExternalLabels: true });
  const { locks } = connect(served);
  const lock = await locks.create(ticket('1abe1'));
  assert.is(records(served)[0]!.labels, undefined);
  assert.equal(await locks.list(), [lock]);
  assert.equal((await connect(served).observe()).map((o) => o.key).sort(), ['legacy-billing', 'orders']);
});

test('a portal with more products than a page: the record is found past page 1, the label selector being ignored', async () => {
  const state = seedApi7State();
  for (let i = 0; i < 45; i++) {
    state.products[PORTAL]!.push({ id: `prod-bulk-${i}`, name: `Bulk ${i}`, type: 'gateway', status: 'draft', created_at: 1767225600 + i, updated_at: 1767225600 + i });
  }
  const served = await emulator({ state, maxPageSize: 20 });
  const { locks } = connect(served);
  const lock = await locks.create(ticket('fa9e'));
  const before = served.requests.length;
  assert.equal(await locks.list(), [lock]);
  const pages = served.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/api/api_products' && r.status === 200);
  assert.is(pages.length, 3, '48 products in pages of 20');
  // The emulator, like a server without the filter, answers every product to a label selector.
  const selected = await otherClient(served, 'GET', `/api/api_products?portal_id=${PORTAL}&labels%5Bapiproducts-lock%5D=v1&page_size=20`);
  assert.is(selected.total, 48);
});

test('observe, plan, import and apply --prune never see a lock record', async () => {
  const { cwd, emulator: served } = await exampleAgainstEmulator();
  running.push(served);
  const cli = (...args: string[]) => runCli(args, { cwd, env: TARGET_ENV });
  assert.is((await cli('apply', '--auto-approve')).code, 0);
  const provider = connect(served);
  const lock = await provider.locks.create(ticket('5ca1ab1e'));

  const observed = await provider.observe();
  assert.not.ok(observed.some((o) => o.ref.id === lock.ref.id));
  assert.equal(observed.filter((o) => !o.owned).map((o) => o.key), ['legacy-billing']);

  const plan = await cli('plan', '--detailed-exitcode');
  assert.is(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, '1 unmanaged product on api7-prod left alone');

  // --no-lock: the planted record is another run's live lock, which would (rightly) block this apply.
  const prune = await cli('apply', '--auto-approve', '--prune', '--allow-destructive', '--no-lock');
  assert.is(prune.code, 0, prune.stdout + prune.stderr);
  assert.equal(records(served).map((r) => r.id), [lock.ref.id]);

  const fresh = writeProject({
    'apiproducts.yaml': `targets:\n  api7-prod:\n    provider: api7\n    url: ${served.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`,
  });
  const imported = await runCli(['import', '--target', 'api7-prod'], { cwd: fresh, env: TARGET_ENV });
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.not.match(imported.stdout, 'lock');
  const written = readdirSync(join(fresh, 'products'), { recursive: true, encoding: 'utf8' }).sort();
  const files = ['identity.yaml', 'legacy-billing.yaml', 'loyalty.yaml', 'orders.yaml', 'payments.yaml', 'specs', 'specs/weather.yaml', 'weather.yaml'];
  assert.equal(written, files, 'no file for the lock record, nor for its OpenAPI text');
});

test.run();
