import type { DesiredObject, LiveObject } from '../model/objects.ts';

/**
 * How one identity on a target pairs up. `collision`: Git wants an object whose identity is held
 * by a live object we do not own; `orphan`: we own it but Git no longer has it.
 */
export type Pair =
  | { kind: 'create'; desired: DesiredObject }
  | { kind: 'existing'; desired: DesiredObject; live: LiveObject }
  | { kind: 'collision'; desired: DesiredObject; live: LiveObject }
  | { kind: 'orphan'; live: LiveObject }
  | { kind: 'unmanaged'; live: LiveObject };

/** Pairs desired with live objects by key; every object ends up in exactly one pair. */
export function matchObjects(desired: readonly DesiredObject[], live: readonly LiveObject[]): Pair[] {
  const liveByKey = new Map<string, LiveObject>();
  const pairs: Pair[] = [];
  for (const object of live) {
    const holder = liveByKey.get(object.key);
    if (!holder || (object.owned && !holder.owned)) {
      if (holder) pairs.push({ kind: 'unmanaged', live: holder });
      liveByKey.set(object.key, object);
      continue;
    }
    // A second object under one key: an owned duplicate is ours to prune, anything else is left alone.
    pairs.push(object.owned ? { kind: 'orphan', live: object } : { kind: 'unmanaged', live: object });
  }
  const wanted = new Set<string>();
  for (const object of desired) {
    wanted.add(object.key);
    const match = liveByKey.get(object.key);
    if (!match) pairs.push({ kind: 'create', desired: object });
    else if (match.owned) pairs.push({ kind: 'existing', desired: object, live: match });
    else pairs.push({ kind: 'collision', desired: object, live: match });
  }
  for (const object of liveByKey.values()) {
    if (wanted.has(object.key)) continue;
    pairs.push(object.owned ? { kind: 'orphan', live: object } : { kind: 'unmanaged', live: object });
  }
  return pairs;
}
