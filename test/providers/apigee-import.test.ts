/**
 * importObject / importApigeeObjects for Apigee: live objects → product documents → load (schema +
 * provider rules) → resolveEffective → toDesired give back exactly the live objects (same keys,
 * status and state), for every product shape; what no document can say exactly is imported as close
 * as it can be, with a warning naming the change. Then over HTTP against the emulator, both
 * flavours: import → plan shows only the adoption → apply → No changes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderProductYaml } from '../../src/commands/import.ts';
import { canonicalJson } from '../../src/model/fingerprint.ts';
import { resolveEffective } from '../../src/model/effective-product.ts';
import { loadAndValidate, readCheckedConfig } from '../load/load-and-validate.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { importApigeeObject, importApigeeObjects } from '../../src/providers/apigee/import-product.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { toLiveObject } from '../../src/providers/apigee/mapping.ts';
import { toProductBody } from '../../src/providers/apigee/request-body.ts';
import type { ApigeeProduct } from '../../src/providers/apigee/wire.ts';
import { getProviderKind } from '../../src/registry.ts';
import type { DesiredObject, ImportedProduct, LiveObject } from '../../src/model/objects.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, type ApigeeStoredProduct } from '../../src/sandbox/apigee/state.ts';
import { renderProduct } from '../../src/sandbox/apigee/view.ts';
import { writeProject } from '../helpers/project.ts';
// In-process: what the CLI says is tested here; the process contract is in test/cli/cli.test.ts.
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { tempProject } from '../load/temp-project.ts';
import { apigeeTarget, FLAVOURS, ORG, productFromText, TARGET, TOKEN, type Flavour } from './apigee-fixtures.ts';

const CONFIG = `targets:\n  ${TARGET}:\n    provider: apigee\n    sandbox: true\n    flavour: edge\n    org: ${ORG}\n`;
const target = apigeeTarget();
type State = Record<string, unknown>;

// ── live objects ───────────────────────────────────────────────────────────────────────────

/** A stored product as a flavour serves it, read as observe reads it. */
function liveOf(product: ApigeeStoredProduct, flavour: Flavour = 'edge'): LiveObject {
  return toLiveObject(renderProduct(product, flavour) as unknown as ApigeeProduct);
}

/** A product made by hand in the Apigee UI (no ownership marker unless its attributes say so). */
function handMade(fields: Partial<ApigeeStoredProduct> & { name: string }): ApigeeStoredProduct {
  return {
    displayName: fields.name,
    approvalType: 'manual',
    attributes: [],
    apiResources: [],
    environments: [],
    proxies: [],
    scopes: [],
    ...fields,
    createdAt: 1767225600000,
    createdBy: 'ops@example.com',
    lastModifiedAt: 1767225600000,
    lastModifiedBy: 'ops@example.com',
  };
}

/** What apiproducts writes for a product document (one object per plan), read back from the server. */
function createdBy(text: string, flavour: Flavour = 'edge'): LiveObject[] {
  return apigee.toDesired(productFromText(text), apigeeTarget(flavour)).map((desired) => {
    const body = toProductBody({ status: desired.status, state: desired.state }, desired.key, desired.product);
    return liveOf(handMade(JSON.parse(JSON.stringify(body)) as ApigeeStoredProduct), flavour);
  });
}

const seeded = (name: string): ApigeeStoredProduct => seedApigeeState(ORG).products[name]!;

const PAYMENTS = `name: payments
displayName: Payments API
description: |
  Accept card payments and issue refunds.
status: published
visibility: public
access: approval
team: payments
labels: {tier: gold}
protected: true
targets:
  ${TARGET}:
    proxies: [payments-v1]
    environments: [prod]
    resources: [/charges/**, /refunds]
    scopes: [payments.read, payments.write]
    plans:
      - name: free
        limits: {perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10}
      - name: premium
        limits: {perSecond: 50, perDay: 100000}
`;

const METRICS = `name: metrics
displayName: Metrics API
status: published
visibility: public
access: auto
targets:
  ${TARGET}:
    environments: [test]
    resources: [/metrics/**]
    plans:
      - name: premium
        limits: {perDay: 50000}
      - name: default
        limits: {perDay: 5000, perSecond: 10}
`;

