/**
 * Provider.countConsumers over HTTP against both emulators (API7, Apigee Edge and X): the count
 * for each high-risk kind, one request per changed object however many products the target has
 * and however many steps the object has, vendor paging, and counts that cannot be read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Change, ChangeAction, FieldChange } from '../../src/model/plan.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import { DEFAULT_RETRY } from '../../src/providers/transport/retry.ts';
import { seedApigeeState, storeProduct, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { startApi7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { seedSubscriptions } from '../../src/sandbox/api7/subscriptions.ts';
import { apigeeTarget, FLAVOURS, ORG, TOKEN as APIGEE_TOKEN } from './apigee-fixtures.ts';
import { withEmulator } from './apigee-harness.ts';
import { sandboxTarget, TOKEN as API7_TOKEN } from './api7-fixtures.ts';

/** Tries without waiting between them: the test counts requests, not time. */
const FAST = { retry: { ...DEFAULT_RETRY, baseDelayMs: 0, maxDelayMs: 0 } };

function highRisk(target: string, key: string, action: ChangeAction, ref: Record<string, string>, fields: FieldChange[] = []): Change {
  return {
    id: `${target}/${key}/${action}`,
    action,
    target,
    key,
    product: key,
    fields,
    risk: 'high',
    reasons: [],
    dependsOn: [],
    precondition: { kind: 'absent' },
    ref,
    protected: false,
  };
}

const counted = (impacts: Map<string, unknown>) => Object.fromEntries([...impacts].sort(([a], [b]) => (a < b ? -1 : 1)));

