/**
 * The Apigee LockStore (src/providers/apigee/locks.ts) over real HTTP against the emulator, both
 * flavours: records are API products that grant nothing, found by the list filter (and without
 * it), renewed by one attribute, removed by name; a lost create answer leaves one record; and no
 * lock record is ever observed, counted as unmanaged, imported or pruned.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LockTicket } from '../../src/model/lock.ts';
import { createApigeeProvider } from '../../src/providers/apigee/index.ts';
import { LOCK_ATTRIBUTE, LOCK_NAME_PREFIX, LOCK_RESOURCE, TICKET_ATTRIBUTE } from '../../src/providers/apigee/locks.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, storeProduct, type ApigeeStoredProduct } from '../../src/sandbox/apigee/state.ts';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { apigeeTarget, FLAVOURS, ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';

const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

async function emulatorFor(flavour: Flavour, options: { ignoreAttributeFilter?: boolean } = {}): Promise<ApigeeEmulator> {
  const emulator = await startApigeeEmulator({ flavour, org: ORG, credentials: { token: TOKEN }, state: seedApigeeState(ORG, flavour), now: () => 1767225600000, ...options });
  running.push(emulator);
  return emulator;
}

/** The lock store of a provider connected like a sandbox target; retries wait for nothing. */
const locksOf = (emulator: ApigeeEmulator, flavour: Flavour) =>
  createApigeeProvider(apigeeTarget(flavour), { url: emulator.url, secret: TOKEN }, { sleep: async () => {} }).locks;

const ticket = (nonce: string, expiresAt = '2026-01-01T00:10:00.000Z'): LockTicket => ({
  nonce,
  holder: { host: 'ci-runner-7', user: 'octocat', pid: 4242, command: 'apply', ciRunUrl: 'https://github.com/acme/api/actions/runs/1' },
  acquiredAt: '2026-01-01T00:00:00.000Z',
  expiresAt,
});

const lockRecords = (emulator: ApigeeEmulator): ApigeeStoredProduct[] =>
  Object.values(emulator.state.products).filter((product) => product.name.startsWith(LOCK_NAME_PREFIX));
const productPosts = (emulator: ApigeeEmulator): number =>
  emulator.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/apiproducts')).length;

/** A lock record put straight into the state, with whatever ticket text a hand edit left. */
function storeLockRecord(emulator: ApigeeEmulator, name: string, ticketText: string, marker = 'v1'): void {
  storeProduct(emulator.state, {
    name, displayName: name, approvalType: 'manual', apiResources: [LOCK_RESOURCE], environments: [], proxies: [], scopes: [],
    attributes: [{ name: LOCK_ATTRIBUTE, value: marker }, { name: TICKET_ATTRIBUTE, value: ticketText }],
    createdAt: 1, createdBy: 'ops@example.com', lastModifiedAt: 1, lastModifiedBy: 'ops@example.com',
  });
}

