/**
 * The pure part of issue 19 items 4 and 5: how the plan treats another owner's live objects and the
 * protection recorded in the live marker, and how every format shows it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LiveObject } from '../../src/model/objects.ts';
import { isOurs } from '../../src/model/objects.ts';
import { serialisePlanFile } from '../../src/plan/plan-file.ts';
import { protectedOnPortal } from '../../src/plan/stale.ts';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.ts';
import { renderPlanText } from '../../src/render/plan-text.ts';
import { plainStyle } from '../../src/render/style.ts';
import { desired, live, planFor } from '../fixtures/plan-cases.ts';
import { repoRoot } from '../helpers/project.ts';

const theirs = (key: string, owner: string): LiveObject => ({ ...live(key, 'published', {}, false), managedBy: owner, product: key });
const planSchema = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'plan.schema.json'), 'utf8')));

test('"ours" is the marker owner equal to the configured one, no owner on both sides included', () => {
  assert.ok(isOurs(undefined, undefined));
  assert.ok(isOurs('team-a', 'team-a'));
  assert.not.ok(isOurs(undefined, 'team-a'));
  assert.not.ok(isOurs('team-a', undefined));
  assert.not.ok(isOurs('team-b', 'team-a'));
});

test("another owner's products are counted by owner, never planned, not even pruned", () => {
  const plan = planFor([desired('orders', 'published')], [live('orders', 'published'), theirs('billing', 'team-b'), theirs('legacy', ''), live('old', 'draft', {}, false)], true);
  assert.equal(plan.changes, []);
  assert.equal(plan.targets[0]!.managedByOthers, { '': 1, 'team-b': 1 });
  assert.is(plan.targets[0]!.unmanaged, 1);
  assert.ok(planSchema(JSON.parse(serialisePlanFile(plan))), 'the plan file with managedByOthers is valid');
  const text = renderPlanText(plan, plainStyle);
  assert.match(text, '1 product on sandbox-api7 managed by owner team-b left alone');
  assert.match(text, "managed by a configuration without owner: left alone (another configuration's; `apiproducts import --adopt-from ''` takes them over)");
  assert.match(renderPlanMarkdown(plan), 'sandbox-api7: 1 product managed by owner team-b, left alone');
});

test('without another owner, the plan has no managedByOthers (plans and goldens stay as they were)', () => {
  const plan = planFor([desired('orders', 'published')], [live('orders', 'published')]);
  assert.not.ok('managedByOthers' in plan.targets[0]!);
});

test("a Git product on another owner's key is plan/owner-collision; adopt: true does not take it, adoptFrom naming the owner does", () => {
  const collision = planFor([desired('billing', 'published')], [theirs('billing', 'team-b')]);
  assert.equal(collision.changes, []);
  assert.equal(collision.diagnostics.map((d) => [d.rule, d.source?.file, d.product]), [['plan/owner-collision', 'products/billing.yaml', 'billing']]);
  assert.match(collision.diagnostics[0]!.fix!, '--adopt-from team-b');
  const adopt = planFor([{ ...desired('billing', 'published'), adopt: true }], [theirs('billing', 'team-b')]);
  assert.equal(adopt.diagnostics.map((d) => d.rule), ['plan/owner-collision']);
  const wrongOwner = planFor([{ ...desired('billing', 'published'), adoptFrom: 'team-c' }], [theirs('billing', 'team-b')]);
  assert.equal(wrongOwner.diagnostics.map((d) => d.rule), ['plan/owner-collision']);
  const moved = planFor([{ ...desired('billing', 'published'), adoptFrom: 'team-b' }], [theirs('billing', 'team-b')]);
  assert.equal(moved.diagnostics, []);
  assert.equal(moved.changes.map((c) => [c.action, c.adopts, c.adoptsFrom, c.fields]), [
    ['update', true, 'team-b', [{ path: 'ownership', before: 'apiproducts (owner team-b)', after: 'apiproducts' }]],
  ]);
  assert.ok(planSchema(JSON.parse(serialisePlanFile(moved))), 'adoptsFrom is in the plan schema');
});

test('protected is a pseudo-field: Git against the live marker, shown as an update, never part of state', () => {
  const protect = planFor([desired('orders', 'published', {}, true)], [live('orders', 'published')]);
  assert.equal(protect.changes.map((c) => [c.action, c.fields, c.protected]), [['update', [{ path: 'protected', before: false, after: true }], true]]);
  assert.not.ok('protected' in protect.changes[0]!.after!.state);
  const lift = planFor([desired('orders', 'published')], [{ ...live('orders', 'published'), protected: true }]);
  assert.equal(lift.changes.map((c) => [c.action, c.fields]), [['update', [{ path: 'protected', before: true, after: false }]]]);
  assert.equal(planFor([desired('orders', 'published', {}, true)], [{ ...live('orders', 'published'), protected: true }]).changes, []);
});

test('the live marker protects a product whose file is gone, and one that Git no longer protects, until that is applied', () => {
  const orphan = planFor([desired('orders', 'published')], [live('orders', 'published'), { ...live('retired', 'published'), protected: true }], true);
  assert.equal(orphan.changes.map((c) => [c.id, c.protected]), [['sandbox-api7/retired/delete', true]]);
  assert.match(renderPlanText(orphan, plainStyle), '! sandbox-api7/retired: delete (protected: refused until a change setting `protected: false` has been applied)');
  // Unprotected and unpublished in one commit: the unpublish would be refused, so protection comes off alone first.
  const unpublish = planFor([desired('orders', 'draft')], [{ ...live('orders', 'published'), protected: true }]);
  assert.equal(unpublish.changes.map((c) => [c.action, c.protected, c.fields.map((f) => f.path), c.after?.status]), [['update', false, ['protected'], 'published']]);
  assert.equal(unpublish.diagnostics.map((d) => d.rule), ['plan/unprotect-first']);
  const next = planFor([desired('orders', 'draft')], [live('orders', 'published')]);
  assert.equal(next.changes.map((c) => c.action), ['unpublish']);
});

test('protectedOnPortal names the removals whose live object is marked protected now, whatever the plan says', () => {
  const plan = planFor([desired('orders', 'draft')], [live('orders', 'published'), live('retired', 'published'), live('gone', 'draft')], true);
  assert.equal(plan.changes.map((c) => [c.id, c.protected]), [['sandbox-api7/gone/delete', false], ['sandbox-api7/retired/delete', false], ['sandbox-api7/orders/unpublish', false]]);
  const now = new Map([['sandbox-api7', [{ ...live('orders', 'published'), protected: true }, { ...live('retired', 'published'), protected: true }, live('gone', 'draft')]]]);
  assert.equal([...protectedOnPortal(plan.changes, now)].sort(), ['sandbox-api7/orders/unpublish', 'sandbox-api7/retired/delete']);
});

test.run();
