/**
 * Fault injection shared by both emulators (DESIGN §7, use 3): latency, a token-bucket rate limit
 * answering 429 with `Retry-After`, 5xx answers and dropped connections at a rate or on the Nth
 * request to a route, and answers slower than any client timeout. Deterministic under a seed: the
 * same options and the same order of requests give the same faults. With no options nothing
 * changes: every request is answered at once, exactly as before.
 *
 * Used by the reliability tests, `apiproducts sandbox serve --latency … --rate-limit …` and the
 * benchmark; the option names below are a stable interface for them.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

interface Decision {
  latencyMs: number;
  reject?: { status: number; headers: Record<string, string>; message: string };
  drop?: 'before' | 'after';
  failAfter?: number;
  slowMs: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_SLOW_MS = 60_000;

export class FaultInjector {
  readonly counters: FaultCounters = { requests: 0, rateLimited: 0, failed: 0, dropped: 0, slowed: 0, inFlight: 0, maxInFlight: 0 };
  private options: FaultOptions = {};
  private random: () => number = seeded(1);
  private tokens = 0;
  private refilledAt = 0;
  private ruleHits: number[] = [];
  private readonly closing = new AbortController();

  constructor(
    options: FaultOptions = {},
    private readonly clock: FaultClock = realClock,
  ) {
    // Every pending wait listens to this signal: hundreds at once under load are expected.
    setMaxListeners(0, this.closing.signal);
    this.configure(options);
  }

  /** Replaces the faults (e.g. off for a second run); counters keep counting. */
  configure(options: FaultOptions): void {
    validateFaultOptions(options);
    this.options = options;
    this.random = seeded(options.seed ?? 1);
    this.tokens = this.burst();
    this.refilledAt = this.clock.now();
    this.ruleHits = (options.rules ?? []).map(() => 0);
  }

  get current(): Readonly<FaultOptions> {
    return this.options;
  }

  resetCounters(): void {
    Object.assign(this.counters, { requests: 0, rateLimited: 0, failed: 0, dropped: 0, slowed: 0, maxInFlight: this.counters.inFlight });
  }

  /** Ends every pending wait: a closing emulator must not hold the process for a slow answer. */
  close(): void {
    this.closing.abort();
  }

  /** Answers one request through the faults. */
  async serve(response: ServerResponse, exchange: Exchange): Promise<void> {
    this.counters.requests++;
    this.counters.inFlight++;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.counters.inFlight);
    try {
      await this.serveOne(response, exchange);
    } finally {
      this.counters.inFlight--;
    }
  }

  private async serveOne(response: ServerResponse, exchange: Exchange): Promise<void> {
    const decision = this.decide(exchange.method, exchange.path, exchange.body);
    if (decision.latencyMs > 0) await this.wait(decision.latencyMs);
    if (this.closing.signal.aborted) return this.drop(response, exchange, false);
    if (decision.reject) {
      const { status, headers, message } = decision.reject;
      if (status === 429) this.counters.rateLimited++;
      else this.counters.failed++;
      exchange.record(status);
      exchange.send({ status, body: exchange.errorBody(status, message), headers });
      return;
    }
    if (decision.drop === 'before') return this.drop(response, exchange);
    const answer = exchange.answer();
    if (decision.drop === 'after') return this.drop(response, exchange);
    if (decision.failAfter !== undefined) {
      this.counters.failed++;
      exchange.record(decision.failAfter);
      exchange.send({ status: decision.failAfter, body: exchange.errorBody(decision.failAfter, 'injected failure after the change was made') });
      return;
    }
    exchange.record(answer.status);
    if (decision.slowMs > 0) {
      this.counters.slowed++;
      await this.wait(decision.slowMs);
      if (response.destroyed || response.socket?.destroyed || this.closing.signal.aborted) return;
    }
    exchange.send(answer);
  }

  private drop(response: ServerResponse, exchange: Exchange, count = true): void {
    if (count) this.counters.dropped++;
    exchange.record(0);
    response.socket?.destroy();
    response.destroy();
  }

  private wait(ms: number): Promise<void> {
    return this.clock.sleep(ms, this.closing.signal).catch(() => undefined);
  }

  private burst(): number {
    const limit = this.options.rateLimit;
    return limit ? Math.max(1, limit.burst ?? Math.ceil(limit.perSecond)) : 0;
  }

  /** Every random draw is made for every request, so that one fault never shifts the others. */
  private decide(method: string, path: string, body: string): Decision {
    const o = this.options;
    const draws = { latency: this.random(), fail: this.random(), drop: this.random(), phase: this.random(), slow: this.random() };
    const latency = o.latencyMs;
    const latencyMs = latency === undefined ? 0 : typeof latency === 'number' ? latency : latency.min + (latency.max - latency.min) * draws.latency;
    const decision: Decision = { latencyMs, slowMs: 0 };

    const rule = this.hitRule(method, path, body);
    if (rule) return this.ruleDecision(decision, rule);

    const limited = this.takeToken();
    if (limited) return { ...decision, reject: limited };
    if (o.failRate && draws.fail < o.failRate) {
      const status = o.failStatus ?? 503;
      if (phaseOf(o.failPhase ?? 'before', draws.phase) === 'after') return { ...decision, failAfter: status };
      return { ...decision, reject: { status, headers: {}, message: 'injected failure: the server is unavailable' } };
    }
    if (o.dropRate && draws.drop < o.dropRate) return { ...decision, drop: phaseOf(o.dropPhase ?? 'random', draws.phase) };
    if (o.slowRate && draws.slow < o.slowRate) return { ...decision, slowMs: o.slowMs ?? DEFAULT_SLOW_MS };
    return decision;
  }

  private hitRule(method: string, path: string, body: string): FaultRule | undefined {
    const rules = this.options.rules ?? [];
    let hit: FaultRule | undefined;
    rules.forEach((rule, index) => {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return;
      if (rule.path !== undefined && !(typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path))) return;
      if (rule.body !== undefined && !body.includes(rule.body)) return;
      const count = ++this.ruleHits[index]!;
      const first = rule.nth ?? 1;
      if (!hit && count >= first && count < first + (rule.times ?? 1)) hit = rule;
    });
    return hit;
  }

  private ruleDecision(decision: Decision, rule: FaultRule): Decision {
    switch (rule.fault) {
      case 'rate-limit':
        return { ...decision, reject: { status: 429, headers: this.retryAfterHeader(1), message: 'rate limit exceeded (injected)' } };
      case 'fail': {
        const status = rule.status ?? 503;
        if (rule.phase === 'after') return { ...decision, failAfter: status };
        return { ...decision, reject: { status, headers: {}, message: 'injected failure' } };
      }
      case 'drop':
        return { ...decision, drop: rule.phase ?? 'before' };
      case 'slow':
        return { ...decision, slowMs: this.options.slowMs ?? DEFAULT_SLOW_MS };
    }
  }

  /** Takes one token, or says how long until the next: the 429 to answer. */
  private takeToken(): Decision['reject'] | undefined {
    const limit = this.options.rateLimit;
    if (!limit) return undefined;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.refilledAt) / 1000) * limit.perSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const seconds = Math.max(1, Math.ceil((1 - this.tokens) / limit.perSecond));
    return { status: 429, headers: this.retryAfterHeader(seconds), message: `rate limit exceeded: at most ${limit.perSecond} requests per second` };
  }

  private retryAfterHeader(seconds: number): Record<string, string> {
    const form = this.options.rateLimit?.retryAfter ?? 'seconds';
    if (form === 'none') return {};
    if (form === 'http-date') return { 'retry-after': new Date(this.clock.now() + seconds * 1000).toUTCString() };
    return { 'retry-after': String(seconds) };
  }
}

function phaseOf(phase: FaultPhase, draw: number): 'before' | 'after' {
  return phase === 'random' ? (draw < 0.5 ? 'before' : 'after') : phase;
}

function validateFaultOptions(options: FaultOptions): void {
  const share = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  };
  share('failRate', options.failRate);
  share('dropRate', options.dropRate);
  share('slowRate', options.slowRate);
  const limit = options.rateLimit;
  if (limit && !(limit.perSecond > 0)) throw new RangeError(`rateLimit.perSecond must be positive, got ${limit.perSecond}`);
  const status = options.failStatus;
  if (status !== undefined && !(status >= 500 && status <= 599)) throw new RangeError(`failStatus must be a 5xx, got ${status}`);
}

/** Reads a request body to the end (both emulators). */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
