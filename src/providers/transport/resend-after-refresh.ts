/**
 * One request's answer to a 401: the credentials are renewed (single-flight, refreshing-token.ts)
 * and the request is sent once more. A 401 refuses the request before anything is done, so a
 * write is as safe to resend as a read. Only once per request, however many tries the retry
 * layer (retry.ts) makes of it: a second 401 is the credentials' fault, not the token's age, and
 * is reported as such instead of looping.
 */
import { ProviderError } from './provider-error.ts';

/** The server refused `authorization`: renew it; false when it cannot be renewed (a static token). */
export type RenewAuthorization = (authorization: string) => Promise<boolean>;

const isUnauthorized = (error: unknown): error is ProviderError => error instanceof ProviderError && error.status === 401;

/**
 * Wraps one try of a request. `send(noteSent)` makes the try and reports the Authorization header
 * it sent; the returned function is what the retry layer calls for each try.
 */
export function resendAfterRefresh<T>(send: (noteSent: (authorization: string) => void) => Promise<T>, renew: RenewAuthorization): () => Promise<T> {
  let renewed = false;
  return async () => {
    let sent = '';
    try {
      return await send((authorization) => (sent = authorization));
    } catch (error) {
      if (renewed || !isUnauthorized(error)) throw error;
      renewed = true;
      if (!(await renew(sent))) throw error;
    }
    try {
      return await send(() => {});
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      throw new ProviderError(`${error.message} (refused again with newly obtained credentials: check the account and its roles on this organization)`, 401, false);
    }
  };
}
