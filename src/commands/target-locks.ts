import { currentHolder } from '../apply/lock-holder.ts';
import { acquireLock, DEFAULT_LEASE_MS, realLockClock, type HeldLock, type LockClock } from '../apply/target-lock.ts';
import { ExitCode, UserError } from '../model/diagnostic.ts';
import type { StoredLock } from '../model/lock.ts';
import type { TargetSession } from './session.ts';
import { ProviderError } from '../providers/transport/provider-error.ts';

export interface LockOptions {
  /** How long to wait for another run's lock (`--lock-timeout`); 0 fails at once. */
  timeoutMs: number;
  /** What the record says took it, e.g. `apply plan.json`. */
  command: string;
  env: NodeJS.ProcessEnv;
  clock?: LockClock;
  leaseMs?: number;
  /** Aborted on SIGINT/SIGTERM: a run still waiting for a lock gives up, having written nothing. */
  signal?: AbortSignal;
  /** Called when a target is held by another run and this one starts waiting. */
  onWait?: (target: string, holders: readonly StoredLock[]) => void;
}

/** The locks of every target an apply writes to, taken before its first read for the plan. */
export interface TargetLocks {
  /** Why `target` must not be written any more (its lock was lost), else undefined. */
  lostOn(target: string): string | undefined;
  /** Releases every lock; returns one sentence per lock that could not be released. */
  release(): Promise<string[]>;
}

/**
 * Locks the targets one by one in name order (two runs over overlapping targets then never hold
 * one each while waiting for the other's), releasing those taken when one cannot be. `plan` and
 * `drift` take no lock: they write nothing.
 */
export async function lockTargets(sessions: readonly TargetSession[], options: LockOptions): Promise<TargetLocks> {
  const holder = currentHolder(options.command, options.env);
  const clock = interruptible(options.clock ?? realLockClock, options.signal);
  const held: HeldLock[] = [];
  const ordered = [...sessions].sort((a, b) => a.config.name.localeCompare(b.config.name));
  let failedOn = '';
  try {
    for (const session of ordered) {
      throwIfInterrupted(options.signal);
      const target = session.config.name;
      failedOn = target;
      const onWait = options.onWait && ((holders: readonly StoredLock[]) => options.onWait!(target, holders));
      held.push(await acquireLock(target, session.provider.locks, { holder, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, timeoutMs: options.timeoutMs, clock, ...(onWait ? { onWait } : {}) }));
      throwIfInterrupted(options.signal);
    }
  } catch (error) {
    const unreleased = (await Promise.all(held.map((lock) => lock.release()))).filter((problem) => problem !== undefined);
    if (!(error instanceof ProviderError)) throw error;
    // The target and what was (not) done, like every other failure of an apply: the products are untouched.
    throw new UserError(`target ${failedOn}: could not take its apply lock (${error.message}); no product was changed${unreleased.length ? `; ${unreleased.join('; ')}` : ''}`);
  }
  const byTarget = new Map(held.map((lock) => [lock.target, lock]));
  return {
    lostOn: (target) => byTarget.get(target)?.lost(),
    release: async () => (await Promise.all(held.map((lock) => lock.release()))).filter((problem): problem is string => problem !== undefined),
  };
}

function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new UserError('interrupted while taking the target locks; nothing was written', [], ExitCode.interrupted);
}

/** The clock whose sleeps end early when the run is interrupted, so that waiting for a lock stops at once. */
function interruptible(clock: LockClock, signal: AbortSignal | undefined): LockClock {
  if (!signal) return clock;
  return {
    ...clock,
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        const stop = () => reject(new UserError('interrupted while waiting for a target lock; nothing was written', [], ExitCode.interrupted));
        if (signal.aborted) return stop();
        signal.addEventListener('abort', stop, { once: true });
        void clock.sleep(ms).then(() => {
          signal.removeEventListener('abort', stop);
          resolve();
        });
      }),
  };
}
