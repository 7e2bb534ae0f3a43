/**
 * The lock protocol of src/apply/target-lock.ts, on a store kept in memory so that every
 * interleaving is chosen by the test. The vendors' stores are tested over HTTP against the
 * emulators (test/providers/*-locks.test.ts) and the whole apply in test/cli/locking.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireLock, type LockClock, type LockSettings } from '../../src/apply/target-lock.ts';
import { LockHeldError } from '../../src/apply/lock-holder.ts';
import type { LockHolder, LockTicket, StoredLock } from '../../src/model/lock.ts';
import type { LockStore } from '../../src/providers/provider.ts';

const START = Date.UTC(2026, 11, 7, 9, 0, 0);
const LEASE = 300_000;

/** Virtual time: sleeps wake in the order they are due, one at a time, when the test runs the clock. */
function virtualTime() {
  let now = START;
  let waiters: { at: number; wake: () => void }[] = [];
  const timers: { every: number; next: number; task: () => Promise<void>; stopped: boolean }[] = [];
  const settle = async () => {
    for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    clock(random = 0.5): LockClock {
      return {
        now: () => now,
        random: () => random,
        sleep: (ms) => new Promise<void>((wake) => waiters.push({ at: now + ms, wake })),
        every(ms, task) {
          const timer = { every: ms, next: now + ms, task, stopped: false };
          timers.push(timer);
          return () => (timer.stopped = true);
        },
      };
    },
    /** Wakes due sleepers until none is left (or `until` holds). */
    async run(until: () => boolean = () => false): Promise<void> {
      await settle();
      while (!until() && waiters.length) {
        waiters.sort((a, b) => a.at - b.at);
        const next = waiters.shift()!;
        now = Math.max(now, next.at);
        next.wake();
        await settle();
      }
    },
    /** Moves time on, firing the renewal timers that come due. */
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => !t.stopped && t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        await due.task();
      }
      now = end;
    },
  };
}

/** A LockStore in memory; `beforeList` lets a test hold a list back until another run has written. */
function memoryStore() {
  const records = new Map<string, LockTicket | undefined>();
  let counter = 0;
  const calls = { create: 0, list: 0, renew: 0, remove: 0 };
  const hooks: { beforeList?: () => Promise<void>; failRenew?: boolean } = {};
  const store: LockStore = {
    async create(ticket) {
      calls.create++;
      const id = `lock-${++counter}`;
      records.set(id, ticket);
      return { ref: { id }, ticket };
    },
    async list() {
      calls.list++;
      await hooks.beforeList?.();
      return [...records].map(([id, ticket]): StoredLock => (ticket ? { ref: { id }, ticket } : { ref: { id } }));
    },
    async renew(lock, ticket) {
      calls.renew++;
      if (hooks.failRenew) throw new Error('503 Service Unavailable');
      if (!records.has(lock.ref.id!)) return false;
      records.set(lock.ref.id!, ticket);
      return true;
    },
    async remove(lock) {
      calls.remove++;
      records.delete(lock.ref.id!);
    },
  };
  return { store, records, calls, hooks };
}

const holder = (command: string): LockHolder => ({ host: 'ci-7', user: 'octocat', pid: 4242, command });
const settings = (clock: LockClock, overrides: Partial<LockSettings> = {}): LockSettings => ({ holder: holder('apply'), leaseMs: LEASE, timeoutMs: 0, clock, ...overrides });
const ticketOf = (nonce: string, expiresInMs: number, command = 'apply plan.json'): LockTicket => ({
  nonce,
  holder: holder(command),
  acquiredAt: new Date(START - 1000).toISOString(),
  expiresAt: new Date(START + expiresInMs).toISOString(),
});

test('an unlocked target costs one create and one list, and release removes the record', async () => {
  const time = virtualTime();
  const { store, records, calls } = memoryStore();
  const lock = await acquireLock('api7-prod', store, settings(time.clock()));
  assert.equal(calls, { create: 1, list: 1, renew: 0, remove: 0 });
  assert.equal([...records.values()].map((t) => t?.holder.command), ['apply']);
  assert.is(lock.lost(), undefined);
  assert.is(await lock.release(), undefined);
  assert.is(records.size, 0);
});

test('a target another run holds fails at once, naming the holder, and leaves only its record', async () => {
  const time = virtualTime();
  const { store, records } = memoryStore();
  records.set('theirs', ticketOf('aaaa', 60_000));
  const error = await acquireLock('api7-prod', store, settings(time.clock(), { contentionRetries: 0 })).catch((e: unknown) => e);
  assert.instance(error, LockHeldError);
  const held = error as LockHeldError;
  assert.match(held.message, 'target api7-prod is locked by another run');
  assert.match(held.message, 'apiproducts unlock api7-prod --force');
  assert.match(held.diagnostics[0]!.message, '`apply plan.json` on ci-7 by octocat (pid 4242) since 2026-12-07T08:59:59.000Z');
  assert.equal([...records.keys()], ['theirs']);
});

