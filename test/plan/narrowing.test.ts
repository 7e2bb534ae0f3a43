import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { narrowingReason } from '../../src/plan/narrowing.ts';
import { desired, live } from '../fixtures/plan-cases.ts';
import { buildPlan } from '../../src/plan/build-plan.ts';

const GRANTS = ['proxies', 'environments', 'services'];

test('an update that removes a grant element narrows; adding or reordering does not', () => {
  assert.match(narrowingReason([{ path: 'environments', before: ['prod', 'test'], after: ['prod'] }], GRANTS)!, 'removes environments "test"');
  assert.is(narrowingReason([{ path: 'environments', before: ['prod'], after: ['prod', 'test'] }], GRANTS), undefined);
  assert.is(narrowingReason([{ path: 'proxies', after: ['a'] }], GRANTS), undefined);
  assert.match(narrowingReason([{ path: 'proxies', before: ['a', 'b'] }], GRANTS)!, 'proxies "a", "b"');
  assert.is(narrowingReason([{ path: 'description', before: 'a', after: 'b' }], GRANTS), undefined);
  assert.is(narrowingReason([{ path: 'scopes', before: ['a'], after: [] }], GRANTS), undefined, 'not a grant field');
});

test('a changed element counts as removed: its consumers lose what it granted', () => {
  const before = [{ gatewayGroup: 'production', service: 'payments', hosts: [] }];
  const after = [{ gatewayGroup: 'production', service: 'payments', hosts: ['pay.example.com'] }];
  assert.ok(narrowingReason([{ path: 'services', before, after }], GRANTS));
});

test('the plan makes a narrowing update high risk with its reason; without grant fields it stays low', () => {
  const target = (grantFields?: string[]) => ({
    name: 't',
    provider: 'api7',
    identity: { url: 'sandbox://t' },
    observedAt: '2026-11-25T09:00:00.000Z',
    desired: [desired('payments', 'published', { services: [] })],
    live: [live('payments', 'published')],
    lockedWhilePublished: [],
    unpublishConsequence: '',
    ignore: [],
    ...(grantFields ? { grantFields } : {}),
  });
  const plan = (grantFields?: string[]) =>
    buildPlan({ targets: [target(grantFields)], prune: false, tool: { name: 'apiproducts', version: '0' }, createdAt: '', configDigest: '', diagnostics: [] });
  const [narrowed] = plan(['services']).changes;
  assert.is(narrowed!.risk, 'high');
  assert.match(narrowed!.reasons[0]!, 'the update removes services');
  assert.is(plan().changes[0]!.risk, 'low');
});

test.run();