for (const flavour of FLAVOURS) {
  test(`${flavour}: create stores a record that grants nothing and carries no ownership marker; list finds it with its ticket`, async () => {
    const emulator = await emulatorFor(flavour);
    const locks = locksOf(emulator, flavour);
    const created = await locks.create(ticket('00ab'));
    assert.equal(created, { ref: { name: 'apiproducts.lock.00ab' }, ticket: ticket('00ab') });
    const [stored] = lockRecords(emulator);
    assert.equal([stored!.proxies, stored!.apiResources, stored!.environments, stored!.approvalType, stored!.quota], [[], [LOCK_RESOURCE], [], 'manual', undefined]);
    assert.equal(Object.fromEntries(stored!.attributes.map((a) => [a.name, a.value])), {
      access: 'internal',
      [LOCK_ATTRIBUTE]: 'v1',
      [TICKET_ATTRIBUTE]: JSON.stringify(ticket('00ab')),
    });
    assert.is(stored!.displayName, 'apiproducts apply lock (do not edit)');
    assert.match(stored!.description ?? '', '`apiproducts unlock sandbox-apigee --force`');
    assert.equal(await locks.list(), [created]);
  });

  test(`${flavour}: two records are both listed; renew rewrites the expiry of one; a removed one renews false; remove twice is fine`, async () => {
    const emulator = await emulatorFor(flavour);
    const locks = locksOf(emulator, flavour);
    const first = await locks.create(ticket('aa01'));
    const second = await locks.create(ticket('bb02'));
    assert.equal((await locks.list()).map((lock) => lock.ref.name).sort(), [first.ref.name, second.ref.name]);
    assert.is(await locks.renew(first, ticket('aa01', '2026-01-01T00:20:00.000Z')), true);
    const renewed = (await locks.list()).find((lock) => lock.ref.name === first.ref.name);
    assert.is(renewed?.ticket?.expiresAt, '2026-01-01T00:20:00.000Z');
    assert.is(lockRecords(emulator).length, 2, 'renew writes no new record');
    await locks.remove(second);
    await locks.remove(second);
    assert.is(await locks.renew(second, ticket('bb02', '2026-01-01T00:20:00.000Z')), false);
    assert.equal((await locks.list()).map((lock) => lock.ref.name), [first.ref.name]);
  });

  test(`${flavour}: an unreadable ticket is listed without one`, async () => {
    const emulator = await emulatorFor(flavour);
    const good = ticket('cc03');
    const cases: [string, string][] = [
      ['apiproducts.lock.0001', '{"nonce": "0001", cut short'],
      ['apiproducts.lock.0002', JSON.stringify({ ...good, nonce: '0002', holder: { ...good.holder, pid: '4242' } })],
      ['apiproducts.lock.0003', JSON.stringify({ ...good, nonce: '0003', expiresAt: 'soon' })],
      ['apiproducts.lock.zz', JSON.stringify({ ...good, nonce: 'zz' })],
      ['apiproducts.lock.0005', JSON.stringify(good)],
      ['apiproducts.lock.0006', 'null'],
    ];
    for (const [name, text] of cases) storeLockRecord(emulator, name, text);
    const listed = await locksOf(emulator, flavour).list();
    assert.equal(listed.map((lock) => [lock.ref.name, lock.ticket]).sort(), cases.map(([name]) => [name, undefined]).sort());
  });

  test(`${flavour}: a create whose answer is lost after it was stored leaves exactly one record and is still returned`, async () => {
    const emulator = await emulatorFor(flavour);
    emulator.faults.configure({ rules: [{ method: 'POST', body: LOCK_NAME_PREFIX, fault: 'drop', phase: 'after' }] });
    const created = await locksOf(emulator, flavour).create(ticket('dd04'));
    assert.equal(created.ref, { name: 'apiproducts.lock.dd04' });
    assert.is(lockRecords(emulator).length, 1);
    assert.is(productPosts(emulator), 1, 'confirmed by one lookup, never sent again');
  });

  test(`${flavour}: a lost create whose lookup misses it meets a 409 on the resend, and that is confirmed by a second lookup`, async () => {
    const emulator = await emulatorFor(flavour);
    // The first lookup answers 404 as if the lost try had not landed yet (it lands before the resend).
    emulator.faults.configure({
      rules: [
        { method: 'POST', body: LOCK_NAME_PREFIX, fault: 'drop', phase: 'after' },
        { method: 'GET', path: 'apiproducts.lock.', fault: 'fail', status: 404 },
      ],
    });
    const created = await locksOf(emulator, flavour).create(ticket('dd14'));
    assert.equal(created.ref, { name: 'apiproducts.lock.dd14' });
    assert.is(lockRecords(emulator).length, 1);
    assert.is(productPosts(emulator), 2, 'sent again once, answered 409');
  });

  test(`${flavour}: a renew whose answer is lost is confirmed by reading the record back`, async () => {
    const emulator = await emulatorFor(flavour);
    const locks = locksOf(emulator, flavour);
    const lock = await locks.create(ticket('ee05'));
    emulator.faults.configure({ rules: [{ method: 'POST', path: '/attributes/', fault: 'drop', phase: 'after' }] });
    assert.is(await locks.renew(lock, ticket('ee05', '2026-01-01T00:30:00.000Z')), true);
    assert.is((await locks.list())[0]?.ticket?.expiresAt, '2026-01-01T00:30:00.000Z');
  });

  for (const ignoreAttributeFilter of [false, true]) {
    test(`${flavour}: among 2,500 products the record is found (server ${ignoreAttributeFilter ? 'ignores' : 'applies'} the attribute filter)`, async () => {
      const emulator = await emulatorFor(flavour, { ignoreAttributeFilter });
      const template = emulator.state.products['legacy-billing-product']!;
      for (let i = 0; i < 2500; i++) storeProduct(emulator.state, { ...template, name: `zz-bulk-${String(i).padStart(4, '0')}` });
      // A record of a future format: left out of a v1 list, as a server-side filter would.
      storeLockRecord(emulator, 'apiproducts.lock.ffff', JSON.stringify(ticket('ffff')), 'v2');
      const locks = locksOf(emulator, flavour);
      const created = await locks.create(ticket('ff06'));
      emulator.requests.length = 0;
      assert.equal(await locks.list(), [created]);
      assert.is(emulator.requests.length, ignoreAttributeFilter ? 3 : 1, 'filtered on the server: one call; ignored: every page');
    });
  }
}

test('edge: a lock record is not observed, not counted as unmanaged, not imported and not pruned', async () => {
  const emulator = await emulatorFor('edge');
  const provider = createApigeeProvider(apigeeTarget('edge'), { url: emulator.url, secret: TOKEN });
  await provider.locks.create(ticket('a1b2'));
  storeLockRecord(emulator, 'apiproducts.lock.c3d4', 'hand-edited');
  assert.equal((await provider.observe()).map((live) => live.key).sort(), ['legacy-billing-product', 'orders']);

  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: edge\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config });
  mkdirSync(join(cwd, 'products'));
  const cli = (...args: string[]) => runCli(args, { cwd, env: { APIGEE_TOKEN: TOKEN } });
  const plan = await cli('plan', '--format', 'json');
  assert.not.match(plan.stdout, LOCK_NAME_PREFIX);
  assert.equal((JSON.parse(plan.stdout) as { targets: { unmanaged: number }[] }).targets.map((t) => t.unmanaged), [1], 'legacy-billing-product only');

  const imported = await cli('import');
  assert.is(imported.code, 0, imported.stdout + imported.stderr);
  assert.not.match(imported.stdout + imported.stderr, LOCK_NAME_PREFIX);
  assert.equal(readdirSync(join(cwd, 'products')).filter((file) => file.includes('lock')), []);
  assert.ok(existsSync(join(cwd, 'products', 'orders.yaml')));

  // `orders` (ours) leaves Git: prune deletes it, and no lock record with it.
  rmSync(join(cwd, 'products', 'orders.yaml'));
  // --no-lock: the planted record is another run's live lock, which would (rightly) block this apply.
  const prune = await cli('apply', '--auto-approve', '--prune', '--allow-destructive', '--no-lock');
  assert.is(prune.code, 0, prune.stdout + prune.stderr);
  assert.not.match(prune.stdout, LOCK_NAME_PREFIX);
  assert.not.ok(emulator.state.products.orders, 'the prune did run');
  assert.equal(lockRecords(emulator).map((product) => product.name).sort(), ['apiproducts.lock.a1b2', 'apiproducts.lock.c3d4']);
});

test.run();
