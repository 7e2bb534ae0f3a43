import type { Diagnostic } from '../model/diagnostic.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';

/**
 * Pruning a target that Git binds no product to would delete every product apiproducts manages
 * there: far more often a wrong `--products` directory, an emptied folder or a renamed target than
 * an intent (Argo CD refuses the same sync without `allowEmpty`). Refused; retiring a whole portal
 * is done product by product, or in the portal.
 */
export function pruneEverything(target: string, desired: readonly DesiredObject[], live: readonly LiveObject[]): Diagnostic | undefined {
  if (desired.length > 0) return undefined;
  const owned = live.filter((object) => object.owned).length;
  if (owned === 0) return undefined;
  return {
    severity: 'error',
    rule: 'plan/prune-everything',
    target,
    message: `pruning would delete all ${owned} product${owned === 1 ? '' : 's'} apiproducts manages on ${target}, because no product in Git is bound to it`,
    fix: `check --products and the targets: blocks; to retire every product there, remove them from Git a few at a time, or plan without --prune`,
  };
}
