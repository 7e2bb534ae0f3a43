/**
 * What one target's management API sees from apiproducts: every HTTP request to it passes this
 * gate, which keeps the requests in flight under an adaptive limit (AIMD, like TCP congestion
 * control): it starts at 2 and grows by one per success up to the configured concurrency (slow
 * start, so that a run does not open with a burst the server refuses); a 429 halves it, and from
 * then on it grows by one per window of successes (additive increase); when it is down to one
 * request at a time and the server still refuses, every request waits as long as `Retry-After`
 * asks. A run that meets a rate limit settles just under what the server grants instead of
 * hammering it; the counters go into the apply report.
 */
import type { Provider } from '../providers/provider.ts';

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
}

export const DEFAULT_CEILING = 8;
/** Requests in flight at first, before any success. */
const SLOW_START = 2;

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
  private timer: NodeJS.Timeout | undefined;
  private throttled = false;

  constructor(
    ceiling: number = DEFAULT_CEILING,
    private readonly clock: () => number = Date.now,
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
    if (outcome.rateLimited) {
      this.counts.rateLimited++;
      this.throttled = true;
      if (Math.floor(this.limit) <= 1) {
        // Already one request at a time and still refused: everyone waits as long as the server asks.
        if (outcome.retryAfterMs) this.pausedUntil = Math.max(this.pausedUntil, this.clock() + outcome.retryAfterMs);
      } else if (ticket.epoch === this.epoch) {
        this.threshold = this.limit = Math.max(1, Math.floor(this.limit / 2));
        this.lowest = Math.min(this.lowest, this.limit);
        this.epoch++;
      }
    } else {
      // Slow start below the threshold, then additive increase: one more slot per `limit` successes.
      const step = this.limit < this.threshold ? 1 : 1 / Math.max(1, this.limit);
      this.limit = Math.min(this.ceiling, this.limit + step);
    }
    this.pump();
  }

  /** A request is about to be sent again after waiting `waitMs`. */
  noteRetry(waitMs: number): void {
    this.counts.retries++;
    this.counts.waitMs += Math.round(waitMs);
  }

  snapshot(): TrafficCounts {
    return { ...this.counts, lowestLimit: this.lowest, limit: Math.floor(this.limit), ceiling: this.ceiling };
  }

  private canStart(): boolean {
    return this.inFlight < Math.floor(this.limit) && this.clock() >= this.pausedUntil;
  }

  private start(): Ticket {
    this.inFlight++;
    this.counts.requests++;
    return { epoch: this.epoch };
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.canStart()) this.waiting.shift()!(this.start());
    if (this.waiting.length > 0 && this.timer === undefined) {
      const pause = this.pausedUntil - this.clock();
      // Only a pause needs a timer; a full gate reopens on the next release.
      if (pause > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, pause);
      }
    }
  }
}

/** The gate of each connected provider, for the executor to adapt writes and report the counters. */
const gates = new WeakMap<Provider, Traffic>();

export function attachTraffic(provider: Provider, traffic: Traffic): void {
  gates.set(provider, traffic);
}

export function trafficOf(provider: Provider): Traffic | undefined {
  return gates.get(provider);
}
