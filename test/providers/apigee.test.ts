import { applyChange } from '../helpers/apply-change.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprint } from '../../src/model/fingerprint.ts';
import { compareStates } from '../../src/diff/compare.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import type { DesiredObject } from '../../src/model/objects.ts';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, storeProduct } from '../../src/sandbox/apigee/state.ts';
import { apigeeProduct, apigeeTarget, changeFor, EXAMPLES, FLAVOURS, ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';
import { assertNoSecrets, byKey, connect, createFailureLog, PRODUCTS_PATH, withEmulator } from './apigee-harness.ts';

const { messages, failure } = createFailureLog();

const desiredOf = (name: string, flavour: Flavour = 'edge'): DesiredObject[] => apigee.toDesired(apigeeProduct(name), apigeeTarget(flavour));
const rules = (diagnostics: Diagnostic[]): string[] => {
  messages.push(...diagnostics.map((d) => `${d.message} ${d.fix ?? ''}`));
  return diagnostics.map((d) => d.rule);
};
const writes = (emulator: ApigeeEmulator): string[] => emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);

for (const flavour of FLAVOURS) {
  test(`${flavour}: observe normalises the drifted and the unowned seeded products in one list call`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const live = await connect(emulator, flavour).observe();
      assert.equal(live.map((o) => o.key).sort(), ['legacy-billing-product', 'orders']);
      const orders = byKey(live, 'orders')!;
      assert.ok(orders.owned);
      assert.is(orders.product, 'orders');
      assert.is(orders.state.description, 'Orders API. Edited by hand in the Apigee UI during an incident.');
      assert.equal(orders.state.environments, ['prod', 'test']);
      assert.equal(orders.state.attributes, { team: 'commerce' });
      const legacy = byKey(live, 'legacy-billing-product')!;
      assert.not.ok(legacy.owned);
      assert.equal(legacy.state.quota, { limit: 1000, interval: 1, timeUnit: 'day' });
      assert.equal(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [`GET ${PRODUCTS_PATH} 200`]);
    });
  });

  test(`${flavour}: 2,500 products cost exactly 3 product list calls, startKey dropping the repeated item`, async () => {
    const state = seedApigeeState(ORG);
    const template = state.products['legacy-billing-product']!;
    for (let i = 0; i < 2498; i++) storeProduct(state, { ...template, name: `bulk-${String(i).padStart(4, '0')}` });
    await withEmulator(flavour, async (emulator) => {
      const live = await connect(emulator, flavour).observe();
      assert.is(live.length, 2500);
      assert.is(new Set(live.map((o) => o.key)).size, 2500);
      assert.equal(emulator.requests.map((r) => `${r.method} ${r.path}`), Array(3).fill(`GET ${PRODUCTS_PATH}`));
    }, { state });
  });

  test(`${flavour}: an empty org is one call and no objects`, async () => {
    await withEmulator(flavour, async (emulator) => {
      assert.equal(await connect(emulator, flavour).observe(), []);
      assert.is(emulator.requests.length, 1);
    }, { state: { ...seedApigeeState(ORG), products: {} } });
  });

  test(`${flavour}: create, update, unpublish, publish, delete each round-trip; a second observe equals Git`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const provider = connect(emulator, flavour);
      const before = await provider.observe();
      for (const name of EXAMPLES.filter((n) => n !== 'orders')) {
        for (const desired of desiredOf(name, flavour)) await applyChange(provider, changeFor('create', desired));
      }
      const [orders] = desiredOf('orders', flavour);
      await applyChange(provider, changeFor('update', orders, byKey(before, 'orders')));

      const after = await provider.observe();
      const everything = EXAMPLES.flatMap((name) => desiredOf(name, flavour));
      assert.is(everything.length, 6);
      for (const desired of everything) {
        const live = byKey(after, desired.key);
        assert.ok(live?.owned, desired.key);
        assert.equal(compareStates(live!.state, desired.state), [], desired.key);
        assert.is(live!.status, desired.status, desired.key);
        assert.is(live!.product, desired.product, desired.key);
      }

      const free = byKey(after, 'payments-free')!;
      await applyChange(provider, changeFor('unpublish', undefined, free));
      const unpublished = byKey(await provider.observe(), 'payments-free')!;
      assert.is(unpublished.status, 'draft');
      const [freeDesired] = desiredOf('payments', flavour);
      await applyChange(provider, changeFor('publish', freeDesired, unpublished, 'published'));
      const republished = byKey(await provider.observe(), 'payments-free')!;
      assert.is(republished.status, 'published');
      assert.equal(compareStates(republished.state, freeDesired!.state), []);

      await applyChange(provider, changeFor('delete', undefined, republished));
      const remaining = await provider.observe();
      assert.is(byKey(remaining, 'payments-free'), undefined);
      assert.ok(byKey(remaining, 'legacy-billing-product'), 'unowned product untouched');
      const created = flavour === 'edge' ? 201 : 200;
      assert.equal(writes(emulator), [
        ...Array(5).fill(`POST ${PRODUCTS_PATH} ${created}`),
        `PUT ${PRODUCTS_PATH}/orders 200`,
        `PUT ${PRODUCTS_PATH}/payments-free 200`,
        `PUT ${PRODUCTS_PATH}/payments-free 200`,
        `DELETE ${PRODUCTS_PATH}/payments-free 200`,
      ]);
      assert.not.ok(emulator.requests.some((r) => r.method === 'GET' && r.path.startsWith(`${PRODUCTS_PATH}/`)), 'never one GET per product');
    });
  });

  test(`${flavour}: a refused write is one line naming the product, the request and the server's message`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const provider = connect(emulator, flavour);
      const [free] = desiredOf('payments', flavour);
      await applyChange(provider, changeFor('create', free));
      const duplicate = await failure(applyChange(provider, changeFor('create', free)));
      assert.is(duplicate.message, `payments-free: HTTP 409 from POST ${PRODUCTS_PATH}: API Product [payments-free] already exists for tenant [${ORG}]`);
      assert.is(duplicate.status, 409);
      assert.not.ok(duplicate.retryable);
      const missing = await failure(applyChange(provider, changeFor('delete', undefined, { key: 'gone', owned: true, product: 'gone', status: 'draft', state: {}, ref: { name: 'gone' } })));
      assert.is(missing.message, `gone: HTTP 404 from DELETE ${PRODUCTS_PATH}/gone: API Product [gone] does not exist for tenant [${ORG}]`);
      const unknownProxy = { ...free!, key: 'payments-other', state: { ...free!.state, proxies: ['nowhere-v1'] } };
      const refused = await failure(applyChange(provider, changeFor('create', unknownProxy)));
      assert.match(refused.message, /^payments-other: HTTP 400 from POST \S+: API proxy \[nowhere-v1\] does not exist/);
    });
  });

  test(`${flavour}: an edit outside Git is told apart by the applied attribute; adopt takes over an unowned product`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const provider = connect(emulator, flavour);
      const [identity] = desiredOf('identity', flavour);
      await applyChange(provider, changeFor('create', identity));
      const written = byKey(await provider.observe(), 'identity')!;
      assert.is(written.lastApplied, fingerprint({ status: written.status, state: written.state }));
      emulator.state.products['identity']!.description = 'Edited in the Apigee UI.';
      const edited = byKey(await provider.observe(), 'identity')!;
      assert.ok(edited.lastApplied && edited.lastApplied !== fingerprint({ status: edited.status, state: edited.state }));

      const legacy = byKey(await provider.observe(), 'legacy-billing-product')!;
      assert.not.ok(legacy.owned);
      const adopted: DesiredObject = { ...identity!, key: legacy.key, product: legacy.key, state: legacy.state, adopt: true };
      await applyChange(provider, { ...changeFor('update', adopted, legacy), adopts: true });
      const owned = byKey(await provider.observe(), 'legacy-billing-product')!;
      assert.ok(owned.owned);
      assert.is(owned.product, 'legacy-billing-product');
      assert.equal(compareStates(owned.state, legacy.state), [], 'adoption changes ownership only');
    });
  });

  test(`${flavour}: preflight lists proxies and environments once and names the file and line of each unknown one`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const provider = connect(emulator, flavour);
      const live = await provider.observe();
      const [free, premium] = desiredOf('payments', flavour);
      const broken = (d: DesiredObject): DesiredObject => ({ ...d, state: { ...d.state, proxies: ['payments-v9'], environments: ['prod', 'qa'] } });
      const [orders] = desiredOf('orders', flavour);
      const diagnostics = await provider.preflight([
        changeFor('create', broken(free!)),
        changeFor('create', broken(premium!)),
        changeFor('update', orders, byKey(live, 'orders')),
        changeFor('delete', undefined, byKey(live, 'orders')),
      ]);
      assert.equal(rules(diagnostics), ['apigee/unknown-proxy', 'apigee/unknown-environment'], 'once per product, not per plan');
      assert.is(diagnostics[0]!.message, `payments: proxy "payments-v9" does not exist in Apigee organization ${ORG} on target sandbox-apigee (available: identity-v1, legacy-billing, loyalty-v1, orders-v2, payments-v1)`);
      assert.is(diagnostics[1]!.message, `payments: environment "qa" does not exist in Apigee organization ${ORG} on target sandbox-apigee (available: prod, test)`);
      assert.ok(diagnostics.every((d) => d.severity === 'error' && d.product === 'payments' && d.fix));
      assert.equal(diagnostics[0]!.source, { file: 'products/payments.yaml', line: 24, column: 5 });
      assert.equal(await provider.preflight([changeFor('create', orders)]), []);
      assert.equal(await provider.preflight([changeFor('delete', undefined, byKey(live, 'orders'))]), []);
      const lists = emulator.requests.map((r) => r.path).filter((p) => !p.endsWith('/apiproducts')).sort();
      assert.equal(lists, [`/v1/organizations/${ORG}/apis`, `/v1/organizations/${ORG}/environments`]);
    });
  });
}

test('names are URL-encoded in paths (Apigee allows space, $ and %)', async () => {
  const state = seedApigeeState(ORG);
  const odd = 'old pay$ 100%';
  storeProduct(state, { ...state.products['orders']!, name: odd });
  await withEmulator('edge', async (emulator) => {
    const provider = connect(emulator, 'edge');
    const live = byKey(await provider.observe(), odd)!;
    assert.ok(live.owned);
    await applyChange(provider, changeFor('update', { key: odd, product: 'orders', status: 'published', state: live.state, protected: false, locate: () => ({ file: 'p', line: 1, column: 1 }) }, live));
    await applyChange(provider, changeFor('delete', undefined, live));
    assert.equal(writes(emulator), [`PUT ${PRODUCTS_PATH}/old%20pay%24%20100%25 200`, `DELETE ${PRODUCTS_PATH}/old%20pay%24%20100%25 200`]);
    assert.is(byKey(await provider.observe(), odd), undefined);
  }, { state });
});

test('no error message ever contains the token', () => {
  assert.ok(messages.length >= 10, String(messages.length));
  assertNoSecrets(messages, [TOKEN]);
});

test.run();
