import { applyChange } from '../helpers/apply-change.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/model/fingerprint.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Change } from '../../src/model/plan.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { type DesiredObject, type LiveObject } from '../../src/model/objects.ts';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State, type Api7State } from '../../src/sandbox/api7/state.ts';
import { changeFor, exampleProduct, sandboxTarget, TARGET, TOKEN } from './api7-fixtures.ts';

/** Every error message any test saw: none may contain the token. */
const messages: string[] = [];

async function withEmulator(run: (emulator: Api7Emulator) => Promise<void>, state: Api7State = seedApi7State()): Promise<void> {
  const emulator = await startApi7Emulator({ token: TOKEN, state });
  try {
    await run(emulator);
  } finally {
    await emulator.close();
  }
}

function connect(emulator: Api7Emulator, settings: Record<string, unknown> = {}, secret: string | undefined = TOKEN): Provider {
  return api7.connect(sandboxTarget(settings), { url: emulator.url, ...(secret === undefined ? {} : { secret }) });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ProviderError);
    messages.push((error as Error).message);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

function desiredOf(name: string): DesiredObject {
  const [desired] = api7.toDesired(exampleProduct(name), sandboxTarget());
  assert.ok(desired);
  return desired;
}

const byKey = (live: LiveObject[], key: string): LiveObject | undefined => live.find((object) => object.key === key);
const rules = (diagnostics: Diagnostic[]): string[] => {
  messages.push(...diagnostics.map((d) => `${d.message} ${d.fix ?? ''}`));
  return diagnostics.map((d) => d.rule);
};

test('observe sends X-API-KEY and normalises the drifted and the unowned seeded products', async () => {
  await withEmulator(async (emulator) => {
    const live = await connect(emulator).observe();
    assert.equal(live.map((o) => o.key).sort(), ['legacy-billing', 'orders']);
    const orders = byKey(live, 'orders')!;
    assert.ok(orders.owned);
    assert.equal(orders.ref, { id: 'prod-orders' });
    assert.is(orders.state.description, 'Create and track orders.');
    assert.is(orders.state.visibility, 'public');
    assert.equal(orders.state.services, [{ gatewayGroup: 'production', service: 'orders', hosts: [] }]);
    const legacy = byKey(live, 'legacy-billing')!;
    assert.not.ok(legacy.owned);
    assert.equal(legacy.state.auth, ['key-auth']);
    assert.ok(emulator.requests.every((r) => r.status === 200));
  });
});

test('a wrong key is a one-line 401 without the key in it', async () => {
  await withEmulator(async (emulator) => {
    const wrong = 'a7ee-SENTINEL-wrong-key-1234';
    const error = await failure(connect(emulator, {}, wrong).observe());
    assert.is(error.status, 401);
    assert.match(error.message, /^HTTP 401 from GET \/api\/portals: unauthorized/);
    assert.not.match(error.message, wrong);
    assert.not.ok(error.retryable);
  });
});

test('a real target reads the token from the variable tokenEnv names, and says which one is missing', async () => {
  await withEmulator(async (emulator) => {
    const variable = 'APIPRODUCTS_TEST_API7_TOKEN';
    const target = { ...sandboxTarget({ tokenEnv: variable }), sandbox: false, url: emulator.url };
    delete process.env[variable];
    const error = await failure(api7.connect(target, { url: emulator.url }).observe());
    assert.match(error.message, `environment variable ${variable} is not set`);
    process.env[variable] = TOKEN;
    try {
      assert.is((await api7.connect(target, { url: emulator.url }).observe()).length, 2);
    } finally {
      delete process.env[variable];
    }
  });
});

test('the portal is resolved by exact name; an unknown one lists those available', async () => {
  const state = seedApi7State();
  state.portals.push({ id: 'portal-default-eu', name: 'default-eu' });
  state.products['portal-default-eu'] = [];
  await withEmulator(async (emulator) => {
    assert.is((await connect(emulator, { portal: 'default-eu' }).observe()).length, 0);
    assert.is((await connect(emulator).observe()).length, 2);
    const error = await failure(connect(emulator, { portal: 'partners' }).observe());
    assert.is(error.message, `portal "partners" does not exist (available: default, default-eu)`);
  }, state);
});

