import { readPlainYaml } from '../../src/load/plain-yaml.ts';
import { formatDiagnostic } from '../../src/model/diagnostic.ts';
import { getProviderKind } from '../../src/registry.ts';
import { loadAndValidate } from '../load/load-and-validate.ts';
import { fakeKinds } from '../validate/fake-provider.ts';
import { guarded } from './watchdog.ts';

/** The project's diagnostics as a user sees them, with the fake provider of the loader tests or the real ones. */
export function loadLines(cwd: string, kinds: 'fake' | 'real' = 'fake'): string[] {
  return loadAndValidate({ cwd, kinds: kinds === 'fake' ? fakeKinds : getProviderKind }).diagnostics.map(formatDiagnostic);
}

/** Whether the fast YAML path took the text (it declines what it does not handle). */
export function plainYamlTakes(text: string): boolean {
  return readPlainYaml(text) !== undefined;
}

/** The same, under the hang guard (test/helpers/watchdog.ts), for hostile inputs. */
export const guardedLoadLines = guarded<[string, ('fake' | 'real')?], string[]>(new URL(import.meta.url), 'loadLines');
export const guardedPlainYamlTakes = guarded<[string], boolean>(new URL(import.meta.url), 'plainYamlTakes');
