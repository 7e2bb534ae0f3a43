import { test } from 'uvu';
import { fingerprint } from '../../src/model/fingerprint.ts';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleProject } from '../helpers/project.ts';
import { canonicalJson } from '../../src/model/fingerprint.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { createDirectory, desiredState, slugify, specDigest, toDesiredObject, toLiveObject, type Api7Directory } from '../../src/providers/api7/mapping.ts';
import { toProductBody } from '../../src/providers/api7/request-body.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import { parseProductBody } from '../../src/sandbox/api7/product-body.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { exampleProduct, sandboxTarget } from './api7-fixtures.ts';

const EXAMPLES = ['identity', 'loyalty', 'orders', 'payments', 'weather'];

function seededDirectory(): Api7Directory {
  const state = seedApi7State();
  return createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders);
}

function seededProduct(id: string): Api7Product {
  const product = Object.values(seedApi7State().products).flat().find((p) => p.id === id);
  if (!product) throw new Error(`no seeded product ${id}`);
  return product;
}

for (const name of EXAMPLES) {
  test(`${name}: desired state equals the state read back after a create`, () => {
    const directory = seededDirectory();
    const [desired] = api7.toDesired(exampleProduct(name), sandboxTarget());
    assert.ok(desired);
    const body = toProductBody({ status: desired.status, state: desired.state, ...(desired.attachments ? { attachments: desired.attachments } : {}) }, desired.product, directory);
    // What the server stores: its own parsing of the body, plus the fields it fills.
    const created: Api7Product = { id: `prod-${name}`, ...parseProductBody(JSON.parse(JSON.stringify(body))), created_at: 1, updated_at: 1 };
    const live = toLiveObject(created, directory);
    assert.is(canonicalJson(live.state), canonicalJson(desired.state));
    assert.is(live.status, desired.status);
    assert.is(live.key, desired.key);
    assert.ok(live.owned);
    assert.is(live.product, name);
    assert.equal(live.ref, { id: `prod-${name}` });
  });
}

test('payments: the normalised state reads in neutral words', () => {
  assert.equal(desiredState(exampleProduct('payments')), {
    type: 'gateway',
    displayName: 'Payments API',
    description: 'Accept card payments and issue refunds.\n\nRequests are idempotent when sent with an `Idempotency-Key` header.\n',
    visibility: 'public',
    labels: { tier: 'gold', team: 'payments' },
    access: 'approval',
    auth: ['key-auth'],
    services: [{ gatewayGroup: 'production', service: 'payments', hosts: ['pay.example.com'] }],
  });
});

test('identity: restricted access is manual approval, OAuth names the DCR provider', () => {
  const state = desiredState(exampleProduct('identity'));
  assert.is(state.type, 'gateway');
  if (state.type !== 'gateway') return;
  assert.is(state.access, 'approval');
  assert.equal(state.auth, ['oauth:corp-idp']);
  assert.is(state.visibility, 'logged-in');
});

test('auth and hosts are sorted and de-duplicated; services sorted by group then service', () => {
  const product = exampleProduct('payments');
  product.auth = ['key-auth', 'basic-auth', { oauth: { dcrProvider: 'b' } }, 'key-auth'];
  product.binding = {
    type: 'gateway',
    services: [
      { gatewayGroup: 'staging', service: 'payments', hosts: ['b.example.com', 'a.example.com', 'a.example.com'] },
      { gatewayGroup: 'production', service: 'orders' },
      { gatewayGroup: 'production', service: 'billing' },
    ],
  };
  const state = desiredState(product);
  if (state.type !== 'gateway') throw new Error('expected gateway');
  assert.equal(state.auth, ['basic-auth', 'key-auth', 'oauth:b']);
  assert.equal(state.services, [
    { gatewayGroup: 'production', service: 'billing', hosts: [] },
    { gatewayGroup: 'production', service: 'orders', hosts: [] },
    { gatewayGroup: 'staging', service: 'payments', hosts: ['a.example.com', 'b.example.com'] },
  ]);
});

