import { realClock, type FaultClock } from '../../src/sandbox/fault-options.ts';

/** 2026-01-01T00:00:00Z: a fixed start, so that HTTP-dates in answers are the same on every run. */
export const CLOCK_START = Date.UTC(2026, 0, 1);

export interface ManualClock extends FaultClock {
  /** Moves time on by `ms`, wakes every sleep that is due, and lets their answers go out. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet due: a test can wait for a request to reach its latency before advancing. */
  readonly sleeping: number;
}

/** Time that moves only when the test says so: token buckets and latency without a wall clock. */
export function manualClock(start = CLOCK_START): ManualClock {
  let now = start;
  let waiters: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        const waiter = { at: now + ms, wake: resolve };
        waiters.push(waiter);
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    async advance(ms) {
      now += ms;
      const due = waiters.filter((w) => w.at <= now);
      waiters = waiters.filter((w) => w.at > now);
      for (const waiter of due) waiter.wake();
      // One turn of the event loop: the woken handlers write their answers.
      await new Promise((resolve) => setImmediate(resolve));
    },
    get sleeping() {
      return waiters.length;
    },
  };
}

/**
 * Time that moves `stepMs` each time the fault layer reads it, i.e. with the requests: a rate
 * limit then refuses the same requests however fast or slow the machine is. Sleeps are real (the
 * client's own timeouts are), so latency and slow answers still cost their time.
 */
export function tickingClock(stepMs: number, start = CLOCK_START): FaultClock {
  let now = start;
  return { now: () => (now += stepMs), sleep: realClock.sleep };
}

/** Resolves once `check()` holds, looking after every turn of the event loop (no time budget). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}