// ── round trip ─────────────────────────────────────────────────────────────────────────────

/** Writes the documents into a fresh project and loads it with the real loader. */
function load(documents: readonly ImportedProduct[]) {
  const files: Record<string, string> = { 'apiproducts.yaml': CONFIG };
  for (const document of documents) files[`products/${document.spec.name}.yaml`] = renderProductYaml(document.spec);
  return loadAndValidate({ cwd: tempProject(files), kinds: getProviderKind });
}

/** The desired objects of imported documents, which must validate without a diagnostic. */
function roundTrip(documents: readonly ImportedProduct[]): DesiredObject[] {
  const loaded = load(documents);
  assert.equal(loaded.diagnostics, [], 'the imported documents validate');
  assert.ok(loaded.config);
  return loaded.products.products.flatMap((source) => apigee.toDesired(resolveEffective(source, TARGET), loaded.config!.targets[0]!));
}

/** Same keys, status and state as live; adopted exactly when not owned; owned ones keep their Git product. */
function assertSameAsLive(documents: readonly ImportedProduct[], live: readonly LiveObject[], sameProduct = true): void {
  const desired = roundTrip(documents);
  assert.equal(desired.map((d) => d.key).sort(), live.map((l) => l.key).sort(), 'one desired object per live object');
  for (const object of live) {
    const wanted = desired.find((d) => d.key === object.key)!;
    assert.is(wanted.status, object.status, object.key);
    assert.is(canonicalJson(wanted.state), canonicalJson(object.state), object.key);
    assert.is(wanted.adopt === true, !object.owned, object.key);
    if (object.owned && sameProduct) assert.is(wanted.product, object.product, object.key);
  }
}

const one = (live: LiveObject): ImportedProduct => importApigeeObject(live, target);
const bindingOf = (document: ImportedProduct): Record<string, unknown> => document.spec.targets[TARGET] as Record<string, unknown>;

// ── the seeded products ────────────────────────────────────────────────────────────────────

for (const flavour of FLAVOURS) {
  test(`${flavour}: the unowned seeded legacy-billing-product keeps its name through a default plan, adopt: true`, () => {
    const live = liveOf(seeded('legacy-billing-product'), flavour);
    assert.not.ok(live.owned);
    const imported = one(live);
    assert.equal(imported.warnings, []);
    assert.equal(imported.files, {});
    assert.equal(imported.spec, {
      name: 'legacy-billing-product',
      displayName: 'Legacy Billing',
      description: 'Invoices and statements for enterprise accounts. Maintained by hand in the Apigee UI.',
      status: 'published',
      visibility: 'private',
      access: 'approval',
      team: 'finance',
      targets: {
        [TARGET]: {
          proxies: ['legacy-billing'],
          environments: ['prod'],
          resources: ['/invoices/**', '/statements'],
          scopes: ['billing.read'],
          plans: [{ name: 'default', limits: { perDay: 1000 } }],
          adopt: true,
        },
      },
    });
    assert.equal(Object.keys(imported.spec), ['name', 'displayName', 'description', 'status', 'visibility', 'access', 'team', 'targets']);
    assertSameAsLive([imported], [live]);
  });

  test(`${flavour}: the owned seeded orders (drifted by hand) is imported as it is now, no plans, not adopted`, () => {
    const live = liveOf(seeded('orders'), flavour);
    assert.ok(live.owned);
    const imported = one(live);
    assert.equal(imported.warnings, []);
    assert.equal(imported.spec, {
      name: 'orders',
      displayName: 'Orders API',
      description: 'Orders API. Edited by hand in the Apigee UI during an incident.',
      status: 'published',
      visibility: 'public',
      access: 'auto',
      team: 'commerce',
      targets: { [TARGET]: { proxies: ['orders-v2'], environments: ['prod', 'test'], resources: ['/orders/**'] } },
    });
    assertSameAsLive([imported], [live]);
  });
}

// ── product shapes ─────────────────────────────────────────────────────────────────────────

