import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.ts';
import type { ApplyingTarget } from '../../src/apply/apply-plan.ts';
import { tallyTries, withRetry } from '../../src/providers/transport/retry.ts';
import { Traffic } from '../../src/providers/transport/traffic.ts';
import { sendWithRetry } from '../../src/providers/transport/uncertain-writes.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { desired, planFor } from '../fixtures/plan-cases.ts';

/** Acquires `n` slots without waiting; returns how many were granted at once. */
async function grantedAtOnce(traffic: Traffic, n: number) {
  const tickets: Awaited<ReturnType<Traffic['acquire']>>[] = [];
  const pending = Array.from({ length: n }, () => traffic.acquire().then((t) => void tickets.push(t)));
  await new Promise((resolve) => setImmediate(resolve));
  return { count: tickets.length, tickets, pending };
}

test('slow start: 2 in flight at first, one more per success, up to the ceiling', async () => {
  const traffic = new Traffic(8);
  const first = await grantedAtOnce(traffic, 20);
  assert.is(first.count, 2);
  for (let i = 0; i < 6; i++) {
    // Each release grants the next tickets once their promises settle.
    await new Promise((resolve) => setImmediate(resolve));
    traffic.release(first.tickets[i]!);
  }
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(traffic.snapshot().limit, 8);
  assert.is(first.tickets.length, 6 + 8);
});

test('a 429 halves the limit once per window, and the limit then grows by one per window of successes', async () => {
  // A second per reading of the clock: nothing was granted in the last 250 ms, so no pace is set and only the limit is tested.
  let now = 0;
  const traffic = new Traffic(8, () => (now += 1000));
  for (let i = 0; i < 6; i++) traffic.release(await traffic.acquire());
  assert.is(traffic.snapshot().limit, 8);
  const burst = await grantedAtOnce(traffic, 8);
  // Every request of the window answered 429: one halving, not eight.
  for (const ticket of burst.tickets) traffic.release(ticket, { rateLimited: true, retryAfterMs: 1000 });
  assert.equal([traffic.snapshot().limit, traffic.snapshot().lowestLimit, traffic.snapshot().rateLimited], [4, 4, 8]);
  const after = await grantedAtOnce(traffic, 4);
  traffic.release(after.tickets[0]!, { rateLimited: true });
  assert.is(traffic.snapshot().limit, 2);
  for (const ticket of after.tickets.slice(1)) traffic.release(ticket);
  // 1/2 + 1/2.5 + 1/2.9: still 3 after three successes at limit 2.
  assert.is(traffic.snapshot().limit, 3);
});

test('the gate forgets the plan: a 429 early in the apply is judged by the apply\'s own requests', async () => {
  let now = 0;
  const traffic = new Traffic(8, () => now);
  // The plan's reads, a minute before the apply.
  for (let i = 0; i < 3; i++) traffic.release(await traffic.acquire());
  now = 60_000;
  traffic.beginPhase();
  for (let i = 0; i < 10; i++) {
    const ticket = await traffic.acquire();
    now += 10;
    traffic.release(ticket);
  }
  traffic.release(await traffic.acquire(), { rateLimited: true, retryAfterMs: 1000 });
  // 10 successes in the apply's first 100 ms: 100/s granted, paced at 95/s (without beginPhase: 40/s, paced at 38/s).
  assert.is(traffic.snapshot().pacedPerSecond, 95);
});

test('a 429 paces the starts at 95% of what the server granted in the last 250 ms, then probes higher', async () => {
  let now = 0;
  const traffic = new Traffic(8, () => now);
  for (let i = 0; i < 20; i++) {
    const ticket = await traffic.acquire();
    now += 10;
    traffic.release(ticket);
  }
  assert.is(traffic.snapshot().pacedPerSecond, undefined, 'no pace before a 429');
  traffic.release(await traffic.acquire(), { rateLimited: true, retryAfterMs: 1000 });
  // 20 successes from 10 ms to 200 ms since the first request: 100/s granted, paced at 95/s.
  assert.is(traffic.snapshot().pacedPerSecond, 95);
  assert.is(traffic.snapshot().limit, 4);
  const pair = await grantedAtOnce(traffic, 2);
  assert.is(pair.count, 1, 'the second start waits 1/95 s');
  now += 12;
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.is(pair.tickets.length, 2, 'and then starts');
  for (const ticket of pair.tickets) traffic.release(ticket);
  assert.ok(traffic.snapshot().pacedPerSecond! > 95, 'successes probe a higher rate');
});