test('1,250 products cost ⌈1250/500⌉ product list calls, never one GET per product', async () => {
  const state = seedApi7State();
  const products = state.products['portal-default']!;
  for (let i = 0; i < 1248; i++) {
    products.push({ ...products[1]!, id: `prod-bulk-${i}`, name: `Bulk ${i}`, linked_gateway_services: [], created_at: 2e9 + i, updated_at: 2e9 + i } as Api7Product);
  }
  await withEmulator(async (emulator) => {
    const live = await connect(emulator).observe();
    assert.is(live.length, 1250);
    assert.is(new Set(live.map((o) => o.ref.id)).size, 1250);
    const listCalls = emulator.requests.filter((r) => r.method === 'GET' && r.path === '/api/api_products');
    assert.is(listCalls.length, 3);
    assert.not.ok(emulator.requests.some((r) => r.path.startsWith('/api/api_products/')));
    // Portal, products ×3, groups, dcr providers, services ×2 groups.
    assert.is(emulator.requests.length, 8);
  }, state);
});

test('create, observe, update, unpublish, publish, delete: each write round-trips to the desired state', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    const before = await provider.observe();
    for (const name of ['payments', 'identity', 'loyalty', 'weather']) {
      const desired = desiredOf(name);
      assert.equal(await provider.preflight([changeFor('create', desired)]), [], name);
      await applyChange(provider, changeFor('create', desired));
    }
    const orders = desiredOf('orders');
    await applyChange(provider, changeFor('update', orders, byKey(before, 'orders')));

    const after = await provider.observe();
    for (const name of ['payments', 'identity', 'loyalty', 'weather', 'orders']) {
      const live = byKey(after, name);
      const desired = desiredOf(name);
      assert.ok(live?.owned, name);
      assert.is(canonicalJson(live!.state), canonicalJson(desired.state), name);
      assert.is(live!.status, desired.status, name);
    }
    const payments = byKey(after, 'payments')!;
    await applyChange(provider, changeFor('unpublish', desiredOf('payments'), payments, 'draft'));
    assert.is(byKey(await provider.observe(), 'payments')!.status, 'draft');
    await applyChange(provider, changeFor('publish', desiredOf('payments'), payments, 'published'));
    assert.is(byKey(await provider.observe(), 'payments')!.status, 'published');

    await applyChange(provider, changeFor('delete', undefined, payments));
    const remaining = await provider.observe();
    assert.is(byKey(remaining, 'payments'), undefined);
    assert.ok(byKey(remaining, 'legacy-billing'), 'unowned product untouched');
    const writes = emulator.requests.filter((r) => r.method !== 'GET');
    assert.equal(writes.map((r) => r.method), ['POST', 'POST', 'POST', 'POST', 'PUT', 'PUT', 'PUT', 'DELETE']);
  });
});

test('apply from a saved plan works without observe (lookups listed once)', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    await applyChange(provider, changeFor('create', desiredOf('payments')));
    await applyChange(provider, changeFor('create', desiredOf('loyalty')));
    assert.is(emulator.requests.filter((r) => r.path === '/api/gateway_groups').length, 1);
  });
});

test('changing auth on a published product is a one-line 400 naming the product', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    const orders = byKey(await provider.observe(), 'orders')!;
    const desired = desiredOf('orders');
    const changed = { ...desired, state: { ...desired.state, auth: ['key-auth'] } };
    const error = await failure(applyChange(provider, changeFor('update', changed, orders)));
    assert.is(error.status, 400);
    assert.not.ok(error.retryable);
    assert.match(error.message, /^orders: HTTP 400 from PUT \/api\/api_products\/prod-orders: the authentication of a published api product cannot be changed/);
    assert.not.match(error.message, '\n');
  });
});

test('apply refuses an update or delete without the live id', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    for (const action of ['update', 'delete', 'publish'] as const) {
      const change: Change = changeFor(action, desiredOf('orders'));
      const error = await failure(applyChange(provider, change));
      assert.match(error.message, `orders: cannot ${action} without the id`);
    }
    assert.is(emulator.requests.filter((r) => r.method !== 'GET').length, 0);
  });
});