test('a product without quota: name = key, no plans, other attributes are labels (sorted), team lifted out', () => {
  const live = liveOf(handMade({
    name: 'partner-feed',
    displayName: 'Partner Feed',
    approvalType: 'auto',
    attributes: [{ name: 'tier', value: 'silver' }, { name: 'access', value: 'public' }, { name: 'team', value: 'data' }, { name: 'owner', value: 'jane' }],
    proxies: ['feed-v1'],
  }));
  const imported = one(live);
  assert.equal(imported.warnings, []);
  assert.equal(imported.spec, {
    name: 'partner-feed',
    displayName: 'Partner Feed',
    status: 'published',
    visibility: 'public',
    access: 'auto',
    team: 'data',
    labels: { owner: 'jane', tier: 'silver' },
    targets: { [TARGET]: { proxies: ['feed-v1'], adopt: true } },
  });
  assertSameAsLive([imported], [live]);
});

test('a product with quota and limit attributes: one default plan, the quota its coarsest limit, the attributes the finer ones and burst', () => {
  const live = liveOf(handMade({
    name: 'metered',
    attributes: [
      { name: 'quota-perDay', value: '1000' },
      { name: 'quota-perSecond', value: '5' },
      { name: 'spike-arrest-burst', value: '10' },
      { name: 'region', value: 'eu' },
    ],
    apiResources: ['/meter/**'],
    quota: '20000',
    quotaInterval: '1',
    quotaTimeUnit: 'month',
  }));
  const imported = one(live);
  assert.equal(imported.warnings, []);
  assert.equal(imported.spec.labels, { region: 'eu' });
  assert.equal(bindingOf(imported).plans, [{ name: 'default', limits: { perMonth: 20000, perDay: 1000, perSecond: 5, burst: 10 } }]);
  assert.is(imported.spec.displayName, 'metered', 'a default plan adds no suffix to strip');
  assertSameAsLive([imported], [live]);
});

test('a draft (access internal): status draft and no visibility, which a draft does not store', () => {
  const live = liveOf(handMade({
    name: 'beta-search',
    displayName: 'Search (beta)',
    description: 'Not ready yet.',
    attributes: [{ name: 'access', value: 'internal' }],
    proxies: ['search-v1'],
    quota: '100',
    quotaInterval: '1',
    quotaTimeUnit: 'minute',
  }));
  assert.is(live.status, 'draft');
  const imported = one(live);
  assert.equal(imported.warnings, []);
  assert.is(imported.spec.status, 'draft');
  assert.not.ok('visibility' in imported.spec);
  assert.is(imported.spec.displayName, 'Search (beta)', 'a display name in parentheses is kept whole');
  assert.equal(bindingOf(imported).plans, [{ name: 'default', limits: { perMinute: 100 } }]);
  assertSameAsLive([imported], [live]);
  // An owned draft with a plan, as apiproducts writes it.
  const [loyalty] = createdBy(`name: loyalty\ndisplayName: Loyalty Points API\nstatus: draft\nvisibility: private\ntargets:\n  ${TARGET}:\n    proxies: [loyalty-v1]\n    plans: [{name: standard, limits: {perMinute: 600, perHour: 20000}}]\n`);
  assert.is(loyalty!.status, 'draft');
  assertSameAsLive([one(loyalty!)], [loyalty!]);
});

test('awkward text survives the YAML round trip: multi-line, trailing spaces, quotes, YAML-looking values, an empty team', () => {
  const live = liveOf(handMade({
    name: 'odd.name_1',
    displayName: 'Odd: "Name" #1',
    description: '  Leading spaces.\nTrailing spaces.   \n\n- not a list\nkey: not a map\n',
    attributes: [{ name: 'flag', value: 'true' }, { name: 'number', value: '007' }, { name: 'empty', value: '' }, { name: 'team', value: '' }],
    proxies: ['odd-v1'],
    scopes: ['a:b', '#c'],
  }), 'x');
  const imported = one(live);
  assert.not.ok('team' in imported.spec, 'an empty team stays a label');
  assert.equal(imported.spec.labels, { empty: '', flag: 'true', number: '007', team: '' });
  assertSameAsLive([imported], [live]);
});

