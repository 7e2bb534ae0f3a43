import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson, fingerprint } from '../../src/model/fingerprint.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import { desiredState, toDesiredObjects, toLiveObject, type ApigeeState } from '../../src/providers/apigee/mapping.ts';
import { toProductBody } from '../../src/providers/apigee/request-body.ts';
import { coarsestLimit, mapPlanLimits } from '../../src/providers/apigee/plan-limits.ts';
import type { ApigeeProduct } from '../../src/providers/apigee/wire.ts';
import { renderProduct } from '../../src/sandbox/apigee/view.ts';
import { seedApigeeState, type ApigeeStoredProduct } from '../../src/sandbox/apigee/state.ts';
import { apigeeProduct, apigeeTarget, EXAMPLES, FLAVOURS, productFromText, TARGET } from './apigee-fixtures.ts';

const stateOf = (object: { state: unknown }): ApigeeState => object.state as ApigeeState;

/** What a server keeps of a body: the body plus the read-only fields it fills. */
function stored(body: object): ApigeeStoredProduct {
  const copy = JSON.parse(JSON.stringify(body)) as ApigeeStoredProduct;
  return { ...copy, createdAt: 1767225600000, createdBy: 'ci@example.com', lastModifiedAt: 1767225600000, lastModifiedBy: 'ci@example.com' };
}

test('the coarsest limit is the quota; the others become attributes for policies', () => {
  assert.equal(mapPlanLimits({ perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10 }), {
    quota: { limit: 20000, interval: 1, timeUnit: 'month' },
    attributes: { 'quota-perDay': '1000', 'quota-perSecond': '5', 'spike-arrest-burst': '10' },
  });
  assert.equal(mapPlanLimits({ perSecond: 50, perDay: 100000 }).quota, { limit: 100000, interval: 1, timeUnit: 'day' });
  assert.equal(mapPlanLimits({ perMinute: 60 }), { quota: { limit: 60, interval: 1, timeUnit: 'minute' }, attributes: {} });
  assert.equal(mapPlanLimits({ perSecond: 5, perHour: 100 }).quota?.timeUnit, 'hour');
  // No Apigee quota unit counts seconds: validation refuses such a plan (apigee/quota-unit).
  assert.equal(mapPlanLimits({ perSecond: 5 }), { attributes: { 'quota-perSecond': '5' } });
  assert.is(coarsestLimit({ burst: 3 }), undefined);
});

test('payments: one Apigee product per plan, named <name>-<plan>', () => {
  const objects = apigee.toDesired(apigeeProduct('payments'), apigeeTarget());
  assert.equal(objects.map((o) => [o.key, o.product, o.status, o.protected]), [
    ['payments-free', 'payments', 'published', true],
    ['payments-premium', 'payments', 'published', true],
  ]);
  assert.equal(stateOf(objects[0]!), {
    displayName: 'Payments API (free)',
    description: 'Accept card payments and issue refunds.\n\nRequests are idempotent when sent with an `Idempotency-Key` header.\n',
    access: 'approval',
    visibility: 'public',
    proxies: ['payments-v1'],
    environments: ['prod'],
    resources: ['/charges/**', '/refunds'],
    scopes: ['payments.read', 'payments.write'],
    quota: { limit: 20000, interval: 1, timeUnit: 'month' },
    attributes: { tier: 'gold', team: 'payments', 'quota-perSecond': '5', 'quota-perDay': '1000', 'spike-arrest-burst': '10' },
  });
  assert.equal(stateOf(objects[1]!).quota, { limit: 100000, interval: 1, timeUnit: 'day' });
  assert.equal(stateOf(objects[1]!).attributes, { tier: 'gold', team: 'payments', 'quota-perSecond': '50' });
  // Both point at the binding, where a preflight error about its proxies belongs.
  assert.equal(objects[0]!.locate(), { file: 'products/payments.yaml', line: 24, column: 5 });
});

test('a product without plans is one object named like the product, without quota', () => {
  const [identity, ...rest] = apigee.toDesired(apigeeProduct('identity'), apigeeTarget());
  assert.equal(rest, []);
  assert.is(identity!.key, 'identity');
  assert.is(stateOf(identity!).displayName, 'Identity API');
  assert.is(stateOf(identity!).quota, undefined);
});

