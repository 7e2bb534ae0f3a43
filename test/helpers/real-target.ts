import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { copyExampleProject, onlyApi7Binding } from './project.ts';

export const TOKEN = 'a7ee-real-target-test-token';
export const TARGET_ENV = { API7_TOKEN: TOKEN };

/**
 * The example project bound to a non-sandbox target `api7-prod` served by a fresh emulator in this
 * process, so a test can act as "another client" on the same portal between two CLI runs.
 * `now`: the emulator's clock (Unix seconds), for tests that need creation times to differ.
 */
export async function exampleAgainstEmulator(options: { now?: () => number } = {}): Promise<{ cwd: string; emulator: Api7Emulator }> {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State(), ...options });
  const cwd = copyExampleProject();
  writeFileSync(join(cwd, 'apiproducts.yaml'), `targets:\n  api7-prod:\n    provider: api7\n    url: ${emulator.url}\n    portal: default\n    tokenEnv: API7_TOKEN\n`);
  for (const name of ['payments', 'orders', 'identity', 'weather', 'loyalty']) {
    const file = join(cwd, 'products', `${name}.yaml`);
    writeFileSync(file, onlyApi7Binding(readFileSync(file, 'utf8')).replace('sandbox-api7:', 'api7-prod:'));
  }
  return { cwd, emulator };
}

/** Another client's request to the emulator, over HTTP like the dashboard would. */
export async function otherClient(emulator: Api7Emulator, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(emulator.url + path, {
    method,
    headers: { 'X-API-KEY': TOKEN, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
