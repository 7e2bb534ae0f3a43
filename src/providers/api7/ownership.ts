import { isOurs } from '../../model/objects.ts';
import { lastAppliedIn, MARKER_KEYS, markerEntries, PROTECTED_VALUE } from '../ownership-marker.ts';
import { LOCK_LABEL, LOCK_NAME_PREFIX, NAME_LABEL, OWNER_LABEL, OWNER_VALUE, type Api7Product } from './wire.ts';

/** The ownership marker (../ownership-marker.ts) as labels. */
export const APPLIED_LABEL = MARKER_KEYS.applied;
export const OWNER_NAME_LABEL = MARKER_KEYS.ownerName;
export const PROTECTED_LABEL = MARKER_KEYS.protected;

/** Carries apiproducts' marker, whoever's: an owner's or no owner's. */
export function isMarked(product: Api7Product): boolean {
  return product.labels?.[OWNER_LABEL] === OWNER_VALUE && Boolean(product.labels?.[NAME_LABEL]);
}

/** The owner its marker names; undefined when it names none (or carries no marker). */
export function markerOwner(product: Api7Product): string | undefined {
  return product.labels?.[OWNER_NAME_LABEL];
}

/** Carries the marker of the configuration whose `owner:` is `owner`. */
export function isOwned(product: Api7Product, owner?: string): boolean {
  return isMarked(product) && isOurs(markerOwner(product), owner);
}

export function isMarkedProtected(product: Api7Product): boolean {
  return isMarked(product) && product.labels?.[PROTECTED_LABEL] === PROTECTED_VALUE;
}

/** The product's labels without the ones apiproducts manages for itself. */
export function withoutOwnership(labels: Record<string, string> | undefined): Record<string, string> {
  const { [OWNER_LABEL]: _owner, [NAME_LABEL]: _name, [APPLIED_LABEL]: _applied, [OWNER_NAME_LABEL]: _ownerName, [PROTECTED_LABEL]: _protected, ...rest } = labels ?? {};
  return rest;
}

/** The labels that mark a product written by apiproducts, including what it wrote. */
export const ownershipLabels = markerEntries;

/** What apiproducts last wrote to the product, when it wrote it. */
export function lastAppliedOf(product: Api7Product): string | undefined {
  return lastAppliedIn(product.labels);
}

/**
 * A record of the target's apply lock (locks.ts), not a product: never observed, planned,
 * imported or pruned. The one test, shared by the product list and the lock list (client.ts), so
 * the two never disagree about a product. It carries no ownership marker either.
 */
export function isLockRecord(product: Api7Product): boolean {
  return (typeof product.name === 'string' && product.name.startsWith(LOCK_NAME_PREFIX)) || product.labels?.[LOCK_LABEL] !== undefined;
}