test('access: auto and approval map to approvalType; restricted is manual and never listed', () => {
  const body = (access: string, visibility = 'public') => {
    const [object] = toDesiredObjects(productFromText(`name: x\nstatus: published\naccess: ${access}\nvisibility: ${visibility}\ntargets:\n  ${TARGET}: {proxies: [p]}\n`));
    return toProductBody({ status: object!.status, state: object!.state }, object!.key, 'x');
  };
  const access = (b: { attributes: { name: string; value: string }[] }) => b.attributes.find((a) => a.name === 'access')?.value;
  assert.is(body('auto').approvalType, 'auto');
  assert.is(body('approval').approvalType, 'manual');
  assert.is(body('restricted').approvalType, 'manual');
  assert.is(access(body('restricted')), 'private');
  assert.is(access(body('approval', 'unlisted')), 'private');
  assert.is(access(body('approval', 'private')), 'private');
  assert.is(access(body('approval', 'public')), 'public');
});

test('draft and visibility internal are both status draft: access internal, no visibility in state', () => {
  for (const text of ['status: draft\nvisibility: public', 'status: published\nvisibility: internal']) {
    const [object] = toDesiredObjects(productFromText(`name: x\n${text}\ntargets:\n  ${TARGET}: {proxies: [p]}\n`));
    assert.is(object!.status, 'draft', text);
    assert.not.ok('visibility' in object!.state, text);
    const body = toProductBody({ status: object!.status, state: object!.state }, 'x', 'x');
    assert.equal(body.attributes.find((a) => a.name === 'access'), { name: 'access', value: 'internal' });
  }
});

test('the body is complete (PUT replaces everything), carries the marker, and has no read-only field', () => {
  const [free] = apigee.toDesired(apigeeProduct('payments'), apigeeTarget());
  const body = toProductBody({ status: 'published', state: free!.state }, 'payments-free', 'payments');
  assert.equal(body, {
    name: 'payments-free',
    displayName: 'Payments API (free)',
    description: 'Accept card payments and issue refunds.\n\nRequests are idempotent when sent with an `Idempotency-Key` header.\n',
    approvalType: 'manual',
    attributes: [
      { name: 'quota-perDay', value: '1000' },
      { name: 'quota-perSecond', value: '5' },
      { name: 'spike-arrest-burst', value: '10' },
      { name: 'team', value: 'payments' },
      { name: 'tier', value: 'gold' },
      { name: 'access', value: 'public' },
      { name: 'managed-by', value: 'apiproducts' },
      { name: 'apiproducts-name', value: 'payments' },
      { name: 'apiproducts-applied', value: fingerprint({ status: 'published', state: free!.state }).slice('sha256:'.length) },
    ],
    apiResources: ['/charges/**', '/refunds'],
    environments: ['prod'],
    proxies: ['payments-v1'],
    scopes: ['payments.read', 'payments.write'],
    quota: '20000',
    quotaInterval: '1',
    quotaTimeUnit: 'month',
  });
});

for (const flavour of FLAVOURS) {
  for (const name of EXAMPLES) {
    test(`${flavour} ${name}: every desired object equals what is read back after a create`, () => {
      for (const desired of apigee.toDesired(apigeeProduct(name), apigeeTarget(flavour))) {
        const body = toProductBody({ status: desired.status, state: desired.state }, desired.key, desired.product);
        const live = toLiveObject(renderProduct(stored(body), flavour) as unknown as ApigeeProduct);
        assert.is(canonicalJson(live.state), canonicalJson(desired.state), desired.key);
        assert.is(live.status, desired.status, desired.key);
        assert.is(live.key, desired.key);
        assert.ok(live.owned);
        assert.is(live.product, name);
        assert.equal(live.ref, { name: desired.key });
        // What was written is what is read: drift sees no edit made outside Git.
        assert.is(live.lastApplied, fingerprint({ status: live.status, state: live.state }));
      }
    });
  }
}

