import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import type { ApplyingTarget } from '../../src/apply/apply-plan.ts';
import { withRetry } from '../../src/providers/transport/retry.ts';
import { Traffic } from '../../src/providers/transport/traffic.ts';
import type { Change } from '../../src/model/plan.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { desired, live, planFor } from '../fixtures/plan-cases.ts';

/**
 * A provider double that records calls and fails the changes it is told to: the executor's
 * contract only. Each change is one request through the target's gate, as the HTTP client sends
 * it; `waitOutside` holds a change outside the gate first, as a write waiting out a Retry-After.
 */
function recordingProvider(failures: Record<string, ProviderError[]> = {}, waitOutside: (change: Change) => Promise<void> = async () => {}) {
  const calls: string[] = [];
  const traffic = new Traffic(8);
  let inFlight = 0;
  let peak = 0;
  let changesInProgress = 0;
  let peakChanges = 0;
  const provider: ApplyingTarget = {
    apply: async (change: Change) => {
      changesInProgress += 1;
      peakChanges = Math.max(peakChanges, changesInProgress);
      await waitOutside(change);
      const ticket = await traffic.acquire();
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      traffic.release(ticket);
      changesInProgress -= 1;
      calls.push(change.id);
      const next = failures[change.id]?.shift();
      return next ? { error: next, attempts: 1, waitedMs: 0 } : { attempts: 1, waitedMs: 0 };
    },
    traffic,
  };
  return { provider, calls, peak: () => peak, peakChanges: () => peakChanges };
}

test('applies every change in plan order and reports each as applied', async () => {
  const plan = planFor([desired('a', 'published'), desired('b', 'published', { description: 'new' })], [live('b', 'published')]);
  const { provider, calls } = recordingProvider();
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 4, dryRun: false, allowDestructive: false });
  assert.equal(calls, ['sandbox-api7/b/update', 'sandbox-api7/a/create']);
  assert.equal(report.results.map((r) => r.outcome), ['applied', 'applied']);
});

test('a failed step skips the steps that depend on it, and says which one blocked them', async () => {
  const plan = planFor([desired('d', 'published', { description: 'x' })], [live('d', 'draft')]);
  const { provider } = recordingProvider({ 'sandbox-api7/d/update': [new ProviderError('d: HTTP 400 from PUT: bad', 400)] });
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: false, allowDestructive: false });
  assert.equal(report.results.map((r) => [r.outcome, r.message]), [
    ['failed', 'd: HTTP 400 from PUT: bad'],
    ['skipped', 'skipped because sandbox-api7/d/update did not apply'],
  ]);
});

test('a change waits for a dependency of its own phase, even one after it in plan order and with one change at a time', async () => {
  const plan = planFor(
    [desired('a', 'published', { description: 'new a' }), desired('b', 'published', { description: 'new b' }), desired('c', 'published', { description: 'new c' })],
    [live('a', 'published'), live('b', 'published'), live('c', 'published')],
  );
  const [a, b, c] = plan.changes;
  assert.equal([a!.id, b!.id, c!.id], ['sandbox-api7/a/update', 'sandbox-api7/b/update', 'sandbox-api7/c/update']);
  a!.dependsOn.push(c!.id); // a waits for c (an API7 update freeing a service a takes)
  const { provider, calls } = recordingProvider();
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 1, dryRun: false, allowDestructive: false });
  assert.ok(calls.indexOf(c!.id) < calls.indexOf(a!.id), calls.join(', '));
  assert.equal(report.results.map((r) => r.outcome), ['applied', 'applied', 'applied']);
  // A failed dependency of the same phase skips its dependent, as one of an earlier phase does.
  const failing = recordingProvider({ [c!.id]: [new ProviderError('c: HTTP 400 from PUT: bad', 400)] });
  const failed = await applyPlan(plan, new Map([['sandbox-api7', failing.provider]]), { concurrency: 2, dryRun: false, allowDestructive: false });
  assert.equal(failed.results.map((r) => [r.changeId, r.outcome]), [[a!.id, 'skipped'], [b!.id, 'applied'], [c!.id, 'failed']]);
  assert.not.ok(failing.calls.includes(a!.id));
  // A cycle in a plan file never hangs: neither of its changes can go first, so both are skipped.
  c!.dependsOn.push(a!.id);
  const cycle = await applyPlan(plan, new Map([['sandbox-api7', recordingProvider().provider]]), { concurrency: 1, dryRun: false, allowDestructive: false });
  assert.equal(cycle.results.map((r) => [r.changeId, r.outcome]), [[a!.id, 'skipped'], [b!.id, 'applied'], [c!.id, 'skipped']]);
});

