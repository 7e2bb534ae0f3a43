import { randomBytes } from 'node:crypto';
import type { LockHolder, LockTicket, StoredLock } from '../model/lock.ts';
import type { LockStore } from '../providers/provider.ts';
import { LockHeldError } from './lock-holder.ts';

/**
 * A target's apply lock (DESIGN §11, one writer per target), held on the portal as records in the
 * target's LockStore. The protocol: write my own record, then list; I hold the lock only when
 * mine is the one unexpired record. A run that sees another removes its own record and either
 * waits or fails. Two runs that overlap can then never both hold it: whichever listed second sees
 * the first's record, because that record was written before the first run listed. This needs
 * only that a create is seen by every list that starts after it returns, not a refused name or a
 * compare-and-swap, neither of which both vendors offer (API7 documents no unique product names).
 * Both runs may see each other and both step back: they try again after a short random wait,
 * which is what `contentionRetries` bounds.
 */
export interface LockSettings {
  holder: LockHolder;
  /** A record not renewed for this long is expired: anyone may remove it (its run was killed). */
  leaseMs: number;
  /** How long to wait for a lock another run holds; 0 fails at once. */
  timeoutMs: number;
  clock: LockClock;
  /** Tries after stepping back from a run that started at the same moment. */
  contentionRetries?: number;
  /** Called once, when the lock is held by another run and this one starts waiting for it. */
  onWait?: (holders: readonly StoredLock[]) => void;
}

/** Time for the lock: injected, so that tests move it by hand. */
export interface LockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `task` every `ms` until the returned function is called; must not keep the process alive. */
  every(ms: number, task: () => Promise<void>): () => void;
  random(): number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
const POLL_MS = 5_000;
const STEP_BACK_MS = 250;

export const realLockClock: LockClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every(ms, task) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void task().finally(() => (running = false));
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  random: Math.random,
};

/** A lock this run holds on one target. */
export interface HeldLock {
  readonly target: string;
  readonly ticket: LockTicket;
  /** Why this run may no longer write to the target (its record was removed or could not be renewed in time); undefined while it holds. */
  lost(): string | undefined;
  /** Stops renewing and removes the record; a failure is returned as a sentence, never thrown. */
  release(): Promise<string | undefined>;
}

/** Takes the target's lock, waiting up to `timeoutMs` for another holder; throws LockHeldError naming it. */
export async function acquireLock(target: string, store: LockStore, settings: LockSettings): Promise<HeldLock> {
  const { clock } = settings;
  const deadline = clock.now() + settings.timeoutMs;
  let stepBacks = 0;
  let mayCreate = true;
  let waiting = false;
  for (;;) {
    if (mayCreate) {
      const ticket = newTicket(settings);
      const mine = await store.create(ticket);
      let others: StoredLock[];
      try {
        others = await liveOthers(store, clock.now(), mine);
      } catch (error) {
        // Not known to hold it: never leave the record behind to block others for a lease.
        await store.remove(mine).catch(() => undefined);
        throw error;
      }
      if (others.length === 0) return holdLock(target, store, settings, mine, ticket);
      await store.remove(mine);
      if (stepBacks++ >= (settings.contentionRetries ?? 5)) throw new LockHeldError(target, others);
      // The other run may be stepping back too: look again soon, not after a whole poll.
      await clock.sleep(STEP_BACK_MS * stepBacks * (0.5 + clock.random()));
    }
    const others = await liveOthers(store, clock.now());
    mayCreate = others.length === 0;
    if (mayCreate) continue;
    const left = deadline - clock.now();
    if (left <= 0) throw new LockHeldError(target, others);
    if (!waiting) settings.onWait?.(others);
    waiting = true;
    await clock.sleep(Math.min(POLL_MS * (0.5 + clock.random()), left));
  }
}

/**
 * The unexpired records other than `mine`, oldest first. Expired ones are removed on the way: their
 * run was killed or hung past its lease, and a later create by anyone is still judged by a list.
 */
async function liveOthers(store: LockStore, now: number, mine?: StoredLock): Promise<StoredLock[]> {
  const others = (await store.list()).filter((record) => !mine || !isSameRecord(record, mine));
  const live: StoredLock[] = [];
  for (const record of others) {
    if (record.ticket && Date.parse(record.ticket.expiresAt) <= now) await store.remove(record);
    else live.push(record);
  }
  return live.sort((a, b) => (a.ticket?.acquiredAt ?? '').localeCompare(b.ticket?.acquiredAt ?? ''));
}

/** By its nonce, or by its ids when the portal garbled the ticket: our own record never blocks us. */
function isSameRecord(a: StoredLock, b: StoredLock): boolean {
  if (a.ticket && b.ticket) return a.ticket.nonce === b.ticket.nonce;
  return JSON.stringify(a.ref) === JSON.stringify(b.ref);
}

function newTicket(settings: LockSettings): LockTicket {
  const now = settings.clock.now();
  return {
    nonce: randomBytes(8).toString('hex'),
    holder: settings.holder,
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + settings.leaseMs).toISOString(),
  };
}

/** Renews the record every third of the lease; a record gone, or not renewed before it expired, is a lost lock. */
function holdLock(target: string, store: LockStore, settings: LockSettings, record: StoredLock, first: LockTicket): HeldLock {
  const { clock } = settings;
  let ticket = first;
  let lostBecause: string | undefined;
  const renew = async (): Promise<void> => {
    if (lostBecause) return;
    const next = { ...ticket, expiresAt: new Date(clock.now() + settings.leaseMs).toISOString() };
    try {
      if (await store.renew(record, next)) ticket = next;
      else lostBecause = `its lock record on ${target} was removed while the apply ran (\`unlock --force\`?)`;
    } catch (error) {
      if (clock.now() >= Date.parse(ticket.expiresAt)) {
        lostBecause = `its lock on ${target} expired: it could not be renewed (${(error as Error).message.split('\n')[0]})`;
      }
    }
  };
  const stop = clock.every(Math.max(1, Math.floor(settings.leaseMs / 3)), renew);
  let released: Promise<string | undefined> | undefined;
  return {
    target,
    get ticket() {
      return ticket;
    },
    lost: () => lostBecause ?? (clock.now() >= Date.parse(ticket.expiresAt) ? `its lock on ${target} expired before it could be renewed` : undefined),
    release: () =>
      (released ??= (async () => {
        stop();
        try {
          await store.remove(record);
          return undefined;
        } catch (error) {
          return `could not release the lock on ${target} (${(error as Error).message.split('\n')[0]}); it expires at ${ticket.expiresAt}, or run \`apiproducts unlock ${target} --force\``;
        }
      })()),
  };
}
