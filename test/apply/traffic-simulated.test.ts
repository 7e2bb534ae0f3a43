/**
 * The gate against a simulated token bucket on a simulated clock: the apply's shape (a pool of
 * CHANGES_PER_REQUEST_SLOT workers per request slot, each holding its place through the
 * Retry-After wait of a refused write, as withRetry does) with the server's latency, and no real
 * time spent. Deterministic: the same events in the
 * same order every run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHANGES_PER_REQUEST_SLOT } from '../../src/apply/apply-plan.ts';
import { Traffic } from '../../src/providers/transport/traffic.ts';

interface Simulated {
  /** Successes per second from the first to the last success. */
  perSecond: number;
  rateLimited: number;
  maxInFlight: number;
}

/** `writes` writes through a gate of `ceiling` against a bucket of `perSecond` (burst `burst`) answering after `latencyMs`. */
async function simulate(writes: number, ceiling: number, latencyMs: number, perSecond = 100, burst = 10, workers = ceiling * CHANGES_PER_REQUEST_SLOT): Promise<Simulated> {
  let now = 0;
  const events: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const at = (time: number, run: () => void) => {
    events.push({ at: time, seq: seq++, run });
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  };
  const traffic = new Traffic(ceiling, () => now, (run, ms) => at(now + ms, run));
  let tokens = burst;
  let refilledAt = 0;
  const take = (): boolean => {
    tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * perSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const successes: number[] = [];
  let rateLimited = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (): Promise<void> => {
    for (;;) {
      const ticket = await traffic.acquire();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const granted = take();
      const answered = await new Promise<boolean>((resolve) => at(now + latencyMs, () => resolve(granted)));
      inFlight--;
      if (answered) {
        traffic.release(ticket);
        successes.push(now);
        return;
      }
      rateLimited++;
      traffic.release(ticket, { rateLimited: true, retryAfterMs: 1000 });
      // The emulators and API7 ask for 1 s; withRetry waits that long before trying again.
      await new Promise<void>((resolve) => at(now + 1000, resolve));
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < writes) {
      next++;
      await send();
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  let finished = false;
  void done.then(() => (finished = true));
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  await turn();
  while (!finished) {
    const event = events.shift();
    if (!event) throw new Error('simulation stalled: no event pending and writes unfinished');
    now = Math.max(now, event.at);
    event.run();
    await turn();
  }
  const seconds = (successes.at(-1)! - successes[0]!) / 1000;
  return { perSecond: (successes.length - 1) / seconds, rateLimited, maxInFlight };
}

for (const latencyMs of [1, 50]) {
  for (const writes of [500, 2000]) {
    test(`${writes} writes at ${latencyMs} ms latency use ≥ 97 % of a 100 req/s bucket, with few 429s`, async () => {
      const run = await simulate(writes, 8, latencyMs);
      assert.ok(run.perSecond >= 97, `${run.perSecond.toFixed(1)} writes/s`);
      // The bucket's 10 tokens of burst come on top of 100/s over the first seconds.
      assert.ok(run.perSecond <= 102, `${run.perSecond.toFixed(1)} writes/s: faster than the bucket allows`);
      // The first wave, then about one refusal per measurement: never a storm.
      assert.ok(run.rateLimited <= 15, `${run.rateLimited} answers 429`);
    });
  }
}

test('with only one change per request slot, one wave of 429s idles the gate for a Retry-After', async () => {
  // What the pool's headroom is for: at 1 ms every slot's write is refused at once and waits 1 s.
  const run = await simulate(500, 8, 1, 100, 10, 8);
  assert.ok(run.perSecond < 90, `${run.perSecond.toFixed(1)} writes/s`);
});

test('the pace measured between two refusals holds other buckets too', async () => {
  for (const [writes, latencyMs, perSecond, burst, ceiling, least] of [
    [2000, 200, 100, 10, 32, 93],
    [1000, 50, 20, 5, 8, 97],
    [3000, 20, 50, 10, 32, 97],
    [1000, 50, 100, 1, 8, 55],
  ] as const) {
    const run = await simulate(writes, ceiling, latencyMs, perSecond, burst);
    const share = (run.perSecond / perSecond) * 100;
    assert.ok(share >= least, `${perSecond}/s bucket (burst ${burst}) at ${latencyMs} ms: ${share.toFixed(1)} %`);
    assert.ok(share <= 102, `${perSecond}/s bucket (burst ${burst}) at ${latencyMs} ms: ${share.toFixed(1)} %, faster than it allows`);
  }
});

test.run();
