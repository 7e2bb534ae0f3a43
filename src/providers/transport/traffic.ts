/**
 * What one target's management API sees from apiproducts: every HTTP request to it passes this
 * gate, which keeps the requests in flight under an adaptive limit (AIMD, like TCP congestion
 * control): it starts at 2 and grows by one per success up to the configured concurrency (slow
 * start, so that a run does not open with a burst the server refuses); a 429 halves it, and from
 * then on it grows by one per window of successes (additive increase); when it is down to one
 * request at a time, nothing was granted lately and the server still refuses, every request
 * waits as long as `Retry-After` asks. A run that meets a rate limit settles just under what the
 * server grants instead of hammering it; the counters go into the apply report.
 *
 * Concurrency alone cannot hold a fast connection under a rate limit: at 1 ms per answer, one
 * request at a time is already 500 requests/s. So a 429 also paces the starts. The first at 95%
 * of the rate granted just before (the successes of the last 250 ms), climbing fast; the next,
 * at least 500 ms later, measures the server's rate (what it granted between two moments its
 * bucket was empty), and the pace goes just under it, holds a plateau, then probes convexly:
 * TCP CUBIC's shape, which the AWS SDKs' adaptive retry mode also uses, on a measured rate.
 * Measured: 2,000 creates under a 100 requests/s bucket at 1 ms latency ran at 11% of the limit
 * with concurrency alone (each wave of 429s left every write sleeping its 1 s Retry-After), at
 * 93% paced from the window, and (simulated, test/apply/traffic-simulated.test.ts) at 99% from
 * the measured rate.
 */

import { Pace } from './pace.ts';

/** Counters since the gate was made; an apply reports the difference between two snapshots. */
export interface TrafficCounts {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests sent again after a 429, a 5xx, a timeout or a network error (reads and writes). */
  retries: number;
  /** Time spent waiting before those retries (backoff and Retry-After), ms. */
  waitMs: number;
  /** 429 answers. */
  rateLimited: number;
  /** Lowest in-flight limit reached so far. */
  lowestLimit: number;
  /** Request starts per second the gate paces to after a 429; absent while unpaced. */
  pacedPerSecond?: number;
  /** The in-flight limit now. */
  limit: number;
  /** The configured (highest) limit. */
  ceiling: number;
}

/** What one request did, for the gate to adapt. */
export interface Outcome {
  /** The server answered 429. */
  rateLimited?: boolean;
  /** How long the server asked everyone to wait (Retry-After), ms. */
  retryAfterMs?: number;
}

export interface Ticket {
  epoch: number;
  /** When the request started (the gate's clock), for the latency that sizes the in-flight floor. */
  startedAt: number;
}

/** Runs `run` after `ms`. Injected by tests that drive the gate on a simulated clock. */
export type Schedule = (run: () => void, ms: number) => void;

const realSchedule: Schedule = (run, ms) => void setTimeout(run, ms);

export const DEFAULT_CEILING = 8;
/** Requests in flight at first, before any success. */
const SLOW_START = 2;
/** Weight of the newest answer in the smoothed latency. */
const LATENCY_SMOOTHING = 0.2;
/** In flight above what the paced rate needs at the observed latency (Little's law), for jitter. */
const IN_FLIGHT_HEADROOM = 1;

export class Traffic {
  private counts = { requests: 0, retries: 0, waitMs: 0, rateLimited: 0 };
  private ceiling: number;
  private limit: number;
  /** Below it the limit grows by one per success; above it by one per window (TCP's ssthresh). */
  private threshold: number;
  private lowest: number;
  private inFlight = 0;
  /** Bumped at every decrease: 429s from requests sent before it do not halve the limit again. */
  private epoch = 0;
  private pausedUntil = 0;
  private readonly waiting: ((ticket: Ticket) => void)[] = [];
  private timerSet = false;
  /** Smoothed time from start to answer, ms; undefined before the first answer. */
  private latencyMs: number | undefined;
  private throttled = false;
  /** Request starts per second, once a 429 was seen. */
  private readonly pace = new Pace();
  private nextStartAt = 0;

  constructor(
    ceiling: number = DEFAULT_CEILING,
    private readonly clock: () => number = Date.now,
    private readonly schedule: Schedule = realSchedule,
  ) {
    this.ceiling = Math.max(1, Math.floor(ceiling));
    this.limit = Math.min(SLOW_START, this.ceiling);
    this.threshold = this.ceiling;
    this.lowest = this.ceiling;
  }

  /** The configured concurrency: the most requests ever in flight. */
  setCeiling(ceiling: number): void {
    this.ceiling = Math.max(1, Math.floor(ceiling));
    if (!this.throttled) {
      this.threshold = this.lowest = this.ceiling;
    } else {
      this.threshold = Math.min(this.threshold, this.ceiling);
      this.lowest = Math.min(this.lowest, this.ceiling);
    }
    this.limit = Math.min(this.limit, this.ceiling);
    this.pump();
  }