test('weather: external state carries the spec digest and the text travels as an attachment', () => {
  const text = readFileSync(join(exampleProject, 'products/specs/weather.yaml'), 'utf8');
  const desired = toDesiredObject(exampleProduct('weather'), text);
  assert.equal(desired.state, {
    type: 'external',
    displayName: 'Weather Partner API',
    description: 'Forecasts from our weather data partner, documented here for convenience.',
    visibility: 'public',
    labels: { team: 'partnerships' },
    serverUrls: ['https://api.weather-partner.example.com/v2'],
    openapi: specDigest(text),
  });
  assert.match(String(desired.state.openapi), /^sha256:[0-9a-f]{64}$/);
  assert.equal(desired.attachments, { openapi: text });
  const body = toProductBody({ status: 'published', state: desired.state, attachments: { openapi: text } }, 'weather', seededDirectory());
  assert.is(body.raw_openapi, text);
  assert.equal(body.server_urls, ['https://api.weather-partner.example.com/v2']);
  assert.is(body.auth, undefined);
});

test('the drifted seeded product is owned and normalised to names, without ownership labels', () => {
  const live = toLiveObject(seededProduct('prod-orders'), seededDirectory());
  assert.is(live.key, 'orders');
  assert.ok(live.owned);
  assert.is(live.product, 'orders');
  assert.is(live.status, 'published');
  assert.equal(live.state, {
    type: 'gateway',
    displayName: 'Orders API',
    description: 'Create and track orders.',
    visibility: 'public',
    labels: { team: 'commerce' },
    access: 'auto',
    auth: ['basic-auth'],
    services: [{ gatewayGroup: 'production', service: 'orders', hosts: [] }],
  });
});

test('an unowned product is keyed by the slug of its display name and never owned', () => {
  const live = toLiveObject(seededProduct('prod-legacy-billing'), seededDirectory());
  assert.is(live.key, 'legacy-billing');
  assert.not.ok(live.owned);
  assert.is(live.product, undefined);
  assert.is(live.state.visibility, 'logged-in');
  assert.is(slugify('Payments API v2 (beta)'), 'payments-api-v2--beta-');
});

test('created_at (Unix seconds) becomes createdAt, outside the state, so no fingerprint moves', () => {
  const product = seededProduct('prod-orders');
  const live = toLiveObject({ ...product, created_at: 1767261600 }, seededDirectory());
  assert.is(live.createdAt, '2026-01-01T10:00:00.000Z');
  const older = toLiveObject({ ...product, created_at: 1 }, seededDirectory());
  assert.is(fingerprint({ status: live.status, state: live.state }), fingerprint({ status: older.status, state: older.state }));
  assert.not.ok('createdAt' in toLiveObject({ ...product, created_at: 'yesterday' as unknown as number }, seededDirectory()));
});

test('half an ownership marker is not ownership', () => {
  const product = { ...seededProduct('prod-orders'), labels: { 'managed-by': 'apiproducts' } };
  assert.not.ok(toLiveObject(product, seededDirectory()).owned);
});

test('server-filled fields never enter state; unknown ids stay visible', () => {
  const product = {
    ...seededProduct('prod-orders'),
    can_view_unsubscribed: false,
    raw_openapis: ['openapi: 3.0.0'],
    tags: ['x'],
    logo: 'https://logo',
    auth: { 'key-auth': { header: 'apikey' }, dcr: { dcr_provider_id: 'dcr-gone' } },
    linked_gateway_services: [{ gateway_group_id: 'gg-gone', service_id: 'svc-gone' }],
  } as Api7Product;
  const live = toLiveObject(product, seededDirectory());
  assert.equal(Object.keys(live.state).sort(), ['access', 'auth', 'description', 'displayName', 'labels', 'services', 'type', 'visibility']);
  assert.equal(live.state.auth, ['key-auth', 'oauth:#dcr-gone']);
  assert.equal(live.state.services, [{ gatewayGroup: '#gg-gone', service: '#svc-gone', hosts: [] }]);
});

