import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprint } from '../../src/model/fingerprint.ts';
import { desired, live, PLAN_CASES, planFor } from '../fixtures/plan-cases.ts';

const fingerprintOf = (object: ReturnType<typeof live>) => fingerprint({ status: object.status, state: object.state });

test('a product missing on the target is created with every field and precondition absent', () => {
  const plan = PLAN_CASES['new-portal']!();
  assert.equal(plan.changes.map((c) => c.id), ['sandbox-api7/loyalty/create', 'sandbox-api7/payments/create']);
  const create = plan.changes[1]!;
  assert.equal(create.precondition, { kind: 'absent' });
  assert.equal(create.after?.status, 'published');
  assert.ok(create.fields.some((f) => f.path === 'services'));
});

test('an identical live product plans nothing; unowned ones are counted', () => {
  const plan = PLAN_CASES['no-changes']!();
  assert.equal(plan.changes, []);
  assert.is(plan.targets[0]!.unmanaged, 1);
});

test('changed fields are reported per field, labels per key; orphans are listed, not deleted', () => {
  const plan = PLAN_CASES['drifted-update']!();
  assert.equal(plan.changes.length, 1);
  const update = plan.changes[0]!;
  assert.equal(update.fields.map((f) => f.path), ['description', 'labels.owner', 'visibility']);
  assert.equal(update.fields[1], { path: 'labels.owner', before: 'bob' });
  assert.is(update.risk, 'low');
  assert.equal(update.after?.status, 'published');
  assert.equal(plan.targets[0]!.orphaned, ['retired']);
});

test('a draft with edits is updated as a draft, then published, in that order', () => {
  const plan = PLAN_CASES['publish-draft']!();
  assert.equal(plan.changes.map((c) => c.action), ['update', 'publish']);
  assert.equal(plan.changes[1]!.dependsOn, [plan.changes[0]!.id]);
  assert.is(plan.changes[0]!.after?.status, 'draft');
});

test('unpublishing is high risk and says what it does to consumers', () => {
  const [unpublish] = PLAN_CASES['unpublish-protected']!().changes;
  assert.is(unpublish?.action, 'unpublish');
  assert.is(unpublish?.risk, 'high');
  assert.is(unpublish?.protected, true);
  assert.match(unpublish?.reasons[0] ?? '', /cancels every subscription/);
});

test('an auth change on a published product becomes unpublish → update → publish, all high risk', () => {
  const plan = PLAN_CASES['auth-change-while-published']!();
  assert.equal(plan.changes.map((c) => c.action), ['unpublish', 'update', 'publish']);
  assert.ok(plan.changes.every((c) => c.risk === 'high'));
  assert.equal(plan.changes[2]!.dependsOn, ['sandbox-api7/orders/update']);
  assert.equal(plan.changes[1]!.dependsOn, ['sandbox-api7/orders/unpublish']);
  assert.is(plan.changes[1]!.after?.status, 'draft');
  assert.match(plan.changes[0]!.reasons[0]!, /^auth cannot change while published/);
});

test('a change to an unlocked field of a published product stays a single low-risk update', () => {
  const plan = planFor([desired('orders', 'published', { description: 'x' })], [live('orders', 'published')]);
  assert.equal(plan.changes.map((c) => [c.action, c.risk, c.after?.status]), [['update', 'low', 'published']]);
});

test('with pruning on, an owned product missing from Git is deleted (high risk); an unowned one never', () => {
  const plan = planFor([], [live('retired', 'published'), live('theirs', 'published', {}, false)], true);
  assert.equal(plan.changes.map((c) => c.id), ['sandbox-api7/retired/delete']);
  assert.is(plan.changes[0]!.risk, 'high');
  assert.is(plan.targets[0]!.unmanaged, 1);
});

test('a Git product colliding with an unowned live one is a plan error naming import as the fix', () => {
  const plan = planFor([desired('legacy', 'published')], [live('legacy', 'published', {}, false)]);
  assert.equal(plan.changes, []);
  assert.is(plan.diagnostics[0]?.rule, 'plan/unowned-collision');
  assert.match(plan.diagnostics[0]?.fix ?? '', /apiproducts import --target sandbox-api7 --product legacy/);
});

test('empty and absent values are the same (server defaults never show as drift)', () => {
  const plan = planFor([desired('a', 'published', { labels: {}, description: '' })], [live('a', 'published', { labels: undefined, description: undefined })]);
  assert.equal(plan.changes, []);
});

test('set-valued fields compare equal whatever the order the provider normalised them to', () => {
  const plan = planFor([desired('a', 'published', { auth: ['basic-auth', 'key-auth'] })], [live('a', 'published', { auth: ['basic-auth', 'key-auth'] })]);
  assert.equal(plan.changes, []);
});

