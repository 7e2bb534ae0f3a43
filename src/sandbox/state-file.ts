import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../model/diagnostic.ts';

/**
 * The sandbox state saved at `path`, or a fresh `seed()` (written there first) when there is
 * none yet. A file that is not a JSON object is refused rather than silently reseeded: it may
 * hold state the user still wants.
 */
export function loadStateFile<T>(path: string, seed: () => T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const seeded = seed();
    saveStateFile(path, seeded);
    return seeded;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, (error as Error).message);
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw corrupt(path, 'not a JSON object');
  return state as T;
}

function corrupt(path: string, reason: string): UserError {
  return new UserError(
    `sandbox state file ${path} is corrupt (${reason}); run \`apiproducts sandbox reset\` to reseed it`,
  );
}

/** Writes the state atomically (temporary file, then rename), creating the directory if needed. */
export function saveStateFile(path: string, state: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** How long a change may wait before it is on disk: a crash of the emulator's process loses at most this. */
export const SAVE_INTERVAL_MS = 200;

/**
 * Saves a state that changes often at most once per `intervalMs`, and at once on `flush()` (when
 * the emulator closes). Writing the whole file after every change cost ~11 ms of CPU per write
 * on a large portal, so `sandbox serve` could not sustain a fast client; the state in memory is
 * what the emulator serves, so readers are never behind, only the file is.
 */
export function coalescingSaver(path: string, intervalMs = SAVE_INTERVAL_MS): { changed(state: unknown): void; flush(): void } {
  let pending: { state: unknown } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const { state } = pending;
    pending = undefined;
    saveStateFile(path, state);
  };
  return {
    changed(state) {
      pending = { state };
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}
