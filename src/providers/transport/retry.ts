import { AsyncLocalStorage } from 'node:async_hooks';
import { ProviderError } from './provider-error.ts';

export interface RetryPolicy {
  /** Total tries when failing with a 5xx, a timeout or a network error, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest jittered backoff between two tries. */
  maxDelayMs: number;
  /**
   * Tries allowed while the server answers 429 (the request was refused, not processed: always safe
   * to repeat). Counted apart from `attempts`, so that a rate-limit storm does not fail a change
   * that would succeed a few seconds later. Defaults to 4 × attempts.
   */
  rateLimitedAttempts?: number;
  /**
   * Longest `Retry-After` honoured. A server asking for more is not waited for: the request fails
   * at once with the server's answer, instead of hanging a CI job. Defaults to 60 s.
   */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 20_000, rateLimitedAttempts: 20, maxRetryAfterMs: 60_000 };

export interface Attempted<T> {
  value?: T;
  error?: unknown;
  /** Tries made, the first included. */
  attempts: number;
  /** Total time waited between tries, ms. */
  waitedMs: number;
  /**
   * A write's answer was lost and the retry found that it had taken effect (a create looked up, a
   * DELETE that then found nothing): done, and reported as done, not as a failure.
   */
  confirmedAfterLostAnswer?: true;
}

/** The tries of every request made for one change: the most any request needed, and the waits. */
interface Tally {
  attempts: number;
  waitedMs: number;
  confirmedAfterLostAnswer?: true;
}

const tallies = new AsyncLocalStorage<Tally>();

/**
 * Runs one change's requests and reports the tries they took: the most tries any one request
 * needed (1 when none was retried) and the total wait. The retries themselves happen per request,
 * in the transport, once: the change is never re-run around requests that already retried.
 */
export async function tallyTries(change: () => Promise<void>): Promise<Attempted<void>> {
  const tally: Tally = { attempts: 1, waitedMs: 0 };
  try {
    await tallies.run(tally, change);
    return { attempts: tally.attempts, waitedMs: tally.waitedMs, ...(tally.confirmedAfterLostAnswer ? { confirmedAfterLostAnswer: true } : {}) };
  } catch (error) {
    return { error, attempts: tally.attempts, waitedMs: tally.waitedMs };
  }
}

/** Tells the change being tallied that a lost answer's write was found done (uncertain-writes.ts). */
export function noteConfirmedAfterLostAnswer(): void {
  const tally = tallies.getStore();
  if (tally) tally.confirmedAfterLostAnswer = true;
}

export interface RetryHooks {
  /** Called before each wait: how long, and the error that caused it. */
  onWait?: (ms: number, error: ProviderError, attempt: number) => void;
  /** Called before every try after the first (e.g. to re-check what the last one did). */
  beforeRetry?: (attempt: number) => void;
}

/** 429: refused by a rate limit, so nothing happened and the same request is safe to send again. */
export function isRateLimited(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 429;
}

/**
 * Runs `operation` until it succeeds, fails with an error that retrying cannot fix, or runs out
 * of attempts. Waits with full-jitter exponential backoff, or as long as the server's
 * `Retry-After` says when that is longer (up to `maxRetryAfterMs`).
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => number = Math.random,
  hooks: RetryHooks = {},
): Promise<Attempted<T>> {
  const rateLimitedAttempts = policy.rateLimitedAttempts ?? policy.attempts * 4;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? 60_000;
  let failures = 0;
  let refusals = 0;
  let waitedMs = 0;
  const tally = tallies.getStore();
  const done = <R extends Attempted<T>>(result: R): R => {
    if (tally) tally.attempts = Math.max(tally.attempts, result.attempts);
    return result;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return done({ value: await operation(), attempts: attempt, waitedMs });
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable) return done({ error, attempts: attempt, waitedMs });
      if (isRateLimited(error)) refusals++;
      else failures++;
      if (failures >= policy.attempts || refusals >= rateLimitedAttempts) return done({ error, attempts: attempt, waitedMs });
      const asked = (error.retryAfterSeconds ?? 0) * 1000;
      if (asked > maxRetryAfterMs) return done({ error, attempts: attempt, waitedMs });
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * random();
      const wait = Math.max(Math.min(policy.maxDelayMs, backoff), asked);
      hooks.onWait?.(wait, error, attempt);
      waitedMs += wait;
      if (tally) tally.waitedMs += wait;
      await sleep(wait);
      hooks.beforeRetry?.(attempt + 1);
    }
  }
}

/**
 * The answer to a write was lost (timeout, dropped connection) or was a 5xx: the server may have
 * made the change all the same. A create in this state is looked up before it is sent again.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable && error.status !== 429;
}