/** A gate on a simulated clock whose timers move the clock: one request at a time, answered after `latencyMs`. */
function clockedGate() {
  const clock = { now: 0 };
  const traffic = new Traffic(8, () => clock.now, (run, ms) => {
    clock.now += ms;
    setImmediate(run);
  });
  const succeedFor = async (ms: number, latencyMs = 10) => {
    let count = 0;
    for (const end = clock.now + ms; clock.now < end; count++) {
      const ticket = await traffic.acquire();
      clock.now += latencyMs;
      traffic.release(ticket);
    }
    return count;
  };
  const refuse = async () => traffic.release(await traffic.acquire(), { rateLimited: true, retryAfterMs: 1000 });
  const paced = () => traffic.snapshot().pacedPerSecond!;
  return { clock, succeedFor, refuse, paced };
}

test('two refusals 500 ms apart measure the server\'s rate: paced at 97 % of it, back to 99 % soon, held there 5 s, then probing', async () => {
  const { clock, succeedFor, refuse, paced } = clockedGate();
  await succeedFor(200);
  await refuse();
  assert.is(paced(), 95, 'the first refusal: 95 % of what the last 250 ms granted');
  const from = clock.now;
  const granted = await succeedFor(600);
  const measured = granted / ((clock.now - from) / 1000);
  assert.ok(paced() > measured, `the pace climbed past what was granted (${paced()} > ${measured.toFixed(1)})`);
  await refuse();
  assert.ok(Math.abs(paced() - measured * 0.97) <= 0.1, `paced at ${paced()}, 97 % of ${measured.toFixed(1)}`);
  await succeedFor(2000);
  const plateau = paced();
  assert.ok(plateau >= measured * 0.99 - 0.1 && plateau <= measured * 0.99 + 0.6, `${plateau} is 99 % of ${measured.toFixed(1)}`);
  await succeedFor(2500);
  assert.is(paced(), plateau, 'held at the plateau');
  await succeedFor(5000);
  assert.ok(paced() > plateau + 1, `probing past the plateau after 5 s (${paced()})`);
});

test('a measure far under the pace (the bucket refilled past its size meanwhile) is not trusted: the last 250 ms decide', async () => {
  const { clock, succeedFor, refuse, paced } = clockedGate();
  await succeedFor(200);
  await refuse();
  // Idle for most of a second, then 250 ms at the server's pace: the interval says 25/s, the window 100/s.
  clock.now += 750;
  await succeedFor(250);
  await refuse();
  assert.ok(paced() >= 85 && paced() <= 95, `paced at ${paced()}/s, not under 30`);
  const before = paced();
  await succeedFor(1000);
  assert.ok(paced() > before * 1.2, `no plateau: the pace climbs fast to measure again (${before} → ${paced()})`);
});

test('the gate never stalls when the pace ends between two readings of the clock', async () => {
  let now = 0;
  const script: number[] = []; // readings to return before `now`
  const traffic = new Traffic(1, () => script.shift() ?? now);
  for (let i = 0; i < 20; i++) {
    const ticket = await traffic.acquire();
    now += 10;
    traffic.release(ticket);
  }
  traffic.release(await traffic.acquire(), { rateLimited: true });
  assert.is(traffic.snapshot().pacedPerSecond, 95);
  const first = await traffic.acquire(); // at 200 ms: the next start may come at 211.1 ms, a timer wakes the gate then
  const second = traffic.acquire();
  now = 205;
  traffic.release(first);
  // The timer finds it too early at 211 ms, and the wait left is measured at 212 ms: already over.
  script.push(211, 212);
  now = 212;
  const started = await Promise.race([second, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 500))]);
  assert.ok(started, 'the waiting request never started');
});