test('the body re-attaches ownership, turns names into ids and omits hosts meaning all', () => {
  const directory = seededDirectory();
  const desired = toDesiredObject(exampleProduct('identity'));
  const body = toProductBody({ status: 'draft', state: desired.state }, 'identity', directory);
  assert.equal(body, {
    name: 'Identity API',
    desc: 'OAuth 2.0 client registration and user info for partner applications.',
    type: 'gateway',
    visibility: 'logged_in',
    status: 'draft',
    labels: {
      compliance: 'soc2',
      team: 'platform',
      'managed-by': 'apiproducts',
      'apiproducts-name': 'identity',
      'apiproducts-applied': fingerprint({ status: 'draft', state: desired.state }).slice('sha256:'.length),
    },
    subscription_auto_approval: false,
    auth: { dcr: { dcr_provider_id: 'dcr-corp-idp' } },
    linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-identity', linked_hosts: ['id.example.com'] }],
  });
  const loyalty = toProductBody({ status: 'draft', state: toDesiredObject(exampleProduct('loyalty')).state }, 'loyalty', directory);
  assert.equal(loyalty.linked_gateway_services, [{ gateway_group_id: 'gg-production', service_id: 'svc-loyalty' }]);
});

test('an update body is the live product with only what Git describes replaced', () => {
  const directory = seededDirectory();
  const desired = toDesiredObject(exampleProduct('orders'));
  const live = {
    ...seededProduct('prod-orders'),
    can_view_unsubscribed: false,
    logo: 'https://logo',
    raw_openapis: ['derived'],
    x_future: { a: 1 },
    auth: { 'key-auth': { header: 'X-Key', query: 'k', hide_credentials: true }, 'jwt-auth': { future: true } },
  } as Api7Product;
  // Git's plain key-auth: the planner keeps the options it does not write at their live value (desired.ignore).
  const state = { ...(desired.state as Record<string, unknown>), auth: ['key-auth'], keyAuthHeader: 'X-Key', keyAuthQuery: 'k', keyAuthHideCredentials: true };
  const body = toProductBody({ status: 'published', state: state as never }, 'orders', directory, live) as unknown as Record<string, unknown>;
  assert.is(body.logo, 'https://logo');
  assert.is(body.can_view_unsubscribed, false);
  assert.equal(body.x_future, { a: 1 });
  assert.equal(body.auth, { 'key-auth': { header: 'X-Key', query: 'k', hide_credentials: true }, 'jwt-auth': { future: true } });
  for (const field of ['id', 'created_at', 'updated_at', 'raw_openapis']) assert.not.ok(field in body, field);
  assert.is(body.desc, (desired.state as { description: string }).description);
  const none = toProductBody({ status: 'draft', state: { ...state, auth: [] } as never }, 'orders', directory);
  assert.not.ok('auth' in none, 'no auth in Git: no auth key, never auth: {}');
});

test('an unknown name in the body is a ProviderError, not a broken request', () => {
  const product = exampleProduct('orders');
  product.binding = { type: 'gateway', services: [{ gatewayGroup: 'nowhere', service: 'orders' }] };
  assert.throws(
    () => toProductBody({ status: 'draft', state: toDesiredObject(product).state }, 'orders', seededDirectory()),
    (error: unknown) => error instanceof ProviderError && /gateway group "nowhere"/.test(error.message),
  );
});

test('the desired object points at the binding and keeps protection', () => {
  const desired = toDesiredObject(exampleProduct('payments'));
  assert.is(desired.key, 'payments');
  assert.ok(desired.protected);
  assert.equal(desired.locate(), { file: 'products/payments.yaml', line: 18, column: 5 });
});

test.run();
