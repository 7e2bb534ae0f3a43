import { ProviderError } from '../providers/provider.ts';

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 };

export interface Attempted<T> {
  value?: T;
  error?: unknown;
  attempts: number;
}

/**
 * Runs `operation` until it succeeds, fails with an error that retrying cannot fix, or runs out
 * of attempts. Waits with full-jitter exponential backoff, or as long as the server's
 * `Retry-After` says when that is longer.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => number = Math.random,
): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await operation(), attempts: attempt };
    } catch (error) {
      const retryable = error instanceof ProviderError && error.retryable;
      if (!retryable || attempt >= policy.attempts) return { error, attempts: attempt };
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * random();
      const asked = (error.retryAfterSeconds ?? 0) * 1000;
      await sleep(Math.min(policy.maxDelayMs, Math.max(backoff, asked)));
    }
  }
}