test('no proxies and no resources: unbounded: true keeps it as it is, with a warning', () => {
  const live = liveOf(handMade({ name: 'everything', attributes: [{ name: 'access', value: 'private' }] }));
  const imported = one(live);
  assert.is(bindingOf(imported).unbounded, true);
  assert.is(imported.warnings.length, 1);
  assert.match(imported.warnings[0]!, 'reach every API proxy in the organization');
  assertSameAsLive([imported], [live]);
});

// ── plans grouped back ─────────────────────────────────────────────────────────────────────

for (const flavour of FLAVOURS) {
  test(`${flavour}: the plans of one Git product (payments-free, payments-premium) are grouped back into ONE product`, () => {
    const live = createdBy(PAYMENTS, flavour);
    assert.equal(live.map((l) => [l.key, l.product]), [['payments-free', 'payments'], ['payments-premium', 'payments']]);
    const documents = importApigeeObjects(live, target);
    assert.is(documents.length, 1);
    const [payments] = documents;
    assert.equal(payments!.keys, ['payments-free', 'payments-premium']);
    assert.equal(payments!.warnings, []);
    assert.equal(payments!.spec, {
      name: 'payments',
      displayName: 'Payments API',
      description: 'Accept card payments and issue refunds.\n',
      status: 'published',
      visibility: 'public',
      access: 'approval',
      team: 'payments',
      labels: { tier: 'gold' },
      targets: {
        [TARGET]: {
          proxies: ['payments-v1'],
          environments: ['prod'],
          resources: ['/charges/**', '/refunds'],
          scopes: ['payments.read', 'payments.write'],
          plans: [
            { name: 'free', limits: { perMonth: 20000, perDay: 1000, perSecond: 5, burst: 10 } },
            { name: 'premium', limits: { perDay: 100000, perSecond: 50 } },
          ],
        },
      },
    });
    assertSameAsLive(documents, live);
  });
}

test('one plan imported alone is its Git product with that plan: the key and state stay those of the plan', () => {
  const [free] = createdBy(PAYMENTS);
  const imported = one(free!);
  assert.is(imported.spec.name, 'payments');
  assert.is(imported.spec.displayName, 'Payments API');
  assert.equal((bindingOf(imported).plans as { name: string }[]).map((p) => p.name), ['free']);
  assertSameAsLive([imported], [free!]);
  assert.equal(importApigeeObjects([free!], target), [imported], 'the same as a group of one');
});

test('a default plan (the model addition): its product is <name> without suffix; grouped back with the other plans', () => {
  const live = createdBy(METRICS);
  assert.equal(live.map((l) => [l.key, (l.state as State).displayName]), [['metrics-premium', 'Metrics API (premium)'], ['metrics', 'Metrics API']]);
  const documents = importApigeeObjects(live, target);
  assert.equal(documents.map((d) => d.keys), [['metrics', 'metrics-premium']]);
  assert.equal(bindingOf(documents[0]!).plans, [
    { name: 'default', limits: { perDay: 5000, perSecond: 10 } },
    { name: 'premium', limits: { perDay: 50000 } },
  ]);
  assertSameAsLive(documents, live);
  // Imported one at a time, each is still a sound document of its own.
  for (const object of live) assertSameAsLive([one(object)], [object]);
});

test('everything together: each Git product once, every key covered exactly once, sorted by name', () => {
  const live = [...createdBy(PAYMENTS), ...createdBy(METRICS), liveOf(seeded('orders')), liveOf(seeded('legacy-billing-product'))];
  const documents = importApigeeObjects(live, target);
  assert.equal(documents.map((d) => [d.spec.name, d.keys]), [
    ['legacy-billing-product', ['legacy-billing-product']],
    ['metrics', ['metrics', 'metrics-premium']],
    ['orders', ['orders']],
    ['payments', ['payments-free', 'payments-premium']],
  ]);
  assertSameAsLive(documents, live);
});