  /**
   * A new phase starts (apply after the plan's reads): the granted rate is measured from its own
   * requests. Otherwise a 429 early in the apply is judged against a window that began with the
   * plan, idle time included, and the writes are paced far under what the server grants.
   */
  beginPhase(): void {
    this.pace.beginPhase();
  }

  /** Waits for a free slot (and for any pause to end), then counts the request as sent. */
  acquire(): Promise<Ticket> {
    if (this.waiting.length === 0 && this.canStart()) return Promise.resolve(this.start());
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  release(ticket: Ticket, outcome: Outcome = {}): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.clock();
    const took = Math.max(0, now - ticket.startedAt);
    this.latencyMs = this.latencyMs === undefined ? took : this.latencyMs + LATENCY_SMOOTHING * (took - this.latencyMs);
    if (outcome.rateLimited) {
      this.counts.rateLimited++;
      this.throttled = true;
      const { granted, measured } = this.pace.refused(now);
      const atOne = Math.floor(this.limit) <= 1;
      if (atOne && granted === 0) {
        // One request at a time, nothing granted lately, still refused: everyone waits as long as the server asks.
        if (outcome.retryAfterMs) this.pausedUntil = Math.max(this.pausedUntil, now + outcome.retryAfterMs);
      } else if (ticket.epoch === this.epoch) {
        // Once per window: the answers to requests sent before this decrease say nothing new.
        this.pace.slowDown(granted, measured);
        if (!atOne) {
          this.threshold = this.limit = Math.max(1, Math.floor(this.limit / 2), this.neededInFlight());
          this.lowest = Math.min(this.lowest, this.limit);
        }
        this.epoch++;
      }
    } else {
      // Slow start below the threshold, then additive increase: one more slot per `limit` successes.
      const step = this.limit < this.threshold ? 1 : 1 / Math.max(1, this.limit);
      this.limit = Math.min(this.ceiling, this.limit + step);
      this.pace.succeeded(now);
    }
    this.pump();
  }

  /** A request is about to be sent again after waiting `waitMs`. */
  noteRetry(waitMs: number): void {
    this.counts.retries++;
    this.counts.waitMs += Math.round(waitMs);
  }

  snapshot(): TrafficCounts {
    const rate = this.pace.perSecond;
    const paced = rate === undefined ? {} : { pacedPerSecond: Math.round(rate * 10) / 10 };
    return { ...this.counts, lowestLimit: this.lowest, limit: Math.floor(this.limit), ceiling: this.ceiling, ...paced };
  }

  /**
   * Requests in flight that the paced rate needs at the observed latency (rate × latency, plus
   * headroom), at most the ceiling. Halving below it left the pace unreachable: at 50 ms, 4 in
   * flight carry at most 80 requests/s, so a 100/s bucket ran at 80–86 %.
   */
  private neededInFlight(): number {
    const rate = this.pace.perSecond;
    if (rate === undefined || this.latencyMs === undefined) return 1;
    return Math.min(this.ceiling, Math.ceil((rate * this.latencyMs) / 1000) + IN_FLIGHT_HEADROOM);
  }

  private canStart(): boolean {
    const now = this.clock();
    return this.inFlight < Math.floor(this.limit) && now >= this.pausedUntil && now >= this.nextStartAt;
  }

  private start(): Ticket {
    const now = this.clock();
    this.inFlight++;
    this.counts.requests++;
    this.pace.started(now);
    const rate = this.pace.perSecond;
    if (rate !== undefined) {
      // A timer fires whole milliseconds late: a start less than one interval late keeps the
      // schedule (1000/95 ms rounded up to 11 would pace 95/s at 91/s); after idle time it restarts.
      const interval = 1000 / rate;
      this.nextStartAt = (now - this.nextStartAt < interval ? this.nextStartAt : now) + interval;
    }
    return { epoch: this.epoch, startedAt: now };
  }

  private pump(): void {
    for (;;) {
      while (this.waiting.length > 0 && this.canStart()) this.waiting.shift()!(this.start());
      if (this.waiting.length === 0 || this.timerSet) return;
      const pause = Math.max(this.pausedUntil, this.nextStartAt) - this.clock();
      if (pause > 0) {
        // Never early: a timer that fires before the pace allows a start would find nothing to do.
        this.timerSet = true;
        this.schedule(() => {
          this.timerSet = false;
          this.pump();
        }, Math.ceil(pause));
        return;
      }
      // A full gate reopens on the next release; otherwise the pause ended between two readings of the clock.
      if (this.inFlight >= Math.floor(this.limit)) return;
    }
  }
}
