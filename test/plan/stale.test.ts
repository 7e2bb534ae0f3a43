import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findStaleObjects } from '../../src/plan/stale.ts';
import { desired, live, planFor } from '../fixtures/plan-cases.ts';

const onTarget = (...objects: ReturnType<typeof live>[]) => new Map([['sandbox-api7', objects]]);

test('nothing moved: no stale objects', () => {
  const plan = planFor([desired('a', 'published', { description: 'new' }), desired('b', 'published')], [live('a', 'published')]);
  assert.equal(findStaleObjects(plan.changes, onTarget(live('a', 'published'))), []);
});

test('a field changed by another client is reported with its before and after', () => {
  const plan = planFor([desired('a', 'published', { description: 'new' })], [live('a', 'published')]);
  const stale = findStaleObjects(plan.changes, onTarget(live('a', 'published', { visibility: 'logged-in' })));
  assert.equal(stale, [
    { target: 'sandbox-api7', key: 'a', what: 'changed since the plan was made', fields: [{ path: 'visibility', before: 'public', after: 'logged-in' }] },
  ]);
});

test('a status change is reported as a field too, once for a three-step sequence', () => {
  const plan = planFor([desired('a', 'published', { auth: ['basic-auth'] })], [live('a', 'published')]);
  assert.is(plan.changes.length, 3);
  const stale = findStaleObjects(plan.changes, onTarget(live('a', 'draft')));
  assert.equal(stale.map((s) => s.fields), [[{ path: 'status', before: 'published', after: 'draft' }]]);
});

test('an object planned as absent that now exists, owned or not, is stale', () => {
  const plan = planFor([desired('new', 'published')], []);
  assert.equal(findStaleObjects(plan.changes, onTarget(live('new', 'draft', {}, false))).map((s) => s.what), [
    'was absent when planned and now exists (not managed by apiproducts)',
  ]);
});

test('an object that disappeared or lost the ownership marker is stale', () => {
  const plan = planFor([desired('a', 'published', { description: 'x' }), desired('b', 'published', { description: 'y' })], [live('a', 'published'), live('b', 'published')]);
  const stale = findStaleObjects(plan.changes, onTarget(live('b', 'published', {}, false)));
  assert.equal(stale.map((s) => [s.key, s.what]), [
    ['a', 'existed when planned and is now gone'],
    ['b', 'no longer carries the apiproducts ownership marker'],
  ]);
});

test.run();
