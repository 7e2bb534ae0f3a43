import { randomBytes } from 'node:crypto';
import { UserError } from '../../model/diagnostic.ts';
import type { TargetConfig } from '../../model/target.ts';
import type { SandboxKind } from '../index.ts';
import { coalescingSaver, loadStateFile } from '../state-file.ts';
import { startApigeeEmulator } from './server.ts';
import { APIGEE_FLAVOURS, seedApigeeState, type ApigeeFlavour, type ApigeeState } from './state.ts';

/** `settings.flavour` (default `edge`) and `settings.org` (default `sandbox`) of an Apigee target. */
function apigeeSettings(target: TargetConfig): { flavour: ApigeeFlavour; org: string } {
  const { flavour = 'edge', org } = target.settings;
  if (!APIGEE_FLAVOURS.includes(flavour as ApigeeFlavour)) {
    throw new UserError(`target ${target.name}: flavour must be one of ${APIGEE_FLAVOURS.join(', ')}, got ${JSON.stringify(flavour)}`);
  }
  return { flavour: flavour as ApigeeFlavour, org: typeof org === 'string' && org !== '' ? org : 'sandbox' };
}

/** The Apigee emulator (Edge or X, by `flavour`) behind `sandbox: true` targets of provider apigee. */
export const apigeeSandbox: SandboxKind = {
  seed: (target) => {
    const { flavour, org } = apigeeSettings(target);
    return seedApigeeState(org, flavour);
  },
  async start(target, stateFile, faults) {
    const { flavour, org } = apigeeSettings(target);
    const state = loadStateFile<ApigeeState>(stateFile, () => seedApigeeState(org, flavour));
    // A new token per start, as for API7. The provider sends the Endpoint secret as
    // `Authorization: Bearer <secret>` on BOTH flavours (Edge also takes Bearer; X takes nothing else).
    const token = `apigee-sandbox-${randomBytes(16).toString('hex')}`;
    const saver = coalescingSaver(stateFile);
    const emulator = await startApigeeEmulator({
      flavour,
      org,
      credentials: { token },
      state,
      onMutation: saver.changed,
      recordRequests: false,
      // `privateCloud: true` on an Edge sandbox target: an Edge for Private Cloud management server (opdk.ts).
      privateCloud: flavour === 'edge' && target.settings.privateCloud === true,
      ...(faults ? { faults } : {}),
    });
    const close = async (): Promise<void> => {
      await emulator.close();
      saver.flush();
    };
    return { endpoint: { url: emulator.url, secret: token }, counters: emulator.counters, close };
  },
};