test('at one request in flight, a 429 with Retry-After pauses every request that long', async () => {
  let now = 1000;
  const traffic = new Traffic(1, () => now);
  const ticket = await traffic.acquire();
  traffic.release(ticket, { rateLimited: true, retryAfterMs: 60 });
  let granted = false;
  const next = traffic.acquire().then(() => (granted = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.not.ok(granted, 'paused');
  now += 60;
  await next;
  assert.ok(granted);
});

test('the executor reports per target: requests, retries, waits, 429s, concurrency; a dry run reports none', async () => {
  const traffic = new Traffic(8);
  let calls = 0;
  const sleeps: number[] = [];
  const layer = { policy: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 }, sleep: async (ms: number) => void sleeps.push(ms), onWait: (ms: number) => traffic.noteRetry(ms) };
  // Each change is one PUT through the transport's retry layer; the first two answers are 429s.
  const send = async (): Promise<void> => {
    const ticket = await traffic.acquire();
    calls++;
    if (calls <= 2) {
      traffic.release(ticket, { rateLimited: true, retryAfterMs: 0 });
      throw new ProviderError('HTTP 429', 429, true, 0);
    }
    traffic.release(ticket);
  };
  const provider: ApplyingTarget = {
    apply: () => tallyTries(() => sendWithRetry('PUT', send, {}, layer)),
    traffic,
  };
  const plan = planFor([desired('a', 'published'), desired('b', 'published')], []);
  const report = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 4, dryRun: false, allowDestructive: false });
  assert.equal(report.results.map((r) => r.outcome), ['applied', 'applied']);
  assert.equal(report.traffic, [{ target: 'sandbox-api7', requests: 4, retries: 2, waitMs: Math.round(sleeps[0]!) + Math.round(sleeps[1]!), rateLimited: 2, concurrency: { configured: 4, lowest: 1 } }]);
  // The changes that waited report it: jittered backoffs, rounded per change (either may round to 0 ms).
  const waited = report.results.filter((r) => r.waitMs !== undefined);
  assert.ok(waited.length > 0);
  const total = sleeps.reduce((sum, ms) => sum + ms, 0);
  assert.ok(Math.abs(waited.reduce((sum, r) => sum + r.waitMs!, 0) - total) <= waited.length, 'the per-change waits add up to the waits');
  const dry = await applyPlan(plan, new Map([['sandbox-api7', provider]]), { concurrency: 4, dryRun: true, allowDestructive: false });
  assert.is(dry.traffic, undefined);
});

test('429s do not use up the attempts for failures; a Retry-After beyond the cap is not waited for', async () => {
  const noWait = async () => undefined;
  let calls = 0;
  const throttled = await withRetry(async () => {
    calls++;
    if (calls <= 6) throw new ProviderError('HTTP 429', 429, true, 1);
    return 'ok';
  }, { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 }, noWait);
  assert.equal([throttled.value, throttled.attempts, throttled.waitedMs], ['ok', 7, 6000]);
  const failing = await withRetry(async () => {
    throw new ProviderError('HTTP 503', 503, true);
  }, { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 }, noWait);
  assert.is(failing.attempts, 2);
  const tooLong = await withRetry(async () => {
    throw new ProviderError('HTTP 429', 429, true, 3600);
  }, { attempts: 5, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 60_000 }, noWait);
  assert.equal([tooLong.attempts, tooLong.waitedMs], [1, 0]);
  const capped = await withRetry(async () => {
    throw new ProviderError('HTTP 429', 429, true);
  }, { attempts: 5, baseDelayMs: 0, maxDelayMs: 0, rateLimitedAttempts: 3 }, noWait);
  assert.is(capped.attempts, 3);
});

test.run();
