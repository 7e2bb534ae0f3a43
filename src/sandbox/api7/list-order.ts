import type { Listing } from '../revision.ts';

/** What a list is ordered by (http.ts paginate): `order_by`'s timestamp, ties by id. */
export interface Ordered {
  id: string;
  created_at?: number;
  updated_at?: number;
}

export type OrderField = 'created_at' | 'updated_at';

/**
 * A list sorted once for all its pages: sorting every item for every page made listing N
 * products O(N² log N / page size) (API7 pages are requested together, so the emulator's sorts
 * followed one another on the plan's critical path).
 *
 * Handlers and tests change items in place (an update moves `updated_at`), so the cached order is
 * used only while the list holds the same items, in the same places, with the same ids and
 * timestamps: one pass of comparisons on a listing's first page, against a full sort. Later pages
 * of the listing skip even that pass while no handler changed the state (../revision.ts): one
 * pass per page made a listing of N items O(N² / page size), 13 s of the emulator's time for
 * 100,000 products in pages of 500.
 */
interface Snapshot {
  items: readonly Ordered[];
  ids: string[];
  keys: (number | undefined)[];
  sorted: Ordered[];
  /** The state's revision when the snapshot was last known to match the list. */
  revision: number;
}

const cache = new WeakMap<readonly Ordered[], Map<string, Snapshot>>();

export function sortedList<T extends Ordered>(items: readonly T[], orderBy: OrderField, sign: 1 | -1, listing: Listing): readonly T[] {
  const byOrder = cache.get(items) ?? new Map<string, Snapshot>();
  cache.set(items, byOrder);
  const order = `${orderBy} ${sign}`;
  const known = byOrder.get(order);
  if (known && ((listing.continued && known.revision === listing.revision) || unchanged(known, items, orderBy))) {
    known.revision = listing.revision;
    return known.sorted as T[];
  }
  const sorted = [...items].sort((a, b) => sign * ((a[orderBy] ?? 0) - (b[orderBy] ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  byOrder.set(order, { items: [...items], ids: items.map((item) => item.id), keys: items.map((item) => item[orderBy]), sorted, revision: listing.revision });
  return sorted;
}

function unchanged(snapshot: Snapshot, items: readonly Ordered[], orderBy: OrderField): boolean {
  if (snapshot.items.length !== items.length) return false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item !== snapshot.items[i] || item.id !== snapshot.ids[i] || item[orderBy] !== snapshot.keys[i]) return false;
  }
  return true;
}
