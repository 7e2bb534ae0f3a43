/**
 * Shared by the Apigee HTTP tests: an emulator per test (either flavour), a provider connected to
 * it the way the sandbox connects one, and a log of every error message seen, which the tests
 * grep for credentials at the end.
 */
import * as assert from 'uvu/assert';
import type { TargetConfig } from '../../src/model/target.ts';
import { apigee } from '../../src/providers/apigee/index.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import type { LiveObject } from '../../src/model/objects.ts';
import { startApigeeEmulator, type ApigeeCredentials, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import { apigeeTarget, ORG, TOKEN, type Flavour } from './apigee-fixtures.ts';

export const PRODUCTS_PATH = `/v1/organizations/${ORG}/apiproducts`;

export interface Setup {
  state?: ApigeeState;
  credentials?: ApigeeCredentials;
}

export async function withEmulator(flavour: Flavour, run: (emulator: ApigeeEmulator) => Promise<void>, setup: Setup = {}): Promise<void> {
  const emulator = await startApigeeEmulator({
    flavour,
    org: ORG,
    credentials: setup.credentials ?? { token: TOKEN },
    state: setup.state ?? seedApigeeState(ORG),
    now: () => 1767225600000,
  });
  try {
    await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** Connected like a sandbox target: the emulator's secret as Bearer token. */
export function connect(emulator: ApigeeEmulator, flavour: Flavour, secret: string = TOKEN): Provider {
  return apigee.connect(apigeeTarget(flavour), { url: emulator.url, secret });
}

/** A target as written for a real org: credentials come from the variables it names. */
export function realTarget(emulator: ApigeeEmulator, flavour: Flavour, settings: Record<string, unknown>): TargetConfig {
  const target = apigeeTarget(flavour, settings);
  return { ...target, sandbox: false, url: emulator.url, settings: { ...target.settings, sandbox: false, url: emulator.url } };
}

export const byKey = (live: LiveObject[], key: string): LiveObject | undefined => live.find((object) => object.key === key);

/** `failure(promise)` expects a ProviderError and logs its message in `messages`. */
export function createFailureLog(): { messages: string[]; failure: (promise: Promise<unknown>) => Promise<ProviderError> } {
  const messages: string[] = [];
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    try {
      await promise;
    } catch (error) {
      assert.instance(error, ProviderError);
      messages.push((error as Error).message);
      return error as ProviderError;
    }
    throw new Error('expected a ProviderError');
  };
  return { messages, failure };
}

/** No credential, whole or part of a sentinel, and no line break in any message. */
export function assertNoSecrets(messages: readonly string[], secrets: readonly string[]): void {
  for (const message of messages) {
    for (const secret of secrets) assert.not.match(message, secret);
    assert.not.match(message, 'SENTINEL');
    assert.not.match(message, '\n');
  }
}
