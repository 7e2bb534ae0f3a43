/**
 * How many changes an emulator's own handlers have made to a state: a list order cached for the
 * pages of one listing is trusted on that listing's later pages while the count stays the same,
 * instead of being checked against every item again for every page (O(N) per page made listing
 * 100,000 products quadratic: list-order.ts, name-order.ts).
 *
 * Writes made straight to the state object (tests planting products, a reloaded file) are not
 * counted: the full check on each listing's FIRST page catches them, so they show from the next
 * listing on, never half-way through one.
 */
const revisions = new WeakMap<object, number>();

/** A handler changed `state` (its reply said `mutated`). */
export function countChange(state: object): void {
  revisions.set(state, revisionOf(state) + 1);
}

export function revisionOf(state: object): number {
  return revisions.get(state) ?? 0;
}

/** Which page of a listing is being served, and the state's revision: what a cached order may be trusted for. */
export interface Listing {
  /** A page after the first (API7 `page` > 1, Apigee with `startKey`). */
  continued: boolean;
  revision: number;
}
