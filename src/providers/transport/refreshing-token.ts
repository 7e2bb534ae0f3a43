/**
 * A bearer token that is minted when first needed, renewed shortly before it expires, and
 * renewed again when a server refuses it (http.ts resends that request, resend-after-refresh.ts). Every renewal
 * is single-flight: N requests that need a token, or see the same token refused, at the same time
 * cause ONE call to the token endpoint, and a refusal of a token that was already replaced causes
 * none.
 */
export interface MintedToken {
  token: string;
  /** When the token stops being accepted (Unix ms), when its issuer said (`expires_in`). */
  expiresAt?: number;
}

export interface RefreshingToken {
  /** The token to send now: the current one, or a new one when there is none or it expires soon. */
  current(): Promise<string>;
  /**
   * `refused` was answered 401: replaced by a new token unless it already was. False when the
   * source cannot renew (a static token), so the caller keeps the 401.
   */
  renew(refused: string): Promise<boolean>;
  /** Tokens obtained so far (the first included): what tests count. */
  readonly mints: number;
}

/** Renewed this long before the issuer's expiry, so that no request leaves with a token about to lapse. */
export const EXPIRY_MARGIN_MS = 60_000;

/**
 * `mint(renewal)`: obtains a token; `renewal` says a token existed and was refused or expired
 * (an OAuth source then uses its refresh token, a Google client is made anew).
 */
export function refreshingToken(mint: (renewal: boolean) => Promise<MintedToken>, now: () => number = Date.now): RefreshingToken {
  let held: MintedToken | undefined;
  let pending: Promise<MintedToken> | undefined;
  let mints = 0;
  const obtain = (renewal: boolean): Promise<MintedToken> => {
    pending ??= mint(renewal).then(
      (minted) => {
        mints++;
        held = minted;
        pending = undefined;
        return minted;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  const fresh = (token: MintedToken): boolean => token.expiresAt === undefined || now() < token.expiresAt - EXPIRY_MARGIN_MS;
  return {
    get mints() {
      return mints;
    },
    async current() {
      if (pending) return (await pending).token;
      if (held && fresh(held)) return held.token;
      return (await obtain(held !== undefined)).token;
    },
    async renew(refused) {
      if (pending) {
        await pending;
        return true;
      }
      // Another request already replaced the refused token: send again with the new one.
      if (held && held.token !== refused) return true;
      await obtain(true);
      return true;
    },
  };
}

/** A token given by the user (tokenEnv): sent as is, never renewed. */
export function staticToken(read: () => string): RefreshingToken {
  return { mints: 0, current: async () => read(), renew: async () => false };
}
