/**
 * importObject for API7: a live object → product document → load (schema + provider rules) →
 * resolveEffective → toDesired gives back exactly the live object's state, for every product shape.
 */
import { test } from 'uvu';
import { importApi7Object } from '../../src/providers/api7/import-product.ts';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/model/fingerprint.ts';
import { renderProductYaml } from '../../src/commands/import.ts';
import { resolveEffective } from '../../src/model/effective-product.ts';
import { loadAndValidate } from '../load/load-and-validate.ts';
import { api7 } from '../../src/providers/api7/index.ts';
import { createDirectory, toLiveObject, type Api7Directory } from '../../src/providers/api7/mapping.ts';
import { toProductBody } from '../../src/providers/api7/request-body.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { getProviderKind } from '../../src/registry.ts';
import type { ImportedProduct, LiveObject } from '../../src/model/objects.ts';
import { parseProductBody } from '../../src/sandbox/api7/product-body.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { tempProject } from '../load/temp-project.ts';
import { exampleProduct, sandboxTarget, TARGET } from './api7-fixtures.ts';

const CONFIG = `targets:\n  ${TARGET}:\n    provider: api7\n    sandbox: true\n    portal: default\n`;

function seededDirectory(): Api7Directory {
  const state = seedApi7State();
  return createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders);
}

/** What the server stores for a body, read back as the provider reads it. */
function liveFrom(body: object, id: string, directory = seededDirectory()): LiveObject {
  const stored: Api7Product = { id, ...parseProductBody(JSON.parse(JSON.stringify(body))), created_at: 1, updated_at: 1 };
  return toLiveObject(stored, directory);
}

/** An example product as apiproducts would have created it (owned). */
function createdExample(name: string): LiveObject {
  const [desired] = api7.toDesired(exampleProduct(name), sandboxTarget());
  assert.ok(desired);
  const after = { status: desired.status, state: desired.state, ...(desired.attachments ? { attachments: desired.attachments } : {}) };
  return liveFrom(toProductBody(after, desired.product, seededDirectory()), `prod-${name}`);
}

/** Writes the import into a fresh project, loads and validates it, and returns the desired object. */
function roundTrip(imported: ImportedProduct) {
  const files: Record<string, string> = { 'apiproducts.yaml': CONFIG, [`products/${imported.spec.name}.yaml`]: renderProductYaml(imported.spec) };
  for (const [path, content] of Object.entries(imported.files)) files[`products/${path}`] = content;
  const cwd = tempProject(files);
  const loaded = loadAndValidate({ cwd, kinds: getProviderKind });
  assert.equal(loaded.diagnostics, [], 'the imported document validates');
  const [source] = loaded.products.products;
  assert.ok(source && loaded.config);
  const desired = api7.toDesired(resolveEffective(source, TARGET), loaded.config.targets[0]!);
  assert.is(desired.length, 1);
  return desired[0]!;
}

function assertSameAsLive(imported: ImportedProduct, live: LiveObject): void {
  const desired = roundTrip(imported);
  assert.is(desired.key, live.key);
  assert.is(desired.status, live.status);
  assert.is(canonicalJson(desired.state), canonicalJson(live.state));
  assert.equal(desired.attachments, live.attachments);
  assert.is(desired.adopt === true, !live.owned);
}

for (const name of ['identity', 'loyalty', 'orders', 'payments', 'weather']) {
  test(`${name}: importObject(live) → load → toDesired gives the live state back`, () => {
    const live = createdExample(name);
    const imported = importApi7Object(live, sandboxTarget());
    assert.equal(imported.warnings, []);
    assert.not.ok('adopt' in (imported.spec.targets[TARGET] ?? {}), 'an owned product is not adopted');
    assertSameAsLive(imported, live);
  });
}

test('gateway: every field in the order it is written; team lifted out of labels; hosts kept', () => {
  const imported = importApi7Object(createdExample('payments'), sandboxTarget());
  assert.equal(imported.spec, {
    name: 'payments',
    displayName: 'Payments API',
    description: 'Accept card payments and issue refunds.\n\nRequests are idempotent when sent with an `Idempotency-Key` header.\n',
    status: 'published',
    visibility: 'public',
    access: 'approval',
    team: 'payments',
    labels: { tier: 'gold' },
    auth: ['key-auth'],
    targets: { [TARGET]: { type: 'gateway', services: [{ gatewayGroup: 'production', service: 'payments', hosts: ['pay.example.com'] }] } },
  });
  assert.equal(Object.keys(imported.spec), ['name', 'displayName', 'description', 'status', 'visibility', 'access', 'team', 'labels', 'auth', 'targets']);
  assert.equal(imported.files, {});
});

test('the unowned seeded product: named by the slug of its display name, adopt: true, no hosts when every host', () => {
  const directory = seededDirectory();
  const legacy = seedApi7State().products['portal-default']!.find((p) => p.name === 'Legacy Billing')!;
  const live = toLiveObject(legacy, directory);
  assert.not.ok(live.owned);
  const imported = importApi7Object(live, sandboxTarget());
  assert.equal(imported.spec, {
    name: 'legacy-billing',
    displayName: 'Legacy Billing',
    description: 'Invoices and statements for enterprise accounts. Maintained by hand in the dashboard.',
    status: 'published',
    visibility: 'logged-in',
    access: 'approval',
    team: 'finance',
    // Its custom header is written, so that the plan after import stays empty.
    auth: [{ 'key-auth': { header: 'X-Billing-Key' } }],
    targets: { [TARGET]: { type: 'gateway', services: [{ gatewayGroup: 'production', service: 'billing' }], adopt: true } },
  });
  assertSameAsLive(imported, live);
});

