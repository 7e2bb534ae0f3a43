/** Seeded Apigee emulators for one test file: each test starts its own, all closed after the file. */
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';

export function seededEmulators(suite: { after: (hook: () => Promise<void>) => void }): (flavour: Flavour) => Promise<ApigeeEmulator> {
  const running: ApigeeEmulator[] = [];
  suite.after(async () => {
    await Promise.all(running.map((emulator) => emulator.close()));
  });
  return async (flavour) => {
    const emulator = await startApigeeEmulator({ flavour, org: ORG, credentials: { token: TOKEN }, state: seedApigeeState(ORG, flavour) });
    running.push(emulator);
    return emulator;
  };
}
