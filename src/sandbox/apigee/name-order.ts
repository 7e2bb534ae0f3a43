import { revisionOf, type Listing } from '../revision.ts';
import { findProduct, type ApigeeState, type ApigeeStoredProduct } from './state.ts';

/**
 * The org's product names in list order (code-unit order, as http.ts byName), kept between the
 * pages of one listing: sorting every product for every page made listing N products cost
 * O(N² log N / page size) (100,000 products: most of a plan's wall time spent in the emulator).
 *
 * Writers reach `state.products` directly too (tests, `sandbox serve` reloading its file), so
 * nothing is invalidated by hand: on a listing's first page the cache is checked against the
 * object's own keys in insertion order, one pass of string comparisons, and any add or delete
 * changes those. Later pages (with `startKey`) skip that pass while no handler changed the state
 * (../revision.ts): `Object.keys` of 100,000 products costs 10–20 ms, and Apigee's pages follow
 * one another, so once per page it was 1–2 s of a plan's wall time.
 */
interface NameOrder {
  insertionOrder: string[];
  sorted: string[];
  /** The state's revision when the order was last known to match the keys. */
  revision: number;
}

const orders = new WeakMap<ApigeeState['products'], NameOrder>();

function sortedNames(products: ApigeeState['products'], listing: Listing): string[] {
  const cached = orders.get(products);
  if (cached && listing.continued && cached.revision === listing.revision) return cached.sorted;
  const keys = Object.keys(products);
  if (cached && sameKeys(cached.insertionOrder, keys)) {
    cached.revision = listing.revision;
    return cached.sorted;
  }
  // Default sort compares UTF-16 code units, the order byName gives.
  const order = { insertionOrder: keys, sorted: [...keys].sort(), revision: listing.revision };
  orders.set(products, order);
  return order.sorted;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the first name ≥ `key` in `sorted` (binary search). */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Up to `count` products in name order from the first whose name is ≥ `startKey` (from the first
 * without one), those `keep` accepts: what filtering, sorting and slicing the whole list gives.
 */
export function productPage(
  state: ApigeeState,
  startKey: string | null,
  count: number,
  keep: (product: ApigeeStoredProduct) => boolean,
): ApigeeStoredProduct[] {
  const sorted = sortedNames(state.products, { continued: startKey !== null, revision: revisionOf(state) });
  const page: ApigeeStoredProduct[] = [];
  for (let i = startKey === null ? 0 : lowerBound(sorted, startKey); i < sorted.length && page.length < count; i++) {
    // Absent when deleted straight from the state during this listing (the order is from its first page).
    const product = findProduct(state, sorted[i]!);
    if (product && keep(product)) page.push(product);
  }
  return page;
}