test('changes run removals first and publishes last', () => {
  const plan = planFor(
    [desired('new', 'published'), desired('draft-me', 'draft'), desired('go-live', 'published')],
    [live('draft-me', 'published'), live('go-live', 'draft'), live('gone', 'draft')],
    true,
  );
  assert.equal(plan.changes.map((c) => c.action), ['delete', 'unpublish', 'create', 'publish']);
});

test('with adopt, an unowned product of the same key is taken over by an update that adds the marker', () => {
  const wanted = { ...desired('legacy', 'published', { description: 'Now in Git.' }), adopt: true };
  const plan = planFor([wanted], [live('legacy', 'published', {}, false)]);
  assert.equal(plan.diagnostics, []);
  assert.equal(plan.changes.map((c) => [c.action, c.risk, c.adopts]), [['update', 'low', true]]);
  assert.equal(plan.changes[0]!.fields.map((f) => f.path), ['ownership', 'description']);
  assert.is(plan.targets[0]!.unmanaged, 0);
});

test('an imported product identical to live still plans its adoption, and nothing else', () => {
  const plan = planFor([{ ...desired('legacy', 'published'), adopt: true }], [live('legacy', 'published', {}, false)]);
  assert.equal(plan.changes.map((c) => c.fields), [[{ path: 'ownership', before: 'unmanaged', after: 'apiproducts' }]]);
});

test('ignored fields keep their live value: not shown, not overwritten', () => {
  const plan = planFor(
    [desired('a', 'published', { description: 'git', labels: { team: 'x' }, visibility: 'logged-in' })],
    [live('a', 'published', { description: 'dashboard', labels: { team: 'x', owner: 'bob' } })],
    false,
    ['description', 'labels.owner'],
  );
  const [update] = plan.changes;
  assert.equal(update?.fields.map((f) => f.path), ['visibility']);
  assert.is(update?.after?.state.description, 'dashboard');
  assert.equal(update?.after?.state.labels, { team: 'x', owner: 'bob' });
});

test('ignoring nested fields leaves the desired object as Git made it', () => {
  const wanted = desired('a', 'published', { description: 'git', labels: { team: 'x', owner: 'git' }, visibility: 'logged-in' });
  const before = structuredClone(wanted.state);
  const plan = planFor([wanted], [live('a', 'published', { description: 'dashboard', labels: { team: 'x' } })], false, ['description', 'labels.owner', 'labels.team']);
  assert.equal(wanted.state, before);
  assert.equal(plan.changes[0]?.after?.state.labels, { team: 'x' });
});

test('an ignored label whose key holds a dot is that label, kept at its live value; nothing is made on the way', () => {
  const plan = planFor(
    [desired('a', 'published', { description: 'git', labels: { team: 'x', 'cost.center': 'git' } })],
    [live('a', 'published', { description: 'live', labels: { team: 'x', 'cost.center': 'finance' } })],
    false,
    ['labels.cost.center', 'labels.nothing.here'],
  );
  const [update] = plan.changes;
  assert.equal(update?.fields.map((f) => f.path), ['description']);
  assert.equal(update?.after?.state.labels, { team: 'x', 'cost.center': 'finance' });
});

test('an ignored field absent on the live object is left absent', () => {
  const plan = planFor([desired('a', 'published', { description: 'git', visibility: 'logged-in' })], [live('a', 'published', { description: undefined })], false, ['description']);
  assert.not.ok('description' in (plan.changes[0]?.after?.state ?? {}));
});

test('a live object edited since apiproducts wrote it is marked as changed outside Git', () => {
  const edited = live('a', 'published', { description: 'edited' });
  const untouched = live('b', 'published');
  const plan = planFor(
    [desired('a', 'published'), desired('b', 'published', { description: 'new in git' })],
    [{ ...edited, lastApplied: 'sha256:something-else' }, { ...untouched, lastApplied: fingerprintOf(untouched) }],
  );
  assert.equal(plan.changes.map((c) => [c.key, c.changedOutsideGit ?? false]), [['a', true], ['b', false]]);
});

test('fields a draft cannot have are not compared across a status change: publish alone, no extra update', () => {
  const { visibility: _hidden, ...draftState } = live('a', 'draft').state;
  const plan = planFor([desired('a', 'published')], [{ ...live('a', 'draft'), state: draftState }], false, [], ['visibility']);
  assert.equal(plan.changes.map((c) => c.action), ['publish']);
  assert.is(plan.changes[0]!.after?.state.visibility, 'public');
  const unpublish = planFor([{ ...desired('a', 'draft'), state: draftState }], [live('a', 'published')], false, [], ['visibility']);
  assert.equal(unpublish.changes.map((c) => c.action), ['unpublish']);
});

test.run();