test('a plan edited in the portal since (it differs from its siblings) is imported as a product of its own, with a warning', () => {
  const gold = PAYMENTS.replace('      - name: premium', '      - name: gold\n        limits: {perDay: 500000}\n      - name: premium');
  const [free, ...others] = createdBy(gold);
  assert.equal(others.map((o) => o.key), ['payments-gold', 'payments-premium']);
  const edited = { ...free!, state: { ...free!.state, description: 'Edited in the UI.', scopes: [] } };
  const documents = importApigeeObjects([edited, ...others], target);
  // The plans that agree with each other stay together.
  assert.equal(documents.map((d) => [d.spec.name, d.keys]), [['payments', ['payments-gold', 'payments-premium']], ['payments-free', ['payments-free']]]);
  const alone = documents[1]!;
  assert.is(alone.spec.displayName, 'Payments API (free)', 'named by its key, the display name is kept whole');
  assert.equal((bindingOf(alone).plans as { name: string }[]).map((p) => p.name), ['default']);
  assert.equal(alone.warnings, ['it is marked as a plan of Git product payments, but it differs from payments-gold, payments-premium in description, scopes: imported as its own product payments-free (whose apiproducts-name attribute becomes payments-free on its next update)']);
  assertSameAsLive(documents, [edited, ...others], false);
});

test('a group whose name an unowned product holds is split into products named by their keys', () => {
  const live = [...createdBy(PAYMENTS), liveOf(handMade({ name: 'payments', proxies: ['payments-v1'] }))];
  const documents = importApigeeObjects(live, target);
  assert.equal(documents.map((d) => [d.spec.name, d.keys]), [['payments', ['payments']], ['payments-free', ['payments-free']], ['payments-premium', ['payments-premium']]]);
  assert.match(documents[1]!.warnings.join('\n'), 'another product is named payments here');
  assert.is(bindingOf(documents[0]!).adopt, true);
  assertSameAsLive(documents, live, false);
});

test('an owned object that claims a plan but does not look like one (display name edited) is a product of its own', () => {
  const [free] = createdBy(PAYMENTS);
  const renamed = { ...free!, state: { ...free!.state, displayName: 'Free payments' } };
  const imported = one(renamed);
  assert.is(imported.spec.name, 'payments-free');
  assert.match(imported.warnings.join('\n'), 'its display name does not end in " (free)"');
  assertSameAsLive([imported], [renamed], false);
});

// ── what a document cannot say exactly ─────────────────────────────────────────────────────

/** The one desired object of documents that validate, and its state. */
function desiredState(documents: readonly ImportedProduct[]): State {
  const [desired, ...rest] = roundTrip(documents);
  assert.equal(rest, []);
  return desired!.state;
}

test('a quota over 60 minutes or 24 hours is the same window as 1 hour or 1 day: that limit, and a warning that the next plan rewrites it', () => {
  for (const [quota, interval, unit, limit, window] of [['6000', '60', 'minute', 'perHour', 'hour'], ['90000', '24', 'hour', 'perDay', 'day'], ['5', '1440', 'minute', 'perDay', 'day']] as const) {
    const live = liveOf(handMade({ name: 'windowed', proxies: ['p'], quota, quotaInterval: interval, quotaTimeUnit: unit }));
    const imported = one(live);
    assert.equal(bindingOf(imported).plans, [{ name: 'default', limits: { [limit]: Number(quota) } }]);
    assert.equal(imported.warnings, [`its quota counts ${quota} per ${interval} ${unit}s, the same window as 1 ${window}: imported as ${limit}: ${quota}, so the next plan rewrites the quota as ${quota} per 1 ${window} (the same allowance)`]);
    const state = desiredState([imported]);
    assert.equal(state.quota, { limit: Number(quota), interval: 1, timeUnit: window });
    assert.is(canonicalJson({ ...state, quota: undefined }), canonicalJson({ ...live.state, quota: undefined }), 'nothing else changes');
  }
});

