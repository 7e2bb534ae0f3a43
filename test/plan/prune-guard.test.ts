/** Pruning a target Git binds nothing to would delete everything apiproducts manages there: refused. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { desired, live, planFor } from '../fixtures/plan-cases.ts';

test('prune with no product bound to the target is an error, and no delete is planned', () => {
  const plan = planFor([], [live('orders', 'published'), live('payments', 'draft'), live('legacy', 'published', {}, false)], true);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => [d.rule, d.message]), [
    ['plan/prune-everything', 'pruning would delete all 2 products apiproducts manages on sandbox-api7, because no product in Git is bound to it'],
  ]);
});

test('prune with one product left in Git deletes the others as before; without prune, nothing is refused', () => {
  const pruned = planFor([desired('orders', 'published')], [live('orders', 'published'), live('payments', 'draft')], true);
  assert.equal(pruned.diagnostics, []);
  assert.equal(pruned.changes.map((c) => c.id), ['sandbox-api7/payments/delete']);
  const kept = planFor([], [live('orders', 'published')], false);
  assert.equal(kept.diagnostics, []);
  assert.equal(kept.targets[0]!.orphaned, ['orders']);
  assert.equal(planFor([], [live('legacy', 'published', {}, false)], true).diagnostics, [], 'nothing of ours to delete');
});

test.run();
