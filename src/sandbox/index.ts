import { join } from 'node:path';
import { UserError } from '../model/diagnostic.ts';
import type { TargetConfig } from '../model/target.ts';
import type { Endpoint } from '../model/target.ts';
import type { FaultCounters, FaultOptions } from './fault-options.ts';
import { claimOwner, type OwnerRecord, type Ownership } from './owner.ts';
import { saveStateFile } from './state-file.ts';

export type { OwnerRecord } from './owner.ts';

/** An emulator serving one sandbox target, its state persisted after every change. */
export interface RunningSandbox {
  /** The emulator's URL and the secret it accepts. */
  endpoint: Endpoint;
  /** What the emulator saw: requests, 429s, injected faults (all zero for another process's emulator). */
  counters: FaultCounters;
  /** Set when the emulator is a running `sandbox serve`'s, used instead of starting one. */
  servedBy?: OwnerRecord;
  /** Stops the emulator (if ours) and releases the sandbox; harmless twice. */
  close(): Promise<void>;
}

/** What the registry (src/registry.ts) knows of one provider kind's emulator. */
export interface SandboxKind {
  /** The state a new or reset sandbox starts from. */
  seed(target: TargetConfig): unknown;
  start(target: TargetConfig, stateFile: string, faults?: FaultOptions): Promise<RunningSandbox>;
}

/** Who asks for a sandbox: `serve` shares its emulator with CLI runs, a `run` (plan, apply, …) uses a serve's if one runs. */
export interface SandboxClaim {
  kind: OwnerRecord['kind'];
  /** Named to whoever finds the sandbox in use: `apiproducts apply`. */
  command: string;
}

/** `<stateDir>/<target>.json`. */
export function sandboxStateFile(target: TargetConfig, stateDir: string): string {
  return join(stateDir, `${target.name}.json`);
}

/** `<stateDir>/<target>.owner.json`: the one process that owns the state now (./owner.ts). */
export function sandboxOwnerFile(target: TargetConfig, stateDir: string): string {
  return join(stateDir, `${target.name}.owner.json`);
}

/**
 * Starts the target's emulator on 127.0.0.1 with its saved state (seeded on first use), with
 * faults if asked, once this process owns the state. A run finding a `serve` owner uses its
 * emulator instead; any other live owner is a UserError naming it.
 */
export async function startSandbox(
  kind: SandboxKind, target: TargetConfig, stateDir: string, claim: SandboxClaim, faults?: FaultOptions,
): Promise<RunningSandbox> {
  const claimed = await claimFor(target, stateDir, claim);
  if ('owner' in claimed) {
    const { owner } = claimed;
    if (claim.kind === 'run' && owner.kind === 'serve' && owner.url) {
      return { endpoint: { url: owner.url, ...(owner.secret ? { secret: owner.secret } : {}) }, counters: zeroCounters(), servedBy: owner, close: async () => {} };
    }
    throw inUse(target, owner);
  }
  let running: RunningSandbox;
  try {
    running = await kind.start(target, sandboxStateFile(target, stateDir), faults);
  } catch (error) {
    claimed.release();
    throw error;
  }
  const { url, secret } = running.endpoint;
  // Only a serve's emulator is used by others, so only its token is written down.
  claimed.publish({ url, ...(claim.kind === 'serve' && secret ? { secret } : {}) });
  let closing: Promise<void> | undefined;
  return {
    ...running,
    // Stopped before released: the next owner must not load the state while this one may still save it.
    close: () => (closing ??= running.close().finally(() => claimed.release())),
  };
}

/** Replaces the target's saved state with a fresh seed; refused while a live process owns it (it would revert the reset). */
export async function resetSandbox(kind: SandboxKind, target: TargetConfig, stateDir: string): Promise<void> {
  const claimed = await claimFor(target, stateDir, { kind: 'run', command: 'apiproducts sandbox reset' });
  if ('owner' in claimed) throw inUse(target, claimed.owner);
  try {
    saveStateFile(sandboxStateFile(target, stateDir), kind.seed(target));
  } finally {
    claimed.release();
  }
}

function claimFor(target: TargetConfig, stateDir: string, claim: SandboxClaim): Promise<Ownership | { owner: OwnerRecord }> {
  return claimOwner(sandboxOwnerFile(target, stateDir), {
    pid: process.pid,
    kind: claim.kind,
    command: claim.command,
    startedAt: new Date().toISOString(),
  });
}

function inUse(target: TargetConfig, owner: OwnerRecord): UserError {
  const advice =
    owner.kind === 'run' ? 'wait for it to finish'
    : owner.url ? 'stop it first, or run plan and apply while it serves: they use its emulator'
    : 'it is still starting; try again';
  return new UserError(`sandbox ${target.name} is in use by \`${owner.command}\` (pid ${owner.pid}) since ${owner.startedAt}; ${advice}`);
}

function zeroCounters(): FaultCounters {
  return { requests: 0, rateLimited: 0, failed: 0, dropped: 0, slowed: 0, inFlight: 0, maxInFlight: 0 };
}