test('DCR auth: oauth names the provider; basic and key auth read back as written', () => {
  const identity = importApi7Object(createdExample('identity'), sandboxTarget());
  assert.equal(identity.spec.auth, [{ oauth: { dcrProvider: 'corp-idp' } }]);
  // restricted is manual approval on API7: it reads back as approval, which plans identically.
  assert.is(identity.spec.access, 'approval');
  assert.equal(importApi7Object(createdExample('loyalty'), sandboxTarget()).spec.auth, ['basic-auth', 'key-auth']);
});

test('external: the spec text goes to specs/<name>.yaml byte for byte; no access, no auth', () => {
  const live = createdExample('weather');
  const imported = importApi7Object(live, sandboxTarget());
  assert.equal(imported.spec.targets[TARGET], {
    type: 'external',
    openapi: './specs/weather.yaml',
    serverUrls: ['https://api.weather-partner.example.com/v2'],
  });
  assert.not.ok('access' in imported.spec);
  assert.not.ok('auth' in imported.spec);
  assert.equal(Object.keys(imported.files), ['specs/weather.yaml']);
  assert.is(imported.files['specs/weather.yaml'], live.attachments?.openapi);
});

test('external with a JSON document and an unowned product: specs/<name>.json, adopted, same state', () => {
  const spec = JSON.stringify({ openapi: '3.0.3', info: { title: 'Rates', version: '1' }, paths: {} }, null, 2);
  const live = liveFrom(
    { name: 'FX Rates', desc: '', type: 'external', visibility: 'public', status: 'draft', labels: { team: 'treasury', 'data-class': 'public' }, raw_openapi: spec, server_urls: ['https://fx.example.com', 'https://fx-eu.example.com'] },
    'prod-fx',
  );
  const imported = importApi7Object(live, sandboxTarget());
  assert.is(imported.spec.name, 'fx-rates');
  assert.not.ok('description' in imported.spec, 'an empty description is left out');
  assert.equal(imported.spec.labels, { 'data-class': 'public' });
  assert.is(imported.spec.team, 'treasury');
  assert.equal(imported.files, { 'specs/fx-rates.json': spec });
  assert.equal(imported.spec.targets[TARGET], { type: 'external', openapi: './specs/fx-rates.json', serverUrls: ['https://fx.example.com', 'https://fx-eu.example.com'], adopt: true });
  assertSameAsLive(imported, live);
});

test('awkward text survives the YAML round trip: multi-line, trailing spaces, quotes, YAML-looking values', () => {
  const live = liveFrom(
    {
      name: 'Odd: "Name" #1',
      desc: '  Leading spaces.\nTrailing spaces.   \n\n- not a list\nkey: not a map\n',
      type: 'gateway',
      visibility: 'public',
      status: 'published',
      // Label values are never empty on API7 (reference Round 2, [OAS]): YAML-looking ones instead.
      labels: { flag: 'true', number: '007', nothing: '~', none: 'null' },
      subscription_auto_approval: true,
      auth: { 'basic-auth': {}, 'key-auth': {} },
      linked_gateway_services: [
        { gateway_group_id: 'gg-staging', service_id: 'svc-orders', linked_hosts: ['orders.staging.example.com'] },
        { gateway_group_id: 'gg-production', service_id: 'svc-orders' },
      ],
    },
    'prod-odd',
  );
  const imported = importApi7Object(live, sandboxTarget());
  assert.equal(imported.spec.labels, { flag: 'true', none: 'null', nothing: '~', number: '007' });
  assertSameAsLive(imported, live);
});

test('links the target does not list are imported as read, with a warning naming them', () => {
  const live = liveFrom(
    {
      name: 'Ghost',
      type: 'gateway',
      status: 'draft',
      auth: { dcr: { dcr_provider_id: 'dcr-gone' } },
      linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-gone' }],
    },
    'prod-ghost',
  );
  const imported = importApi7Object(live, sandboxTarget());
  assert.is(imported.warnings.length, 2, imported.warnings.join('\n'));
  assert.match(imported.warnings.join('\n'), 'DCR provider dcr-gone is not listed');
  assert.match(imported.warnings.join('\n'), 'service #svc-gone of gateway group production');
});

test('renderProductYaml: the schema comment first, keys in the fixed order, plain lists on one line', () => {
  const text = renderProductYaml(importApi7Object(createdExample('payments'), sandboxTarget()).spec);
  assert.ok(text.startsWith('# yaml-language-server: $schema=../schemas/product.schema.json\nname: payments\ndisplayName: Payments API\n'), text);
  assert.match(text, 'auth: [key-auth]');
  assert.match(text, 'hosts: [pay.example.com]');
  const order = ['name:', 'displayName:', 'description:', 'status:', 'visibility:', 'access:', 'team:', 'labels:', 'auth:', 'targets:'].map((key) => text.indexOf(`\n${key}`));
  assert.equal(order, [...order].sort((a, b) => a - b));
});

test.run();
