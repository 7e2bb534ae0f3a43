/**
 * A target's apply lock (DESIGN §11, one writer per target). It lives on the portal itself, as
 * records the providers store there (src/providers/provider.ts `LockStore`); the protocol that
 * decides who holds it is src/apply/target-lock.ts.
 */

/** Who holds, or asks for, a lock: what a run that has to wait is told. */
export interface LockHolder {
  /** `os.hostname()`. */
  host: string;
  /** The CI actor when known (GITHUB_ACTOR), else the login name. */
  user: string;
  pid: number;
  /** What took it, e.g. `apply` or `apply plan.json`. */
  command: string;
  /** The CI run, when the run is in CI (GitHub Actions: server/repository/actions/runs/id). */
  ciRunUrl?: string;
}

/** One lock record as the protocol writes it: unique per acquisition, by its nonce. */
export interface LockTicket {
  /** Random, hex: names the record, so that two runs never write the same one. */
  nonce: string;
  holder: LockHolder;
  /** ISO 8601. */
  acquiredAt: string;
  /** ISO 8601: after this, anyone may remove the record (the holder was killed or hung). */
  expiresAt: string;
}

/**
 * A lock record read back from a target. `ticket` is absent when the record could not be read
 * (edited by hand, cut short): such a record holds the lock until `unlock --force` removes it.
 */
export interface StoredLock {
  /** The provider's ids for renewing and removing it (API7: `{id}`; Apigee: `{name}`). */
  ref: Record<string, string>;
  ticket?: LockTicket;
}