test('high-risk changes are skipped without --allow-destructive and protected ones even with it', async () => {
  // p's protection is on the portal already (its marker), so unpublishing it is the only change.
  const plan = planFor([desired('p', 'draft', {}, true), desired('q', 'draft')], [{ ...live('p', 'published'), protected: true }, live('q', 'published')]);
  const { provider, calls } = recordingProvider();
  const cautious = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: false, allowDestructive: false });
  assert.equal(cautious.results.map((r) => r.outcome), ['skipped', 'skipped']);
  assert.equal(calls, []);
  const destructive = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: false, allowDestructive: true });
  assert.equal(destructive.results.map((r) => [r.key, r.outcome]), [['p', 'skipped'], ['q', 'applied']]);
  assert.match(destructive.results[0]!.message!, /protected/);
});

test('a dry run writes nothing and reports what would apply', async () => {
  const plan = planFor([desired('d', 'published', { description: 'x' })], [live('d', 'draft')]);
  const { provider, calls } = recordingProvider();
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: true, allowDestructive: false });
  assert.equal(calls, []);
  assert.equal(report.results.map((r) => r.outcome), ['would-apply', 'would-apply']);
});

test('the executor runs each change once and reports the tries its requests took', async () => {
  const plan = planFor([desired('a', 'published'), desired('b', 'published')], []);
  const calls: string[] = [];
  const provider: ApplyingTarget = {
    apply: async (change) => {
      calls.push(change.id);
      return change.key === 'a' ? { attempts: 3, waitedMs: 1250.4 } : { error: new ProviderError('HTTP 409', 409), attempts: 1, waitedMs: 0 };
    },
    traffic: new Traffic(8),
  };
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: false, allowDestructive: false });
  assert.equal(calls.sort(), ['sandbox-api7/a/create', 'sandbox-api7/b/create']);
  assert.equal(report.results.map((r) => [r.key, r.outcome, r.attempts, r.waitMs]), [['a', 'applied', 3, 1250], ['b', 'failed', 1, undefined]]);
});

test('requests in flight never exceed the configured concurrency, though more changes are in progress', async () => {
  const many = Array.from({ length: 40 }, (_, i) => desired(`p${i}`, 'published'));
  const { provider, peak, peakChanges } = recordingProvider();
  await applyPlan(planFor(many, []), new Map([['sandbox-api7', provider]]), { concurrency: 3, dryRun: false, allowDestructive: false });
  assert.is(peak(), 3);
  assert.is(peakChanges(), 12);
});

test('changes waiting out a Retry-After leave the gate busy with the others', async () => {
  const many = Array.from({ length: 20 }, (_, i) => desired(`p${i}`, 'published'));
  // The first wave of writes is refused and waits; the gate must still have changes to send meanwhile.
  let release: () => void = () => {};
  const refused = new Promise<void>((resolve) => (release = resolve));
  const waiting = new Set<string>();
  // The two changes started after the first create (which runs alone) are refused and wait.
  let started = 0;
  const waitOutside = (change: Change) => (++started === 2 || started === 3 ? (waiting.add(change.id), refused) : Promise.resolve());
  const { provider, calls } = recordingProvider({}, waitOutside);
  const applied = applyPlan(planFor(many, []), new Map([['sandbox-api7', provider]]), { concurrency: 2, dryRun: false, allowDestructive: false });
  for (let turn = 0; turn < 1000 && calls.length < 18; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.is(calls.length, 18, 'the other changes went on while two waited');
  assert.ok(!calls.some((id) => waiting.has(id)), 'the waiting changes are still waiting');
  release();
  const report = await applied;
  assert.is(report.results.filter((r) => r.outcome === 'applied').length, 20);
});

test('backoff honours Retry-After when it is longer than the jittered delay', async () => {
  const waits: number[] = [];
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls += 1;
      if (calls === 1) throw new ProviderError('HTTP 429', 429, true, 2);
      return 'ok';
    },
    { attempts: 3, baseDelayMs: 100, maxDelayMs: 10_000 },
    async (ms) => void waits.push(ms),
    () => 0.5,
  );
  assert.equal(result, { value: 'ok', attempts: 2, waitedMs: 2000 });
  assert.equal(waits, [2000]);
});

test.run();