for (const flavour of FLAVOURS) {
  const connect = (emulator: ApigeeEmulator) => apigee.connect(apigeeTarget(flavour), { url: emulator.url, secret: APIGEE_TOKEN }, FAST);
  const change = (key: string, action: ChangeAction, fields?: FieldChange[]) => highRisk('sandbox-apigee', key, action, { name: key }, fields);
  const countingPath = (key: string) => (flavour === 'x' ? `/v1/organizations/${ORG}/apps` : `/v1/organizations/${ORG}/apiproducts/${key}`);

  test(`${flavour}: a delete breaks, an unpublish affects, a narrowing update narrows, a widening one affects the developer apps holding the product`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const impacts = await connect(emulator).countConsumers!([change('orders', 'delete'), change('legacy-billing-product', 'unpublish'), change('legacy-billing-product', 'update')]);
      assert.equal(counted(impacts), {
        'sandbox-apigee/legacy-billing-product/unpublish': { consumers: 'developer apps', effect: 'affects', count: 2 },
        'sandbox-apigee/legacy-billing-product/update': { consumers: 'developer apps', effect: 'affects', count: 2 },
        'sandbox-apigee/orders/delete': { consumers: 'developer apps', effect: 'breaks', count: 3 },
      });
      // One request per object: the unpublish and the update of legacy-billing-product share theirs.
      assert.equal(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`).sort(), [
        `GET ${countingPath('legacy-billing-product')} 200`,
        `GET ${countingPath('orders')} 200`,
      ]);
      const narrowed = await connect(emulator).countConsumers!([change('orders', 'update', [{ path: 'proxies', before: ['orders-v1', 'orders-v2'], after: ['orders-v2'] }])]);
      assert.equal(narrowed.get('sandbox-apigee/orders/update'), { consumers: 'developer apps', effect: 'narrows', count: 3 });
      // No environments is every environment (seed 003): the apps keep what they reached, and more.
      const widened = await connect(emulator).countConsumers!([change('orders', 'update', [{ path: 'environments', before: ['prod', 'test'], after: [] }])]);
      assert.equal(widened.get('sandbox-apigee/orders/update'), { consumers: 'developer apps', effect: 'affects', count: 3 });
    });
  });

  test(`${flavour}: 2,500 products and 3 high-risk changes cost 3 requests; a product no app holds counts 0`, async () => {
    const state = seedApigeeState(ORG, flavour);
    const template = state.products['legacy-billing-product']!;
    for (let i = 0; i < 2500; i++) storeProduct(state, { ...template, name: `bulk-${String(i).padStart(4, '0')}` });
    await withEmulator(flavour, async (emulator) => {
      const impacts = await connect(emulator).countConsumers!([change('orders', 'delete'), change('bulk-0007', 'delete'), change('legacy-billing-product', 'delete')]);
      assert.equal([...impacts.values()].map((impact) => ('count' in impact ? impact.count : impact.unknown)).sort(), [0, 2, 3]);
      assert.is(emulator.requests.length, 3);
    }, { state });
  });

  test(`${flavour}: a count that fails to load is unknown with its HTTP status, never 0`, async () => {
    await withEmulator(flavour, async (emulator) => {
      emulator.faults.configure({ rules: [{ method: 'GET', path: countingPath('orders'), fault: 'fail', status: 503, times: Infinity }] });
      const impacts = await connect(emulator).countConsumers!([change('orders', 'delete'), change('legacy-billing-product', 'delete')]);
      assert.equal(impacts.get('sandbox-apigee/orders/delete'), { consumers: 'developer apps', effect: 'breaks', unknown: 'HTTP 503' });
      // X counts every product on the one `/apps` path, so the fault hits both there.
      const other = flavour === 'x' ? { unknown: 'HTTP 503' } : { count: 2 };
      assert.equal(impacts.get('sandbox-apigee/legacy-billing-product/delete'), { consumers: 'developer apps', effect: 'breaks', ...other });
    });
  });
}

/** `count` more apps holding `product`, beyond the seed's. */
function withApps(state: ApigeeState, product: string, count: number): ApigeeState {
  const extra = Array.from({ length: count }, (_, i) => ({
    appId: `app-bulk-${String(i).padStart(5, '0')}`,
    name: `bulk-${i}`,
    developerId: 'dev-ana',
    status: 'approved' as const,
    credentials: [{ consumerKey: `key-bulk-${i}`, status: 'approved' as const, apiProducts: [{ apiproduct: product, status: 'approved' as const }] }],
    createdAt: 0,
    lastModifiedAt: 0,
  }));
  return { ...state, apps: [...(state.apps ?? []), ...extra] };
}

test('x: 2,497 more apps are read in 3 pages of at most 1000 (pageToken), all counted', async () => {
  await withEmulator('x', async (emulator) => {
    const provider = apigee.connect(apigeeTarget('x'), { url: emulator.url, secret: APIGEE_TOKEN }, FAST);
    const impacts = await provider.countConsumers!([highRisk('sandbox-apigee', 'orders', 'delete', { name: 'orders' })]);
    assert.equal(impacts.get('sandbox-apigee/orders/delete'), { consumers: 'developer apps', effect: 'breaks', count: 2500 });
    assert.is(emulator.requests.length, 3);
  }, { state: withApps(seedApigeeState(ORG, 'x'), 'orders', 2497) });
});

test('edge: an app list as long as the most Edge may answer is not taken as a count', async () => {
  await withEmulator('edge', async (emulator) => {
    const provider = apigee.connect(apigeeTarget('edge'), { url: emulator.url, secret: APIGEE_TOKEN }, FAST);
    const impacts = await provider.countConsumers!([highRisk('sandbox-apigee', 'orders', 'delete', { name: 'orders' })]);
    const impact = impacts.get('sandbox-apigee/orders/delete')!;
    assert.ok('unknown' in impact, JSON.stringify(impact));
    assert.match((impact as { unknown: string }).unknown, 'at least 1000 apps');
  }, { state: withApps(seedApigeeState(ORG, 'edge'), 'orders', 1500) });
});

test('api7: unpublish and delete cancel, a narrowing update narrows; one request each, on a portal of 300 products', async () => {
  const state = seedApi7State();
  const products = state.products['portal-default']!;
  const template = products.find((p) => p.id === 'prod-legacy-billing')!;
  for (let i = 0; i < 300; i++) {
    products.push({ ...template, id: `prod-bulk-${i}`, name: `Bulk ${i}` });
    state.subscriptions.push(...seedSubscriptions(`prod-bulk-${i}`, 2, 0, i));
  }
  const emulator = await startApi7Emulator({ token: API7_TOKEN, state });
  try {
    const provider = api7.connect(sandboxTarget(), { url: emulator.url, secret: API7_TOKEN }, FAST);
    const change = (key: string, id: string, action: ChangeAction) => highRisk('sandbox-api7', key, action, { id });
    const before = emulator.counters.requests;
    const impacts = await provider.countConsumers!([
      change('orders', 'prod-orders', 'unpublish'),
      change('orders', 'prod-orders', 'update'),
      change('orders', 'prod-orders', 'publish'),
      change('legacy-billing', 'prod-legacy-billing', 'delete'),
      change('bulk-9', 'prod-bulk-9', 'update'),
    ]);
    assert.is(emulator.counters.requests - before, 3, 'one per object, never one per product');
    assert.equal(counted(impacts), {
      'sandbox-api7/bulk-9/update': { consumers: 'subscriptions', effect: 'narrows', count: 2 },
      'sandbox-api7/legacy-billing/delete': { consumers: 'subscriptions', effect: 'cancels', count: 12 },
      // 4 subscriptions, one waiting for approval: only the 3 active ones count.
      'sandbox-api7/orders/publish': { consumers: 'subscriptions', effect: 'cancels', count: 3 },
      'sandbox-api7/orders/unpublish': { consumers: 'subscriptions', effect: 'cancels', count: 3 },
      'sandbox-api7/orders/update': { consumers: 'subscriptions', effect: 'cancels', count: 3 },
    });
    emulator.faults.configure({ rules: [{ method: 'GET', path: '/api/subscriptions', fault: 'fail', status: 500, times: Infinity }] });
    const failed = await provider.countConsumers!([change('orders', 'prod-orders', 'delete')]);
    assert.equal(failed.get('sandbox-api7/orders/delete'), { consumers: 'subscriptions', effect: 'cancels', unknown: 'HTTP 500' });
  } finally {
    await emulator.close();
  }
});

test.run();
