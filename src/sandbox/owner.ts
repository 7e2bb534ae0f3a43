import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';

/**
 * Who owns a sandbox's state now: `<target>.owner.json` next to the state file. Every process
 * that starts an emulator loads the state into memory and saves it after each change, so two at
 * once would silently revert each other; the record makes one of them the owner and tells the
 * others whom to use or wait for.
 */
export interface OwnerRecord {
  pid: number;
  /** The owner's emulator; absent while it is still starting. */
  url?: string;
  /** The token the emulator accepts: written only by `serve`, whose emulator others use. */
  secret?: string;
  /** `serve` shares its emulator with CLI runs; a `run` shares it with nobody. */
  kind: 'serve' | 'run';
  /** What the owner is doing, for the message another process shows (`apiproducts apply`). */
  command: string;
  startedAt: string;
}

/** The record this process holds: publish its emulator's URL, then release it on close. */
export interface Ownership {
  publish(details: Pick<OwnerRecord, 'url' | 'secret'>): void;
  /** Removes the record if it is still ours; harmless twice. */
  release(): void;
}

/** Enough for processes that keep taking over each other's stale records; more means something is wrong. */
const ATTEMPTS = 5;

/**
 * Claims `file` for `record`, or returns the live owner. A stale record (its process is gone, or
 * its serve no longer answers) is taken over; of two processes taking it over, one wins and the
 * other sees the winner on its next attempt.
 */
export async function claimOwner(file: string, record: OwnerRecord): Promise<Ownership | { owner: OwnerRecord }> {
  mkdirSync(dirname(file), { recursive: true });
  const text = `${JSON.stringify(record, null, 2)}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusive(file, text)) return ownership(file, record, text);
    const found = readRecord(file);
    if (!found) continue;
    if (found.record && (await isLive(found.record))) return { owner: found.record };
    removeIfUnchanged(file, found.text);
  }
  throw new Error(`could not claim ${file}: ${ATTEMPTS} attempts lost to other processes`);
}

/**
 * Writes the complete record to a temporary file and hard-links it into place: link(2) fails if
 * the name exists, like open(O_EXCL), but a reader can never see the record half-written.
 */
function createExclusive(file: string, text: string): boolean {
  const temporary = temporaryName(file);
  writeFileSync(temporary, text, { mode: 0o600 });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The record at `file` and its text (to tell it from a newer one); no record when it is not one (edited by hand): stale. */
function readRecord(file: string): { record?: OwnerRecord; text: string } | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as OwnerRecord;
    if (Number.isInteger(record.pid) && (record.kind === 'serve' || record.kind === 'run') && typeof record.command === 'string') {
      return { record, text };
    }
  } catch {
    // Falls through: unreadable is stale.
  }
  return { text };
}

/**
 * Alive: its process exists (EPERM: it does, as another user) and, for a listening serve, its port
 * accepts a connection. Only a connection is tried, not a request: a serve injecting faults may
 * drop or delay any request, and must not be taken for dead for it.
 */
async function isLive(record: OwnerRecord): Promise<boolean> {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (record.kind !== 'serve' || !record.url) return true;
  const { hostname, port } = new URL(record.url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    // Refused or unreachable: the pid was reused by another program and nothing serves there now.
    socket.once('error', () => resolve(false));
    // No answer either way (a firewall dropping packets): kept as live, since a refusal naming the
    // owner is recoverable (remove the record) and two owners reverting each other are not.
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

/**
 * Removes a stale record, unless another process has replaced it meanwhile. The rename is atomic,
 * so of several processes only one moves the file; if what it moved is not the stale record it
 * judged, it was a new owner's, and it is put back (link: only if no one has claimed the name since).
 */
function removeIfUnchanged(file: string, staleText: string | undefined): void {
  const moved = temporaryName(file);
  try {
    renameSync(file, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readText(moved) !== staleText) linkSync(moved, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(moved, { force: true });
  }
}

function ownership(file: string, record: OwnerRecord, created: string): Ownership {
  let current = created;
  let released = false;
  return {
    publish(details) {
      const text = `${JSON.stringify({ ...record, ...details }, null, 2)}\n`;
      const temporary = temporaryName(file);
      writeFileSync(temporary, text, { mode: 0o600 });
      renameSync(temporary, file);
      current = text;
    },
    release() {
      if (released) return;
      released = true;
      // Only our own record: if ours was (wrongly) judged stale and replaced, the new one stays.
      if (readText(file) === current) rmSync(file, { force: true });
    },
  };
}
