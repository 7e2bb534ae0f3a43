/**
 * Issue 15 item 3: two live objects apiproducts owns under one key (API7 names are not unique, so
 * two concurrent applies create a product twice) are a plan error, never an orphan; with pruning
 * on, identical newer copies are deleted by their exact id and the oldest is kept.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LiveObject } from '../../src/model/objects.ts';
import { matchObjects } from '../../src/diff/match.ts';
import { findStaleObjects } from '../../src/plan/stale.ts';
import { desired, live, planFor } from '../fixtures/plan-cases.ts';

/** An owned copy of `key` with its own provider id and creation time. */
function copy(key: string, id: string, createdAt: string | undefined, overrides: Record<string, unknown> = {}, status: 'published' | 'draft' = 'published'): LiveObject {
  return { ...live(key, status, overrides), ref: { id }, ...(createdAt ? { createdAt } : {}) };
}

const JAN = (day: number) => `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const errors = (plan: ReturnType<typeof planFor>) => plan.diagnostics.filter((d) => d.severity === 'error');

test('two identical owned copies without pruning: one plan/duplicate error naming both ids, no orphan, no change', () => {
  const plan = planFor([desired('payments', 'published')], [copy('payments', 'p-new', JAN(2)), copy('payments', 'p-old', JAN(1))]);
  assert.equal(plan.changes, []);
  assert.equal(plan.targets[0]!.orphaned, []);
  const [error, ...rest] = errors(plan);
  assert.equal(rest, []);
  assert.is(error!.rule, 'plan/duplicate');
  assert.is(error!.product, 'payments');
  assert.is(error!.target, 'sandbox-api7');
  assert.equal(error!.source, { file: 'products/payments.yaml', line: 2, column: 1 });
  assert.is(
    error!.message,
    'duplicate of payments: target sandbox-api7 has 2 products apiproducts owns as "payments" (ids p-old, p-new); p-old is the oldest; the copies are identical',
  );
  assert.match(error!.fix!, 'with --prune to delete the newer copy (p-new) and keep p-old');
});

test('with pruning, the newer identical copy is deleted by its id, high risk; the oldest keeps Git\'s changes', () => {
  const plan = planFor([desired('payments', 'published', { description: 'New words.' })], [copy('payments', 'p-old', JAN(1)), copy('payments', 'p-new', JAN(2))], true);
  assert.equal(errors(plan), []);
  assert.equal(plan.changes.map((c) => [c.id, c.action, c.ref]), [
    ['sandbox-api7/payments/delete@p-new', 'delete', { id: 'p-new' }],
    ['sandbox-api7/payments/update', 'update', { id: 'p-old' }],
  ]);
  const [remove, update] = plan.changes;
  assert.is(remove!.risk, 'high');
  assert.is(remove!.protected, false, 'the product itself stays');
  assert.equal(remove!.duplicate, { kept: 'p-old', order: 'created' });
  assert.match(remove!.reasons[0]!, 'a newer copy of payments, identical to the oldest, p-old, which is kept');
  assert.equal(update!.fields.map((f) => f.path), ['description']);
  assert.is(update!.duplicate, undefined);
});

test('copies that differ stay an error even with pruning, naming each differing field with both values', () => {
  const plan = planFor(
    [desired('payments', 'published')],
    [copy('payments', 'p-old', JAN(1)), copy('payments', 'p-new', JAN(2), { description: 'Edited copy.' }, 'draft')],
    true,
  );
  assert.equal(plan.changes, []);
  const [error] = errors(plan);
  assert.is(error!.rule, 'plan/duplicate');
  assert.match(error!.message, '(ids p-old, p-new); p-old is the oldest; they differ: p-new has status "draft" (kept: "published"), description "Edited copy." (kept: "Accept card payments.")');
  assert.match(error!.fix!, '--prune deletes only identical copies');
});

test('three copies: both newer ones are deleted, each with its own id, oldest first by creation time', () => {
  const plan = planFor([desired('payments', 'published')], [copy('payments', 'a', JAN(3)), copy('payments', 'b', JAN(1)), copy('payments', 'c', JAN(2))], true);
  assert.equal(plan.changes.map((c) => c.id), ['sandbox-api7/payments/delete@a', 'sandbox-api7/payments/delete@c']);
  assert.ok(plan.changes.every((c) => c.duplicate?.kept === 'b'));
  const unpruned = planFor([desired('payments', 'published')], [copy('payments', 'a', JAN(3)), copy('payments', 'b', JAN(1)), copy('payments', 'c', JAN(2))]);
  assert.match(errors(unpruned)[0]!.message, 'has 3 products apiproducts owns as "payments" (ids b, c, a)');
});

test('without a creation time for every copy the lowest id is kept, and the plan says why', () => {
  const plan = planFor([desired('payments', 'published')], [copy('payments', 'p-2', JAN(1)), copy('payments', 'p-1', undefined)], true);
  assert.equal(plan.changes.map((c) => [c.id, c.duplicate]), [['sandbox-api7/payments/delete@p-2', { kept: 'p-1', order: 'id' }]]);
  assert.match(plan.changes[0]!.reasons[0]!, 'no creation time tells them apart and its id is the lowest');
  const tie = planFor([desired('payments', 'published')], [copy('payments', 'p-2', JAN(1)), copy('payments', 'p-1', JAN(1))]);
  assert.match(errors(tie)[0]!.message, 'no creation time tells them apart (missing or equal), so p-1, the lowest id, counts as the oldest');
});

test('an owned product no longer in Git, twice: pruning deletes both, the oldest under its usual id', () => {
  const plan = planFor([], [copy('retired', 'r-new', JAN(2)), copy('retired', 'r-old', JAN(1))], true);
  assert.equal(plan.changes.map((c) => [c.id, c.ref?.id]), [
    ['sandbox-api7/retired/delete', 'r-old'],
    ['sandbox-api7/retired/delete@r-new', 'r-new'],
  ]);
  const unpruned = planFor([], [copy('retired', 'r-new', JAN(2)), copy('retired', 'r-old', JAN(1))]);
  assert.equal(unpruned.targets[0]!.orphaned, ['retired']);
  assert.is(errors(unpruned)[0]!.rule, 'plan/duplicate');
});

test('an unowned and an owned object under one key are no duplicate: the owned one is Git\'s, the other counted', () => {
  for (const order of [[true, false], [false, true]]) {
    const objects = order.map((owned) => ({ ...live('payments', 'published', {}, owned), ref: { id: owned ? 'ours' : 'theirs' } }));
    const pairs = matchObjects([desired('payments', 'published')], objects);
    assert.equal(pairs.map((p) => [p.kind, 'live' in p ? p.live.ref.id : undefined]).sort(), [['existing', 'ours'], ['unmanaged', 'theirs']]);
    const plan = planFor([desired('payments', 'published')], objects, true);
    assert.equal([plan.changes, plan.diagnostics, plan.targets[0]!.unmanaged], [[], [], 1]);
  }
});

test('a saved duplicate delete is checked against its own copy, not the kept one under the same key', () => {
  const objects = [copy('payments', 'p-old', JAN(1)), copy('payments', 'p-new', JAN(2))];
  const plan = planFor([desired('payments', 'published', { description: 'x' })], objects, true);
  const onTarget = (...live: LiveObject[]) => new Map([['sandbox-api7', live]]);
  assert.equal(findStaleObjects(plan.changes, onTarget(...objects)), []);
  assert.equal(findStaleObjects(plan.changes, onTarget(objects[0]!)).map((s) => [s.key, s.what]), [['payments', '(copy p-new) existed when planned and is now gone']]);
  const edited = copy('payments', 'p-new', JAN(2), { visibility: 'logged-in' });
  assert.equal(findStaleObjects(plan.changes, onTarget(objects[0]!, edited)).map((s) => [s.what, s.fields]), [
    ['(copy p-new) changed since the plan was made', [{ path: 'visibility', before: 'public', after: 'logged-in' }]],
  ]);
  // The update addresses the kept copy: a change to it is stale whatever its duplicate looks like.
  const keptEdited = copy('payments', 'p-old', JAN(1), { visibility: 'logged-in' });
  assert.equal(findStaleObjects(plan.changes, onTarget(keptEdited, objects[1]!)).map((s) => s.what), ['changed since the plan was made']);
});

test.run();
