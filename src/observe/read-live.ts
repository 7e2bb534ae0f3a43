import { UserError, type Diagnostic } from '../model/diagnostic.ts';
import type { ObserveScope, Provider } from '../providers/provider.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';

export interface LiveTarget {
  live: LiveObject[];
  observedAt: string;
  /** Read with Provider.observeOwned: unowned objects were not read, so none is counted. */
  ownedOnly?: true;
}

/** What one target's observation is for. */
export interface TargetScope extends ObserveScope {
  /**
   * Read-only drift: the objects Git wants there. When the provider can list its own objects
   * cheaper and every one of these that needs no unowned object is found among them, that read is
   * enough: no desired key can collide with an unowned object, and orphans and duplicates are
   * owned. Otherwise (a key missing, an `adopt`) everything is read, as plan does.
   */
  ownedOnlyFor?: readonly DesiredObject[];
}

/** Observes every target concurrently; one unreachable target fails the run, naming each failure. */
export async function observeTargets(providers: ReadonlyMap<string, Provider>, scopes: ReadonlyMap<string, TargetScope> = new Map()): Promise<Map<string, LiveTarget>> {
  const names = [...providers.keys()];
  const outcomes = await Promise.allSettled(
    names.map(async (name) => {
      const observedAt = new Date().toISOString();
      return { ...(await observeOne(providers.get(name)!, scopes.get(name) ?? {})), observedAt };
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

async function observeOne(provider: Provider, scope: TargetScope): Promise<Omit<LiveTarget, 'observedAt'>> {
  const { ownedOnlyFor, ...observeScope } = scope;
  if (ownedOnlyFor && provider.observeOwned && !ownedOnlyFor.some((object) => object.adopt)) {
    const owned = (await provider.observeOwned(observeScope)).filter((object) => object.owned);
    const keys = new Set(owned.map((object) => object.key));
    if (ownedOnlyFor.every((object) => keys.has(object.key))) return { live: owned, ownedOnly: true };
  }
  return { live: await provider.observe(observeScope) };
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
