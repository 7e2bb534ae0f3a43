/**
 * One request's answer to a 401: the credentials are renewed (single-flight, refreshing-token.ts)
 * and the request is sent again. A 401 refuses the request before anything is done, so a write
 * is as safe to resend as a read. A 401 on a token the server never accepted, obtained after
 * the first refusal, is the credentials' fault, not the token's age, and is reported as such
 * instead of looping. A token that served other requests and then died (renewed tokens can
 * expire again during a long apply, while requests wait their turn in the gate) is renewed
 * again, up to MAX_RENEWALS times per request, however many tries the retry layer (retry.ts)
 * makes of it.
 */
import { ProviderError } from './provider-error.ts';

/** The server refused `authorization`: renew it; false when it cannot be renewed (a static token). */
export type RenewAuthorization = (authorization: string) => Promise<boolean>;

const isUnauthorized = (error: unknown): error is ProviderError => error instanceof ProviderError && error.status === 401;

const MAX_RENEWALS = 3;
/** Tokens rotate one after another: a handful covers the ones requests in flight may still carry. */
const ACCEPTED_REMEMBERED = 4;

/** The last few Authorization headers a server accepted: a 401 on one of them is its age, not bad credentials. */
export function acceptedAuthorizations(): { note(authorization: string): void; has(authorization: string): boolean } {
  const accepted = new Set<string>();
  return {
    note(authorization) {
      if (accepted.has(authorization)) return;
      accepted.add(authorization);
      if (accepted.size > ACCEPTED_REMEMBERED) accepted.delete(accepted.values().next().value!);
    },
    has: (authorization) => accepted.has(authorization),
  };
}

/**
 * Wraps one try of a request. `send(noteSent)` makes the try and reports the Authorization header
 * it sent; `wasAccepted` says whether the server accepted that header for some request before;
 * the returned function is what the retry layer calls for each try.
 */
export function resendAfterRefresh<T>(
  send: (noteSent: (authorization: string) => void) => Promise<T>,
  renew: RenewAuthorization,
  wasAccepted: (authorization: string) => boolean,
): () => Promise<T> {
  let renewals = 0;
  return async () => {
    for (;;) {
      let sent = '';
      try {
        return await send((authorization) => (sent = authorization));
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        if (renewals > 0 && (!wasAccepted(sent) || renewals >= MAX_RENEWALS)) {
          throw new ProviderError(`${error.message} (refused again with newly obtained credentials: check the account and its roles on this organization)`, 401, false);
        }
        renewals++;
        if (!(await renew(sent))) throw error;
      }
    }
  };
}
