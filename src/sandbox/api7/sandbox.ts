import { randomBytes } from 'node:crypto';
import type { TargetConfig } from '../../model/target.ts';
import type { SandboxKind } from '../index.ts';
import { coalescingSaver, loadStateFile } from '../state-file.ts';
import { startApi7Emulator } from './server.ts';
import { seedApi7State, type Api7State } from './state.ts';

function api7PortalName(target: TargetConfig): string {
  const portal = target.settings.portal;
  return typeof portal === 'string' && portal !== '' ? portal : 'default';
}

/** The API7 emulator behind `sandbox: true` targets of provider api7. */
export const api7Sandbox: SandboxKind = {
  seed: (target) => seedApi7State(api7PortalName(target)),
  async start(target, stateFile, faults) {
    const state = loadStateFile<Api7State>(stateFile, () => seedApi7State(api7PortalName(target)));
    // A new token per start: nothing outside this process can reuse it.
    const token = `a7ee-sandbox-${randomBytes(16).toString('hex')}`;
    const saver = coalescingSaver(stateFile);
    const emulator = await startApi7Emulator({
      token,
      state,
      onMutation: saver.changed,
      recordRequests: false,
      ...(faults ? { faults } : {}),
    });
    const close = async (): Promise<void> => {
      await emulator.close();
      saver.flush();
    };
    return { endpoint: { url: emulator.url, secret: token }, counters: emulator.counters, close };
  },
};

