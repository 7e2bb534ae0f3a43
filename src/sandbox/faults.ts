/**
 * Fault injection shared by both emulators (DESIGN §7, use 3): latency, a token-bucket rate limit
 * answering 429 with `Retry-After`, 5xx answers and dropped connections at a rate or on the Nth
 * request to a route, and answers slower than any client timeout. Deterministic under a seed: the
 * same options and the same order of requests give the same faults. With no options nothing
 * changes: every request is answered at once, exactly as before.
 *
 * Used by the reliability tests, `apiproducts sandbox serve --latency … --rate-limit …` and the
 * benchmark; the option names (fault-options.ts) are a stable interface for them.
 */
import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { realClock, type Exchange, type FaultClock, type FaultCounters, type FaultOptions, type FaultPhase, type FaultRule } from './fault-options.ts';

interface Decision {
  latencyMs: number;
  reject?: { status: number; headers: Record<string, string>; message: string };
  drop?: 'before' | 'after';
  failAfter?: number;
  slowMs: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere (tests use it too). */
export function seededRandom(seed: number): () => number {
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
  private random: () => number = seededRandom(1);
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
    this.random = seededRandom(options.seed ?? 1);
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
