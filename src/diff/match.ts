import type { DesiredObject, LiveObject } from '../model/objects.ts';
import { refLabel } from '../model/objects.ts';

/**
 * How one identity on a target pairs up. `collision`: Git wants an object whose identity is held
 * by a live object we do not own; `orphan`: we own it but Git no longer has it; `duplicate`: more
 * than one live object we own claims the identity (two concurrent applies created it twice).
 */
export type Pair =
  | { kind: 'create'; desired: DesiredObject }
  | { kind: 'existing'; desired: DesiredObject; live: LiveObject }
  | { kind: 'collision'; desired: DesiredObject; live: LiveObject }
  | { kind: 'orphan'; live: LiveObject }
  | { kind: 'unmanaged'; live: LiveObject }
  | { kind: 'duplicate'; copies: DuplicateCopies; desired?: DesiredObject };

/**
 * The owned objects under one key, oldest first. `kept` (the oldest) is also in the key's
 * `existing` or `orphan` pair, so Git's changes apply to it; `newer` are in no other pair.
 * `order`: `created` when the creation times alone decide which is oldest; `id` when a copy has
 * no creation time or the oldest time is shared, and the lowest provider id is kept instead.
 */
export interface DuplicateCopies {
  key: string;
  kept: LiveObject;
  newer: LiveObject[];
  order: 'created' | 'id';
}

/** Pairs desired with live objects by key; every object ends up in exactly one pair (see DuplicateCopies). */
export function matchObjects(desired: readonly DesiredObject[], live: readonly LiveObject[]): Pair[] {
  const ownedByKey = new Map<string, LiveObject[]>();
  const unownedByKey = new Map<string, LiveObject>();
  const pairs: Pair[] = [];
  for (const object of live) {
    if (object.owned) {
      ownedByKey.get(object.key)?.push(object) ?? ownedByKey.set(object.key, [object]);
      continue;
    }
    // Unowned objects under a taken key are left alone; only the first can be a collision.
    if (unownedByKey.has(object.key)) pairs.push({ kind: 'unmanaged', live: object });
    else unownedByKey.set(object.key, object);
  }
  const liveByKey = new Map<string, LiveObject>();
  for (const [key, object] of unownedByKey) {
    if (ownedByKey.has(key)) pairs.push({ kind: 'unmanaged', live: object });
    else liveByKey.set(key, object);
  }
  const desiredByKey = new Map(desired.map((object) => [object.key, object]));
  for (const [key, objects] of ownedByKey) {
    // One owned object under its key, the common case: nothing to order.
    if (objects.length === 1) {
      liveByKey.set(key, objects[0]!);
      continue;
    }
    const copies = orderCopies(key, objects);
    liveByKey.set(key, copies.kept);
    const wantedAs = desiredByKey.get(key);
    if (copies.newer.length) pairs.push({ kind: 'duplicate', copies, ...(wantedAs ? { desired: wantedAs } : {}) });
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

/** Oldest first by creation time, then by provider id, so the same copies always keep the same one. */
function orderCopies(key: string, objects: readonly LiveObject[]): DuplicateCopies {
  const byId = [...objects].sort((a, b) => compare(refLabel(a.ref), refLabel(b.ref)));
  const times = byId.map((object) => (object.createdAt === undefined ? NaN : Date.parse(object.createdAt)));
  const oldest = Math.min(...times);
  const decided = times.every((time) => !Number.isNaN(time)) && times.filter((time) => time === oldest).length === 1;
  const ordered = decided
    ? byId.map((object, index) => ({ object, time: times[index]! })).sort((a, b) => a.time - b.time).map(({ object }) => object)
    : byId;
  return { key, kept: ordered[0]!, newer: ordered.slice(1), order: decided ? 'created' : 'id' };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
