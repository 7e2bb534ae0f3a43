import { UserError, type Diagnostic } from '../model/diagnostic.ts';
import type { Provider } from '../providers/provider.ts';
import type { LiveObject } from '../model/objects.ts';

export interface LiveTarget {
  live: LiveObject[];
  observedAt: string;
}

/** Observes every target concurrently; one unreachable target fails the run, naming each failure. */
export async function observeTargets(providers: ReadonlyMap<string, Provider>): Promise<Map<string, LiveTarget>> {
  const names = [...providers.keys()];
  const outcomes = await Promise.allSettled(
    names.map(async (name) => {
      const observedAt = new Date().toISOString();
      return { live: await providers.get(name)!.observe(), observedAt };
    }),
  );
  const failures: Diagnostic[] = [];
  const state = new Map<string, LiveTarget>();
  outcomes.forEach((outcome, index) => {
    const target = names[index]!;
    if (outcome.status === 'fulfilled') state.set(target, outcome.value);
    else failures.push({ severity: 'error', rule: 'observe/failed', message: reason(outcome.reason), target });
  });
  if (failures.length) throw new UserError('could not read the live state of every target', failures);
  return state;
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
