import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveEffective } from '../../src/model/effective-product.ts';
import type { ProductSource, ProductSpec } from '../../src/model/product.ts';

const source = (spec: ProductSpec): ProductSource => ({
  spec,
  file: 'products/p.yaml',
  absolutePath: '/x/products/p.yaml',
  locate: () => ({ file: 'products/p.yaml', line: 1, column: 1 }),
});

test('defaults lean safe: draft, logged-in, approval; displayName is the name', () => {
  const product = source({ name: 'orders', targets: { sandbox: { type: 'gateway' } } });
  const effective = resolveEffective(product, 'sandbox');
  assert.equal({ ...effective, source: undefined }, {
    name: 'orders',
    displayName: 'orders',
    description: '',
    status: 'draft',
    visibility: 'logged-in',
    access: 'approval',
    labels: {},
    auth: [],
    plans: [],
    protected: false,
    binding: { type: 'gateway' },
    source: undefined,
    target: 'sandbox',
  });
  assert.is(effective.source, product);
  assert.not.ok('team' in effective, 'team stays absent when not given');
});

test('binding overrides win for that target only; labels merge; binding keeps provider keys only', () => {
  const spec: ProductSpec = {
    name: 'payments',
    displayName: 'Payments API',
    description: 'Pay.',
    status: 'published',
    visibility: 'public',
    access: 'approval',
    team: 'payments',
    labels: { tier: 'gold', region: 'eu' },
    auth: ['key-auth'],
    plans: [{ name: 'premium', limits: { perSecond: 50 } }],
    protected: true,
    targets: {
      sandbox: {
        access: 'auto',
        status: 'draft',
        labels: { region: 'sandbox' },
        plans: [{ name: 'free', limits: { perSecond: 500 } }],
        type: 'gateway',
        services: [{ gatewayGroup: 'dev', service: 'payments' }],
      },
      prod: { type: 'gateway', services: [{ gatewayGroup: 'production', service: 'payments' }] },
    },
  };
  const sandbox = resolveEffective(source(spec), 'sandbox');
  assert.is(sandbox.access, 'auto');
  assert.is(sandbox.status, 'draft');
  assert.equal(sandbox.labels, { tier: 'gold', region: 'sandbox' });
  assert.equal(sandbox.plans, [{ name: 'free', limits: { perSecond: 500 } }]);
  assert.equal(sandbox.auth, ['key-auth']);
  assert.is(sandbox.team, 'payments');
  assert.is(sandbox.protected, true);
  assert.equal(sandbox.binding, { type: 'gateway', services: [{ gatewayGroup: 'dev', service: 'payments' }] });

  const prod = resolveEffective(source(spec), 'prod');
  assert.is(prod.access, 'approval');
  assert.is(prod.status, 'published');
  assert.equal(prod.labels, { tier: 'gold', region: 'eu' });
  assert.equal(prod.plans, spec.plans);
});

test('an empty override (auth: []) is an override, not an absence', () => {
  const effective = resolveEffective(source({ name: 'x', auth: ['basic-auth'], targets: { t: { auth: [] } } }), 't');
  assert.equal(effective.auth, []);
});

test('resolved once per product and target: the same object each time, for one target or several, in any order', () => {
  const product = source({ name: 'p', labels: { team: 'a' }, targets: { one: { status: 'published' }, two: { labels: { env: 'x' } } } });
  const one = resolveEffective(product, 'one');
  assert.is(resolveEffective(product, 'one'), one);
  const two = resolveEffective(product, 'two');
  assert.is.not(two, one);
  assert.is(resolveEffective(product, 'one'), one);
  assert.is(resolveEffective(product, 'two'), two);
  assert.is(one.status, 'published');
  assert.is(two.status, 'draft');
  assert.equal(one.labels, { team: 'a' });
  assert.equal(two.labels, { team: 'a', env: 'x' });
  assert.equal(product.spec.labels, { team: 'a' }, 'the spec is not changed by a merge');
  const unbound = resolveEffective(product, 'three');
  assert.is(unbound.target, 'three');
  assert.is(resolveEffective(product, 'one'), one);
});

test.run();