test('the drifted seeded product is owned and normalised the same from either flavour', () => {
  const orders = seedApigeeState().products['orders']!;
  const [edge, x] = FLAVOURS.map((flavour) => toLiveObject(renderProduct(orders, flavour) as unknown as ApigeeProduct));
  assert.equal(edge, x);
  assert.equal(edge, {
    key: 'orders',
    owned: true,
    product: 'orders',
    status: 'published',
    state: {
      displayName: 'Orders API',
      description: 'Orders API. Edited by hand in the Apigee UI during an incident.',
      access: 'auto',
      visibility: 'public',
      proxies: ['orders-v2'],
      environments: ['prod', 'test'],
      resources: ['/orders/**'],
      scopes: [],
      attributes: { team: 'commerce' },
    },
    ref: { name: 'orders' },
    // Edge sends createdAt as a number of ms, X as a string: both read as the same instant.
    createdAt: '2026-01-01T10:00:00.000Z',
  });
  assert.is(edge!.lastApplied, undefined, 'the seed was not written by apiproducts');
});

test('createdAt (ms, a number or a digit string) is read outside the state; anything else is no creation time', () => {
  const orders = renderProduct(seedApigeeState().products['orders']!, 'x') as unknown as ApigeeProduct;
  const live = toLiveObject({ ...orders, createdAt: '1767261600123' });
  assert.is(live.createdAt, '2026-01-01T10:00:00.123Z');
  assert.is(toLiveObject({ ...orders, createdAt: 1767261600123 }).createdAt, live.createdAt);
  assert.is(canonicalJson(toLiveObject({ ...orders, createdAt: 1 }).state), canonicalJson(live.state));
  assert.not.ok('createdAt' in toLiveObject({ ...orders, createdAt: 'soon' }));
});

test('an unowned product keeps its name as key, its quota read as numbers', () => {
  const legacy = seedApigeeState().products['legacy-billing-product']!;
  for (const flavour of FLAVOURS) {
    const live = toLiveObject(renderProduct(legacy, flavour) as unknown as ApigeeProduct);
    assert.is(live.key, 'legacy-billing-product');
    assert.not.ok(live.owned);
    assert.is(live.product, undefined);
    assert.is(live.status, 'published');
    assert.is(stateOf(live).visibility, 'private');
    assert.equal(stateOf(live).quota, { limit: 1000, interval: 1, timeUnit: 'day' });
    assert.equal(stateOf(live).attributes, { team: 'finance' });
  }
});

test('live defaults: no access attribute is public, internal is draft, absent lists are empty', () => {
  const bare = toLiveObject({ name: 'bare', attributes: [{ name: 'managed-by', value: 'apiproducts' }] });
  assert.is(bare.status, 'published');
  assert.equal(bare.state, { displayName: 'bare', description: '', access: 'approval', visibility: 'public', proxies: [], environments: [], resources: [], scopes: [], attributes: {} });
  assert.is(bare.product, 'bare');
  const hidden = toLiveObject({ name: 'h', attributes: [{ name: 'access', value: 'internal' }], quota: 5, quotaInterval: '2', quotaTimeUnit: 'minute' });
  assert.is(hidden.status, 'draft');
  assert.not.ok('visibility' in hidden.state);
  assert.equal(stateOf(hidden).quota, { limit: 5, interval: 2, timeUnit: 'minute' });
  // Another tool's attribute on one of ours is state: the plan shows it as drift.
  const tooled = toLiveObject({ name: 't', attributes: [{ name: 'managed-by', value: 'apiproducts' }, { name: 'tool', value: 'nodejs x.js' }] });
  assert.equal(stateOf(tooled).attributes, { tool: 'nodejs x.js' });
});

test('labels named like attributes apiproducts writes do not leak into state', () => {
  const state = desiredState(productFromText(`name: x\nlabels: {access: public, managed-by: me, apiproducts-applied: x, tier: gold}\ntargets:\n  ${TARGET}: {proxies: [p]}\n`));
  assert.equal(state.attributes, { tier: 'gold' });
});

test('identify: sandbox://<target> for a sandbox, the url otherwise; always the org', () => {
  assert.equal(apigee.identify(apigeeTarget('x')), { url: `sandbox://${TARGET}`, org: 'sandbox' });
  const real = { ...apigeeTarget('x', { org: 'acme' }), sandbox: false, url: 'https://apigee.googleapis.com' };
  assert.equal(apigee.identify(real), { url: 'https://apigee.googleapis.com', org: 'acme' });
  assert.equal(apigee.lockedWhilePublished, []);
  assert.match(apigee.unpublishConsequence, /keep calling/);
});

test.run();