test('after stepping back, a holder that stays is waited for only up to the timeout', async () => {
  const time = virtualTime();
  const { store, records } = memoryStore();
  records.set('theirs', ticketOf('aaaa', 3_600_000));
  const attempt = acquireLock('api7-prod', store, settings(time.clock(), { timeoutMs: 60_000 })).catch((e: unknown) => e);
  await time.run();
  assert.instance(await attempt, LockHeldError);
  assert.ok(time.now() - START >= 60_000, 'waited the whole timeout');
  assert.ok(time.now() - START < 70_000, 'and not much longer');
  assert.equal([...records.keys()], ['theirs']);
});

test('a lock released while waiting is taken', async () => {
  const time = virtualTime();
  const { store, records } = memoryStore();
  records.set('theirs', ticketOf('aaaa', 3_600_000));
  const attempt = acquireLock('api7-prod', store, settings(time.clock(), { timeoutMs: 600_000 }));
  await time.run(() => time.now() - START > 30_000);
  records.delete('theirs');
  await time.run();
  const lock = await attempt;
  assert.equal([...records.values()].map((t) => t?.nonce), [lock.ticket.nonce]);
});

test('an expired record (its run was killed) is removed and the lock taken', async () => {
  const time = virtualTime();
  const { store, records } = memoryStore();
  records.set('killed', ticketOf('bbbb', -1));
  const lock = await acquireLock('api7-prod', store, settings(time.clock()));
  assert.equal([...records.keys()].length, 1);
  assert.is([...records.values()][0]!.nonce, lock.ticket.nonce);
});

test('an unreadable record holds the lock until forced: it is never judged expired', async () => {
  const time = virtualTime();
  const { store, records } = memoryStore();
  records.set('mangled', undefined);
  const error = await acquireLock('api7-prod', store, settings(time.clock(), { contentionRetries: 0 })).catch((e: unknown) => e);
  assert.instance(error, LockHeldError);
  assert.match((error as LockHeldError).diagnostics[0]!.message, 'an unreadable lock record (mangled)');
});

test('two runs that write at the same moment both step back, then exactly one holds and the other is told who', async () => {
  const time = virtualTime();
  const { store, records, hooks } = memoryStore();
  // Neither lists until both have written: each sees the other's record.
  let written = 0;
  let release: () => void = () => {};
  const bothWritten = new Promise<void>((resolve) => (release = resolve));
  hooks.beforeList = async () => {
    if (written < 2 && ++written === 2) release();
    await bothWritten;
  };
  const first = acquireLock('api7-prod', store, { ...settings(time.clock(0)), holder: holder('apply (first)') }).catch((e: unknown) => e);
  const second = acquireLock('api7-prod', store, { ...settings(time.clock(0.9)), holder: holder('apply (second)') }).catch((e: unknown) => e);
  await time.run();
  const outcomes = [await first, await second];
  const winner = outcomes.find((o) => !(o instanceof Error)) as Awaited<ReturnType<typeof acquireLock>>;
  const loser = outcomes.find((o) => o instanceof LockHeldError) as LockHeldError;
  assert.ok(winner && loser, 'one holds, one is refused');
  assert.is(winner.ticket.holder.command, 'apply (first)', 'the one with the shorter step back wins');
  assert.match(loser.diagnostics[0]!.message, 'apply (first)');
  assert.equal([...records.values()].map((t) => t?.nonce), [winner.ticket.nonce]);
});

test('renewal keeps the record a lease ahead; a removed record or a missed renewal is a lost lock', async () => {
  const time = virtualTime();
  const { store, records, hooks } = memoryStore();
  const lock = await acquireLock('api7-prod', store, settings(time.clock()));
  await time.advance(LEASE);
  assert.is(lock.lost(), undefined);
  assert.is([...records.values()][0]!.expiresAt, lock.ticket.expiresAt, 'the record has the renewed expiry');
  assert.ok(Date.parse(lock.ticket.expiresAt) > time.now(), 'still a lease ahead');
  hooks.failRenew = true;
  await time.advance(LEASE / 3);
  assert.is(lock.lost(), undefined, 'one failed renewal is not yet a lost lock');
  await time.advance(LEASE);
  assert.match(lock.lost() ?? '', 'expired');
  hooks.failRenew = false;
  const other = await acquireLock('api7-dev', store, settings(time.clock()));
  records.clear();
  await time.advance(LEASE / 3);
  assert.match(other.lost() ?? '', 'was removed while the apply ran');
  await lock.release();
  await other.release();
});

test('a release that fails says until when the record holds and how to remove it', async () => {
  const time = virtualTime();
  const { store } = memoryStore();
  const lock = await acquireLock('api7-prod', store, settings(time.clock()));
  store.remove = async () => {
    throw new Error('socket hang up');
  };
  const problem = await lock.release();
  assert.match(problem ?? '', 'could not release the lock on api7-prod (socket hang up)');
  assert.match(problem ?? '', `it expires at ${lock.ticket.expiresAt}`);
  assert.is(await lock.release(), problem, 'released once');
});

test.run();
