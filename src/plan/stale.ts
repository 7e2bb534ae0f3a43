import type { Change, FieldChange } from '../model/plan.ts';
import type { LiveObject } from '../model/objects.ts';
import { refLabel } from '../model/objects.ts';
import { objectFingerprint } from '../model/fingerprint.ts';
import { compareStates } from '../diff/compare.ts';

/** An object a saved plan relied on that has moved since: apply writes nothing when there is one. */
export interface StaleObject {
  target: string;
  key: string;
  /** One sentence: appeared, disappeared, lost our marker, or which fields moved. */
  what: string;
  fields: FieldChange[];
}

/**
 * Pure: compares every change's precondition with the live objects observed now. Objects are
 * checked once even when several changes (unpublish → update → publish) share them.
 */
export function findStaleObjects(changes: readonly Change[], liveByTarget: ReadonlyMap<string, readonly LiveObject[]>): StaleObject[] {
  const stale: StaleObject[] = [];
  const checked = new Set<string>();
  for (const change of changes) {
    // A change with a ref addresses that exact copy: with duplicates, the other copies of its key are not it.
    const ref = change.ref && refLabel(change.ref);
    const id = `${change.target}/${change.key}${ref === undefined ? '' : `@${ref}`}`;
    if (checked.has(id)) continue;
    checked.add(id);
    const live = liveObjectOf(change, liveByTarget);
    const precondition = change.precondition;
    const copy = change.duplicate ? `(copy ${ref}) ` : '';
    const report = (what: string, fields: FieldChange[] = []) => stale.push({ target: change.target, key: change.key, what: copy + what, fields });
    if (precondition.kind === 'absent') {
      if (live) report(`was absent when planned and now exists${live.owned ? '' : ' (not managed by apiproducts)'}`);
      continue;
    }
    if (!live) {
      report('existed when planned and is now gone');
      continue;
    }
    if (!live.owned && !change.adopts) {
      report('no longer carries the apiproducts ownership marker');
      continue;
    }
    const now = { status: live.status, state: live.state };
    if (objectFingerprint(now) === precondition.fingerprint) continue;
    const fields = compareStates(precondition.observed.state, live.state);
    if (precondition.observed.status !== live.status) fields.unshift({ path: 'status', before: precondition.observed.status, after: live.status });
    report('changed since the plan was made', fields);
  }
  return stale;
}

/** The live object a change addresses: its exact copy when it has a ref, else the owned one under its key. */
function liveObjectOf(change: Change, liveByTarget: ReadonlyMap<string, readonly LiveObject[]>): LiveObject | undefined {
  const ref = change.ref && refLabel(change.ref);
  const candidates = (liveByTarget.get(change.target) ?? []).filter((object) => object.key === change.key);
  return ref === undefined ? (candidates.find((object) => object.owned) ?? candidates[0]) : candidates.find((object) => refLabel(object.ref) === ref);
}

/**
 * Pure: the ids of the deletes and unpublishes whose live object is marked protected NOW, for
 * apply to refuse whatever the plan says (a saved plan made before the marker was applied, or by
 * a version that did not read it).
 */
export function protectedOnPortal(changes: readonly Change[], liveByTarget: ReadonlyMap<string, readonly LiveObject[]>): Set<string> {
  const ids = new Set<string>();
  for (const change of changes) {
    if ((change.action === 'delete' || change.action === 'unpublish') && !change.duplicate && liveObjectOf(change, liveByTarget)?.protected) ids.add(change.id);
  }
  return ids;
}