test('a quota over 5 minutes has no plan limit: the same average rate per minute, and a warning stating the change and the ignore escape', () => {
  const live = liveOf(handMade({ name: 'five', proxies: ['p'], quota: '1000', quotaInterval: '5', quotaTimeUnit: 'minute' }));
  const imported = one(live);
  assert.equal(bindingOf(imported).plans, [{ name: 'default', limits: { perMinute: 200 } }]);
  assert.is(imported.warnings.length, 1);
  assert.match(imported.warnings[0]!, 'imported as perMinute: 200 (the same average rate), so the next plan changes the quota from 1000 per 5 minute to 200 per 1 minute');
  assert.match(imported.warnings[0]!, "add quota to the target's ignore list");
  assert.equal(desiredState([imported]).quota, { limit: 200, interval: 1, timeUnit: 'minute' });
  // Not a whole rate: rounded down (never more than the live quota allows on average); below 1: 1.
  assert.match(one(liveOf(handMade({ name: 'seven', proxies: ['p'], quota: '1000', quotaInterval: '7', quotaTimeUnit: 'minute' }))).warnings[0]!, 'perMinute: 142 (the average rate, rounded down)');
  assert.match(one(liveOf(handMade({ name: 'slow', proxies: ['p'], quota: '1', quotaInterval: '2', quotaTimeUnit: 'month' }))).warnings[0]!, 'perMonth: 1 (rounded up to 1)');
});

test('a quota no plan can hold at all is imported without a plan, and the warning says the next plan removes it', () => {
  const live = liveOf(handMade({
    name: 'garbled',
    proxies: ['p'],
    attributes: [{ name: 'quota-perSecond', value: '5' }],
    quota: 'lots',
    quotaInterval: '1',
    quotaTimeUnit: 'day',
  }));
  const imported = one(live);
  assert.not.ok('plans' in bindingOf(imported));
  assert.is(imported.warnings.length, 2, imported.warnings.join('\n'));
  assert.match(imported.warnings[0]!, 'its quota (lots per 1 day) is not a whole number of requests per minute, hour, day or month, so no plan can hold it: it is imported without a plan and the next plan removes the quota');
  assert.match(imported.warnings[1]!, 'attribute quota-perSecond: "5" is a plan limit apiproducts writes next to a quota');
  const state = desiredState([imported]);
  assert.not.ok('quota' in state);
  assert.equal(state.attributes, {});
});

test('limit attributes no plan would write as they are (coarser than the quota, not a count) are left out with a warning each', () => {
  const live = liveOf(handMade({
    name: 'limits',
    proxies: ['p'],
    attributes: [{ name: 'quota-perMonth', value: '30000' }, { name: 'quota-perMinute', value: 'ten' }, { name: 'quota-perHour', value: '100' }, { name: 'spike-arrest-burst', value: '007' }],
    quota: '1000',
    quotaInterval: '1',
    quotaTimeUnit: 'day',
  }));
  const imported = one(live);
  assert.equal(bindingOf(imported).plans, [{ name: 'default', limits: { perDay: 1000, perHour: 100 } }]);
  assert.is(imported.warnings.length, 3, imported.warnings.join('\n'));
  assert.match(imported.warnings.join('\n'), 'attribute quota-perMonth: "30000" is not finer than the quota (per day)');
  assert.match(imported.warnings.join('\n'), 'attribute quota-perMinute: "ten" is not a whole number of requests');
  assert.match(imported.warnings.join('\n'), 'attribute spike-arrest-burst: "007" is not a whole number of requests');
  assert.match(imported.warnings[0]!, 'so it is left out and the next plan removes it');
  assert.equal(desiredState([imported]).attributes, { 'quota-perHour': '100' });
});

test('an access attribute apiproducts does not write is imported as private, with a warning', () => {
  const live = liveOf(handMade({ name: 'partners', proxies: ['p'], attributes: [{ name: 'access', value: 'Partner' }] }));
  assert.is((live.state as State).visibility, 'partner');
  const imported = one(live);
  assert.is(imported.spec.visibility, 'private');
  assert.equal(imported.warnings, ['its access attribute is "partner", which apiproducts does not write (public, private or internal): imported as visibility: private, so the next plan changes visibility from "partner" to private']);
  assert.is(desiredState([imported]).visibility, 'private');
});

