/**
 * The options, clock and counters of the emulators' fault injection (faults.ts): a stable
 * interface for the reliability tests, `apiproducts sandbox serve --latency …` and the benchmark.
 */
import { setTimeout as delay } from 'node:timers/promises';

export type FaultKind = 'fail' | 'drop' | 'slow' | 'rate-limit';
/**
 * When a 5xx or a drop happens: `before` the emulator looks at the request (nothing changes),
 * `after` it made the change (the change is done, the answer is lost), or `random` (either, evenly).
 */
export type FaultPhase = 'before' | 'after' | 'random';

/** A fault on chosen requests: "the 3rd POST to /api/api_products is dropped after it is done". */
export interface FaultRule {
  /** Only this method (any when absent). */
  method?: string;
  /** Only paths containing this text, or matching this expression (any when absent). */
  path?: string | RegExp;
  /** Only requests whose body contains this text (e.g. a product name). */
  body?: string;
  /** The first matching request it hits, 1-based (default 1). */
  nth?: number;
  /** How many matching requests in a row it hits from `nth` (default 1; Infinity: all of them). */
  times?: number;
  fault: FaultKind;
  /** `fail`: the status answered (default 503). */
  status?: number;
  /** `fail` and `drop`: before or after the request is processed (default before). */
  phase?: 'before' | 'after';
}

export interface RateLimitOptions {
  /** Requests granted per second (the bucket's refill rate). */
  perSecond: number;
  /** Requests that may arrive at once (the bucket's size); default one second's worth, at least 1. */
  burst?: number;
  /** How `Retry-After` is written: delta-seconds (default), an HTTP-date, or not at all. */
  retryAfter?: 'seconds' | 'http-date' | 'none';
}

export interface FaultOptions {
  /** Seeds every random choice (default 1). */
  seed?: number;
  /** Added before every answer: fixed, or uniform in [min, max]. */
  latencyMs?: number | { min: number; max: number };
  /** A token bucket over all requests (one org's budget): 429 when empty. */
  rateLimit?: RateLimitOptions;
  /** Share of requests answered with a 5xx (0..1). */
  failRate?: number;
  /** The 5xx answered (default 503). */
  failStatus?: number;
  /** Default `before`. */
  failPhase?: FaultPhase;
  /** Share of requests whose connection is destroyed without an answer (0..1). */
  dropRate?: number;
  /** Default `random`. */
  dropPhase?: FaultPhase;
  /** Share of requests answered only after `slowMs` (0..1), after the change is made. */
  slowRate?: number;
  /** How late a slow answer comes (default 60 s: beyond any sensible client timeout). */
  slowMs?: number;
  /** Faults on chosen requests; checked before the random ones, the first that hits wins. */
  rules?: FaultRule[];
}

/**
 * The time the fault layer runs on: the token bucket and HTTP-date `Retry-After` read `now()`,
 * latency and slow answers `sleep()`. Real time by default (`sandbox serve`, the benchmark);
 * tests pass their own so that a 429 or a refill happens on the same request on any machine.
 */
export interface FaultClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (or at once when `signal` aborts: the emulator is closing). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: FaultClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};

/** What the emulator saw and did: for tests and the benchmark. */
export interface FaultCounters {
  /** Every request received. */
  requests: number;
  /** Answered 429 by the rate limit (or a rule). */
  rateLimited: number;
  /** Answered with an injected 5xx. */
  failed: number;
  /** Connections destroyed without an answer. */
  dropped: number;
  /** Answers held back by `slowMs`. */
  slowed: number;
  /** Requests being handled now, and the most at once. */
  inFlight: number;
  maxInFlight: number;
}

/** One answer of an emulator, before it is written. */
export interface EmulatorAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the fault layer needs from an emulator to answer one request. */
export interface Exchange {
  method: string;
  path: string;
  body: string;
  /** Runs the emulator's handler: may change its state. */
  answer(): EmulatorAnswer;
  /** Writes an answer as JSON. */
  send(answer: EmulatorAnswer): void;
  /** Logs the request with its status (0: the connection was dropped), before the answer goes out. */
  record(status: number): void;
  /** The emulator's error body for an injected status (its own `{error_msg}` or flavour's envelope). */
  errorBody(status: number, message: string): unknown;
}
