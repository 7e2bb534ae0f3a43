import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { UserError } from '../model/diagnostic.ts';
import type { TargetConfig } from '../model/target.ts';
import type { Endpoint } from '../providers/provider.ts';
import { startApi7Emulator } from './api7/server.ts';
import { seedApi7State, type Api7State } from './api7/state.ts';
import { startApigeeEmulator } from './apigee/server.ts';
import type { FaultCounters, FaultOptions } from './faults.ts';
import { APIGEE_FLAVOURS, seedApigeeState, type ApigeeFlavour, type ApigeeState } from './apigee/state.ts';
import { loadStateFile, saveStateFile } from './state-file.ts';

/** An emulator serving one sandbox target, its state persisted after every change. */
export interface RunningSandbox {
  /** The emulator's URL and the secret it accepts. */
  endpoint: Endpoint;
  /** What the emulator saw: requests, 429s, injected faults. */
  counters: FaultCounters;
  close(): Promise<void>;
}

/** What the registry needs to know about one provider kind's emulator. */
interface SandboxKind {
  /** The state a new or reset sandbox starts from. */
  seed(target: TargetConfig): unknown;
  start(target: TargetConfig, stateFile: string, faults?: FaultOptions): Promise<RunningSandbox>;
}

function api7PortalName(target: TargetConfig): string {
  const portal = target.settings.portal;
  return typeof portal === 'string' && portal !== '' ? portal : 'default';
}

const api7Sandbox: SandboxKind = {
  seed: (target) => seedApi7State(api7PortalName(target)),
  async start(target, stateFile, faults) {
    const state = loadStateFile<Api7State>(stateFile, () => seedApi7State(api7PortalName(target)));
    // A new token per start: nothing outside this process can reuse it.
    const token = `a7ee-sandbox-${randomBytes(16).toString('hex')}`;
    const emulator = await startApi7Emulator({
      token,
      state,
      onMutation: (changed) => saveStateFile(stateFile, changed),
      ...(faults ? { faults } : {}),
    });
    return { endpoint: { url: emulator.url, secret: token }, counters: emulator.counters, close: () => emulator.close() };
  },
};

/** `settings.flavour` (default `edge`) and `settings.org` (default `sandbox`) of an Apigee target. */
function apigeeSettings(target: TargetConfig): { flavour: ApigeeFlavour; org: string } {
  const { flavour = 'edge', org } = target.settings;
  if (!APIGEE_FLAVOURS.includes(flavour as ApigeeFlavour)) {
    throw new UserError(`target ${target.name}: flavour must be one of ${APIGEE_FLAVOURS.join(', ')}, got ${JSON.stringify(flavour)}`);
  }
  return { flavour: flavour as ApigeeFlavour, org: typeof org === 'string' && org !== '' ? org : 'sandbox' };
}

const apigeeSandbox: SandboxKind = {
  seed: (target) => seedApigeeState(apigeeSettings(target).org),
  async start(target, stateFile, faults) {
    const { flavour, org } = apigeeSettings(target);
    const state = loadStateFile<ApigeeState>(stateFile, () => seedApigeeState(org));
    // A new token per start, as for API7. The provider sends the Endpoint secret as
    // `Authorization: Bearer <secret>` on BOTH flavours (Edge also takes Bearer; X takes nothing else).
    const token = `apigee-sandbox-${randomBytes(16).toString('hex')}`;
    const emulator = await startApigeeEmulator({
      flavour,
      org,
      credentials: { token },
      state,
      onMutation: (changed) => saveStateFile(stateFile, changed),
      ...(faults ? { faults } : {}),
    });
    return { endpoint: { url: emulator.url, secret: token }, counters: emulator.counters, close: () => emulator.close() };
  },
};

/** The only place that maps a provider kind to its emulator. */
const SANDBOX_KINDS: Readonly<Record<string, SandboxKind>> = { api7: api7Sandbox, apigee: apigeeSandbox };

function sandboxKind(target: TargetConfig): SandboxKind {
  const kind = SANDBOX_KINDS[target.provider];
  if (!kind) {
    throw new UserError(
      `target ${target.name}: no sandbox exists for provider "${target.provider}" ` +
        `(sandboxes exist for: ${Object.keys(SANDBOX_KINDS).join(', ')})`,
    );
  }
  return kind;
}

/** `<stateDir>/<target>.json`. */
export function sandboxStateFile(target: TargetConfig, stateDir: string): string {
  return join(stateDir, `${target.name}.json`);
}

/** Starts the target's emulator on 127.0.0.1 with its saved state (seeded on first use), with faults if asked. */
export async function startSandbox(target: TargetConfig, stateDir: string, faults?: FaultOptions): Promise<RunningSandbox> {
  return sandboxKind(target).start(target, sandboxStateFile(target, stateDir), faults);
}

/** Replaces the target's saved state with a fresh seed. */
export function resetSandbox(target: TargetConfig, stateDir: string): void {
  saveStateFile(sandboxStateFile(target, stateDir), sandboxKind(target).seed(target));
}
