import { join } from 'node:path';
import type { TargetConfig } from '../model/target.ts';
import type { Endpoint } from '../model/target.ts';
import type { FaultCounters, FaultOptions } from './fault-options.ts';
import { saveStateFile } from './state-file.ts';

/** An emulator serving one sandbox target, its state persisted after every change. */
export interface RunningSandbox {
  /** The emulator's URL and the secret it accepts. */
  endpoint: Endpoint;
  /** What the emulator saw: requests, 429s, injected faults. */
  counters: FaultCounters;
  close(): Promise<void>;
}

/** What the registry (src/registry.ts) knows of one provider kind's emulator. */
export interface SandboxKind {
  /** The state a new or reset sandbox starts from. */
  seed(target: TargetConfig): unknown;
  start(target: TargetConfig, stateFile: string, faults?: FaultOptions): Promise<RunningSandbox>;
}

/** `<stateDir>/<target>.json`. */
export function sandboxStateFile(target: TargetConfig, stateDir: string): string {
  return join(stateDir, `${target.name}.json`);
}

/** Starts the target's emulator on 127.0.0.1 with its saved state (seeded on first use), with faults if asked. */
export async function startSandbox(kind: SandboxKind, target: TargetConfig, stateDir: string, faults?: FaultOptions): Promise<RunningSandbox> {
  return kind.start(target, sandboxStateFile(target, stateDir), faults);
}

/** Replaces the target's saved state with a fresh seed. */
export function resetSandbox(kind: SandboxKind, target: TargetConfig, stateDir: string): void {
  saveStateFile(sandboxStateFile(target, stateDir), kind.seed(target));
}
