import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grantReasons } from '../../src/plan/grant-reasons.ts';
import type { GrantField } from '../../src/model/grants.ts';
import { APIGEE_GRANTS, narrowsGrant } from '../../src/providers/apigee/grants.ts';
import { desired, live } from '../fixtures/plan-cases.ts';
import { buildPlan } from '../../src/plan/build-plan.ts';
import type { Change, FieldChange } from '../../src/model/plan.ts';

const GRANTS: GrantField[] = [{ path: 'proxies' }, { path: 'environments' }, { path: 'services' }];

test('an update that removes a grant element narrows; adding or reordering does not', () => {
  assert.match(grantReasons([{ path: 'environments', before: ['prod', 'test'], after: ['prod'] }], GRANTS)[0]!, 'removes environments "test"');
  assert.equal(grantReasons([{ path: 'environments', before: ['prod'], after: ['prod', 'test'] }], GRANTS), []);
  assert.equal(grantReasons([{ path: 'proxies', after: ['a'] }], GRANTS), []);
  assert.match(grantReasons([{ path: 'proxies', before: ['a', 'b'] }], GRANTS)[0]!, 'proxies "a", "b"');
  assert.equal(grantReasons([{ path: 'description', before: 'a', after: 'b' }], GRANTS), []);
  assert.equal(grantReasons([{ path: 'scopes', before: ['a'], after: [] }], GRANTS), [], 'not a grant field');
});

test('a changed element counts as removed: its consumers lose what it granted', () => {
  const before = [{ gatewayGroup: 'production', service: 'payments', hosts: [] }];
  const after = [{ gatewayGroup: 'production', service: 'payments', hosts: ['pay.example.com'] }];
  assert.is(grantReasons([{ path: 'services', before, after }], GRANTS).length, 1);
});

// Apigee: no environments = every environment, no proxies = every proxy (seed 003), no resource paths = the proxies whole (seed 004).
test('Apigee: emptying environments or proxies widens the grant, and the reason says so instead of "lose access"', () => {
  const fields: FieldChange[] = [
    { path: 'environments', before: ['prod', 'test'], after: [] },
    { path: 'proxies', before: ['orders-v2'], after: [] },
  ];
  const reasons = grantReasons(fields, APIGEE_GRANTS);
  assert.is(reasons.length, 1);
  assert.match(reasons[0]!, 'widens what the product grants');
  assert.match(reasons[0]!, 'environments (empty now: every environment; it listed "prod", "test")');
  assert.match(reasons[0]!, 'proxies (empty now: every API proxy in the organization; it listed "orders-v2")');
  assert.not.match(reasons[0]!, 'lose access');
  assert.match(grantReasons([{ path: 'resources', before: ['/orders/**'], after: [] }], APIGEE_GRANTS)[0]!, 'every path of its proxies');
});

test('Apigee: a first environment or proxy narrows a list that granted everything', () => {
  const [reason] = grantReasons([{ path: 'environments', before: [], after: ['test'] }], APIGEE_GRANTS);
  assert.match(reason!, 'removes environments other than "test" (it was empty: every environment)');
  assert.match(reason!, 'lose access');
  // Only where an empty list grants everything: a first operation adds a grant.
  assert.equal(grantReasons([{ path: 'operations', before: [], after: [{ apiSource: 'a', resource: '/x' }] }], APIGEE_GRANTS), []);
  assert.match(grantReasons([{ path: 'operations', before: [{ apiSource: 'a', resource: '/x' }], after: [] }], APIGEE_GRANTS)[0]!, 'removes operations');
});

test('Apigee: a narrowing and a widening in one update give both reasons', () => {
  const reasons = grantReasons([
    { path: 'environments', before: ['prod'], after: [] },
    { path: 'proxies', before: ['a', 'b'], after: ['a'] },
  ], APIGEE_GRANTS);
  assert.is(reasons.length, 2);
  assert.match(reasons[0]!, 'removes proxies "b"');
  assert.match(reasons[1]!, 'environments (empty now: every environment');
});

test('Apigee: the developer apps of a widened product are affected, not narrowed', () => {
  const update = (fields: FieldChange[]): Change => ({ action: 'update', fields } as unknown as Change);
  assert.ok(narrowsGrant(update([{ path: 'proxies', before: ['a', 'b'], after: ['a'] }])));
  assert.ok(narrowsGrant(update([{ path: 'environments', before: [], after: ['prod'] }])));
  assert.not.ok(narrowsGrant(update([{ path: 'environments', before: ['prod'], after: [] }])));
  assert.not.ok(narrowsGrant(update([{ path: 'description', before: 'a', after: 'b' }])));
});

test('the plan makes a narrowing or widening update high risk with its reason; without grant fields it stays low', () => {
  const target = (grantFields?: GrantField[], state?: Record<string, unknown>) => ({
    name: 't',
    provider: 'api7',
    identity: { url: 'sandbox://t' },
    observedAt: '2026-11-25T09:00:00.000Z',
    desired: [desired('payments', 'published', state ?? { services: [] })],
    live: [live('payments', 'published')],
    lockedWhilePublished: [],
    unpublishConsequence: '',
    ignore: [],
    ...(grantFields ? { grantFields } : {}),
  });
  const plan = (grantFields?: GrantField[], state?: Record<string, unknown>) =>
    buildPlan({ targets: [target(grantFields, state)], prune: false, tool: { name: 'apiproducts', version: '0' }, createdAt: '', configDigest: '', diagnostics: [] });
  const [narrowed] = plan([{ path: 'services' }]).changes;
  assert.is(narrowed!.risk, 'high');
  assert.match(narrowed!.reasons[0]!, 'the update removes services');
  assert.is(plan().changes[0]!.risk, 'low');
  const [widened] = plan([{ path: 'services', emptyGrants: 'every service' }]).changes;
  assert.is(widened!.risk, 'high');
  assert.match(widened!.reasons[0]!, 'widens what the product grants: services (empty now: every service');
});

test.run();