test('preflight: unknown group, unknown service, host not in service, service of another product, unknown DCR provider', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    const live = await provider.observe();
    const withLinks = (name: string, services: unknown[], auth?: string[]): DesiredObject => {
      const desired = desiredOf(name);
      return { ...desired, state: { ...desired.state, services, ...(auth ? { auth } : {}) } };
    };
    const changes = [
      changeFor('create', withLinks('payments', [{ gatewayGroup: 'qa', service: 'payments', hosts: [] }])),
      changeFor('create', withLinks('identity', [{ gatewayGroup: 'staging', service: 'identity', hosts: [] }], ['oauth:okta'])),
      changeFor('create', withLinks('loyalty', [{ gatewayGroup: 'production', service: 'loyalty', hosts: ['points.example.com'] }])),
      changeFor('update', withLinks('orders', [{ gatewayGroup: 'production', service: 'billing', hosts: [] }]), byKey(live, 'orders')),
    ];
    const diagnostics = await provider.preflight(changes);
    assert.equal(rules(diagnostics), ['api7/unknown-gateway-group', 'api7/unknown-service', 'api7/unknown-dcr-provider', 'api7/unknown-host', 'api7/service-taken']);
    const [group, service, dcr, host, taken] = diagnostics.map((d) => d.message);
    assert.is(group, `payments: gateway group "qa" does not exist on target ${TARGET} (available: production, staging)`);
    assert.is(service, 'identity: service "identity" is not published in gateway group "staging" (available: orders, payments)');
    assert.match(dcr!, 'DCR provider "okta" does not exist');
    assert.is(host, 'loyalty: host "points.example.com" is not a host of service "loyalty" in gateway group "production" (its hosts: loyalty.example.com)');
    assert.is(taken, 'orders: service "billing" of gateway group "production" is already linked to product "Legacy Billing"');
    assert.ok(diagnostics.every((d) => d.severity === 'error' && d.target === TARGET && d.source?.file.startsWith('products/')));
    assert.is(diagnostics[4]!.product, 'orders');
  });
});

test('preflight: a product keeps its own service; two products in one plan cannot share one', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    const live = await provider.observe();
    assert.equal(await provider.preflight([changeFor('update', desiredOf('orders'), byKey(live, 'orders'))]), []);
    const loyalty = desiredOf('loyalty');
    const onPayments = { ...loyalty, state: { ...loyalty.state, services: [{ gatewayGroup: 'production', service: 'payments', hosts: [] }] } };
    const diagnostics = await provider.preflight([changeFor('create', desiredOf('payments')), changeFor('create', onPayments)]);
    assert.equal(rules(diagnostics), ['api7/service-taken']);
    assert.match(diagnostics[0]!.message, 'also linked by product "payments" in this plan');
  });
});

test('preflight: one service template linked from two gateway groups of one product is refused (reference Round 2)', async () => {
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    await provider.observe();
    const loyalty = desiredOf('loyalty');
    const both = { ...loyalty, state: { ...loyalty.state, services: [{ gatewayGroup: 'production', service: 'payments', hosts: [] }, { gatewayGroup: 'staging', service: 'payments', hosts: [] }] } };
    const diagnostics = await provider.preflight([changeFor('create', both)]);
    assert.equal(rules(diagnostics), ['api7/service-template-twice']);
    assert.match(diagnostics[0]!.message, 'loyalty: service "payments" is linked from gateway groups "production" and "staging"');
    // One group each, in two products: fine.
    const staging = { ...loyalty, state: { ...loyalty.state, services: [{ gatewayGroup: 'staging', service: 'payments', hosts: [] }] } };
    assert.equal(await provider.preflight([changeFor('create', staging)]), []);
  });
});

test('preflight: a service freed by a delete in the same plan may be taken', async () => {
  const state = seedApi7State();
  const orders = state.products['portal-default']![0]!;
  orders.linked_gateway_services = [{ gateway_group_id: 'gg-production', service_id: 'svc-payments' }];
  await withEmulator(async (emulator) => {
    const provider = connect(emulator);
    const live = await provider.observe();
    const create = changeFor('create', desiredOf('payments'));
    assert.equal(rules(await provider.preflight([create])), ['api7/service-taken']);
    assert.equal(await provider.preflight([changeFor('delete', undefined, byKey(live, 'orders')), create]), []);
  }, state);
});

test('no error message ever contains the token', () => {
  assert.ok(messages.length >= 14, String(messages.length));
  for (const message of messages) {
    assert.not.match(message, TOKEN);
    assert.not.match(message, 'SENTINEL');
    assert.not.match(message, '\n');
  }
});

test.run();