test('what validate would reject is imported as read, with a warning: a resource path, too many attributes', () => {
  const attributes = Array.from({ length: 15 }, (_, i) => ({ name: `label-${String(i).padStart(2, '0')}`, value: String(i) }));
  const live = liveOf(handMade({ name: 'crowded', apiResources: ['orders/'], attributes }));
  const imported = one(live);
  assert.is(imported.warnings.length, 2, imported.warnings.join('\n'));
  assert.match(imported.warnings[0]!, 'resource path "orders/" is not one validate accepts (it must start with /)');
  assert.match(imported.warnings[1]!, 'it would carry 19 attributes with access and the 3 ownership attributes apiproducts adds; Apigee allows 18, so validate rejects it until 1 label(s) are removed');
  const rules = load([imported]).diagnostics.map((d: Diagnostic) => d.rule);
  assert.equal(rules.sort(), ['apigee/attribute-count', 'apigee/resource-path']);
});

test('the attribute count of an import counts the marker the configuration writes: owner and protection included', () => {
  const attributes = Array.from({ length: 14 }, (_, i) => ({ name: `label-${String(i).padStart(2, '0')}`, value: String(i) }));
  const live = liveOf(handMade({ name: 'crowded', proxies: ['p'], attributes }));
  assert.equal(one(live).warnings, [], '14 + access + 3 marker attributes = 18');
  const owned = importApigeeObject(live, { ...target, owner: 'team-a' });
  assert.equal(owned.warnings, ['it would carry 19 attributes with access and the 4 ownership attributes apiproducts adds; Apigee allows 18, so validate rejects it until 1 label(s) are removed']);
});

test('renderProductYaml: plans in the Apigee binding, plain lists on one line', () => {
  const text = renderProductYaml(one(liveOf(seeded('legacy-billing-product'))).spec);
  assert.ok(text.startsWith('# yaml-language-server: $schema=../schemas/product.schema.json\nname: legacy-billing-product\ndisplayName: Legacy Billing\n'), text);
  assert.match(text, `targets:\n  ${TARGET}:\n    proxies: [legacy-billing]\n`);
  assert.match(text, '    plans:\n      - name: default\n        limits:\n          perDay: 1000\n    adopt: true\n');
});

// ── over HTTP ──────────────────────────────────────────────────────────────────────────────

const ENV = { APIGEE_TOKEN: TOKEN };
const running: ApigeeEmulator[] = [];
test.after(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
});

async function emulatorFor(flavour: Flavour): Promise<ApigeeEmulator> {
  const emulator = await startApigeeEmulator({ flavour, org: ORG, credentials: { token: TOKEN }, state: seedApigeeState(ORG) });
  running.push(emulator);
  return emulator;
}

/** A project whose only target is the emulator, as a real org is configured (the token from $APIGEE_TOKEN). */
function projectFor(emulator: ApigeeEmulator, flavour: Flavour, products: Record<string, string> = {}) {
  const config = `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: ${flavour}\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n`;
  const cwd = writeProject({ 'apiproducts.yaml': config, ...products });
  return { cwd, cli: (...args: string[]) => runCli(args, { cwd, env: ENV }) };
}

type PlannedChange = { action: string; key: string; adopts?: boolean; fields: { path: string }[] };
const planned = (stdout: string) => (JSON.parse(stdout).changes as PlannedChange[]).map((c) => [c.action, c.key, c.adopts, c.fields.map((f) => f.path)]);

