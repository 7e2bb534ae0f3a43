import { ProviderError } from './provider-error.ts';
import { mayHaveBeenApplied, noteConfirmedAfterLostAnswer, withRetry, type RetryPolicy } from './retry.ts';

/** What a write request tells the retry layer so that sending it again is safe. */
export interface WriteSafety {
  /**
   * For a create (POST): called before sending again after a lost answer; `true` when the lost try
   * did create the object (the write is done), `false` to send it again; throws when something
   * else now holds the name. Without it, a POST is sent again only after a 429 (never processed).
   */
  confirm?: () => Promise<boolean>;
}

export interface RetryLayer {
  policy: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait, for the gate's counters. */
  onWait?: (ms: number) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);
/** Sending these twice leaves one result (RFC 9110 §9.2.2); POST and PATCH need `confirm`. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * The transport's one retry layer: every request, read or write, is retried here and nowhere
 * else (429, 5xx, timeouts, dropped connections). A write whose answer was lost may have happened
 * all the same (a timeout, a dropped connection, a 5xx after processing), so it is sent again only
 * when that cannot do it twice: PUT replaces, a DELETE that then finds nothing was done by the
 * lost try, and a create is first looked up through `confirm` (and looked up again when the
 * resent create meets a 409: the lost try may have been processed after the first look).
 */
export async function sendWithRetry<T>(method: string, send: () => Promise<T>, safety: WriteSafety, layer: RetryLayer): Promise<T> {
  let uncertain = false;
  const confirmed = (): T => {
    noteConfirmedAfterLostAnswer();
    return undefined as T;
  };
  const attempt = async (): Promise<T> => {
    if (uncertain && safety.confirm && (await safety.confirm())) return confirmed();
    try {
      return await send();
    } catch (error) {
      if (uncertain && method === 'DELETE' && error instanceof ProviderError && error.status === 404) return confirmed();
      // The lost try was still on its way (an answer slower than the timeout) and landed first.
      if (uncertain && safety.confirm && error instanceof ProviderError && error.status === 409 && (await safety.confirm())) return confirmed();
      if (!SAFE_METHODS.has(method) && mayHaveBeenApplied(error)) {
        uncertain = true;
        if (!IDEMPOTENT_METHODS.has(method) && !safety.confirm) throw finalError(error as ProviderError);
      }
      throw error;
    }
  };
  const result = await withRetry(attempt, layer.policy, layer.sleep, undefined, { onWait: (ms) => layer.onWait?.(ms) });
  if (result.error === undefined) return result.value as T;
  // Never "failed" as if nothing happened: a lost answer may have been the write itself.
  if (uncertain && result.error instanceof ProviderError) throw mayHaveTakenEffect(result.error);
  throw result.error;
}

function mayHaveTakenEffect(error: ProviderError): ProviderError {
  const message = `${error.message} (an answer was lost or was a server error, so the write may have taken effect: the next plan shows what is live)`;
  return new ProviderError(message, error.status, false, error.retryAfterSeconds, error.haltsTarget);
}

/** The same failure, marked so that the retry layer gives up on it. */
function finalError(error: ProviderError): ProviderError {
  return new ProviderError(error.message, error.status, false, error.retryAfterSeconds);
}