for (const flavour of FLAVOURS) {
  test(`${flavour} over HTTP: apiproducts import of the seeded org → validate → plan adopts legacy-billing-product only → apply → No changes.`, async () => {
    const emulator = await emulatorFor(flavour);
    const { cwd, cli } = projectFor(emulator, flavour);
    const imported = await cli('import');
    assert.is(imported.code, 0, imported.stdout + imported.stderr);
    assert.is(imported.stderr, '', 'no warnings');
    assert.match(imported.stdout, 'wrote   products/legacy-billing-product.yaml (legacy-billing-product; adopt: true, not created by apiproducts)');
    assert.match(imported.stdout, 'wrote   products/orders.yaml (orders)');
    assert.equal(readdirSync(join(cwd, 'products')).sort(), ['legacy-billing-product.yaml', 'orders.yaml']);
    assert.match(readFileSync(join(cwd, 'products', 'legacy-billing-product.yaml'), 'utf8'), '      - name: default\n        limits:\n          perDay: 1000\n');

    const validate = await cli('validate');
    assert.is(validate.code, 0, validate.stdout + validate.stderr);
    const plan = await cli('plan', '--format', 'json');
    assert.is(plan.code, 0, plan.stderr);
    assert.equal(planned(plan.stdout), [['update', 'legacy-billing-product', true, ['ownership']]]);
    const apply = await cli('apply', '--auto-approve');
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    // Adopted as it was: the quota and everything else untouched, now marked as ours.
    const legacy = emulator.state.products['legacy-billing-product']!;
    assert.equal([legacy.quota, legacy.quotaInterval, legacy.quotaTimeUnit], ['1000', '1', 'day']);
    assert.ok(legacy.attributes.some((a) => a.name === 'managed-by' && a.value === 'apiproducts'));
    const again = await cli('plan', '--detailed-exitcode');
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, 'No changes.');
  });

  test(`${flavour} over HTTP: products with plans applied by another project are observed, grouped back, and plan only the adoption`, async () => {
    const emulator = await emulatorFor(flavour);
    const asApplied = (text: string) => text.replaceAll(`  ${TARGET}:`, '  apigee-prod:');
    const theirs = projectFor(emulator, flavour, {
      'products/payments.yaml': asApplied(PAYMENTS),
      'products/metrics.yaml': asApplied(METRICS),
      'products/loyalty.yaml': `name: loyalty\ndisplayName: Loyalty Points API\nstatus: draft\nteam: commerce\ntargets:\n  apigee-prod:\n    proxies: [loyalty-v1]\n    environments: [test, prod]\n    plans: [{name: standard, limits: {perMinute: 600, perHour: 20000}}]\n`,
      'products/identity.yaml': `name: identity\ndisplayName: Identity API\nstatus: published\nvisibility: private\naccess: restricted\nlabels: {compliance: soc2}\ntargets:\n  apigee-prod:\n    proxies: [identity-v1]\n    scopes: [openid, profile]\n`,
    });
    const applied = await theirs.cli('apply', '--auto-approve');
    assert.is(applied.code, 0, applied.stdout + applied.stderr);

    // Ours starts from nothing: observe through the provider, import everything together.
    const ours = projectFor(emulator, flavour);
    const { config } = readCheckedConfig('apiproducts.yaml', ours.cwd);
    assert.ok(config);
    const live = await apigee.connect(config.targets[0]!, { url: emulator.url, secret: TOKEN }).observe();
    assert.equal(live.map((l) => l.key).sort(), ['identity', 'legacy-billing-product', 'loyalty-standard', 'metrics', 'metrics-premium', 'orders', 'payments-free', 'payments-premium']);
    const documents = importApigeeObjects(live, config.targets[0]!);
    assert.equal(documents.map((d) => [d.spec.name, d.keys]), [
      ['identity', ['identity']],
      ['legacy-billing-product', ['legacy-billing-product']],
      ['loyalty', ['loyalty-standard']],
      ['metrics', ['metrics', 'metrics-premium']],
      ['orders', ['orders']],
      ['payments', ['payments-free', 'payments-premium']],
    ]);
    assert.equal(documents.flatMap((d) => d.warnings), []);
    mkdirSync(join(ours.cwd, 'products'));
    for (const document of documents) writeFileSync(join(ours.cwd, 'products', `${document.spec.name}.yaml`), renderProductYaml(document.spec));

    const validate = await ours.cli('validate');
    assert.is(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, 'Valid: 6 products, 1 target.');
    const plan = await ours.cli('plan', '--format', 'json');
    assert.is(plan.code, 0, plan.stderr);
    assert.equal(planned(plan.stdout), [['update', 'legacy-billing-product', true, ['ownership']]]);
    const apply = await ours.cli('apply', '--auto-approve');
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    const again = await ours.cli('plan', '--detailed-exitcode');
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, 'No changes.');
    // The project that applied them sees the same org as before: nothing of theirs moved.
    assert.match((await theirs.cli('plan')).stdout, 'No changes.');
  });
}

test.run();
