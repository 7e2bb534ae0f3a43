import type { ObjectAfter } from '../../model/plan.ts';
import { objectFingerprint } from '../../model/fingerprint.ts';
import { isOurs, PLAIN_MARKER, type MarkerOptions } from '../../model/objects.ts';
import { LOCK_LABEL, LOCK_NAME_PREFIX, NAME_LABEL, OWNER_LABEL, OWNER_VALUE, type Api7Product } from './wire.ts';

/**
 * Fingerprint of the product as apiproducts last wrote it, kept in a label on the product itself
 * (like kubectl's last-applied annotation) so that drift can tell an edit made outside Git from a
 * Git change not yet applied, even on a fresh CI checkout with no local state. Only the hex digest
 * is stored: label values stay short and colon-free.
 */
export const APPLIED_LABEL = 'apiproducts-applied';
/**
 * The configuration's `owner:` (issue 19 item 4), written only when it has one, so that the
 * markers of configurations without an owner stay exactly as before. Label values must be
 * non-empty (reference Round 2): the owner pattern guarantees it.
 */
export const OWNER_NAME_LABEL = 'apiproducts-owner';
/** `"true"` on a product applied with `protected: true` (issue 19 item 5); absent otherwise. */
export const PROTECTED_LABEL = 'apiproducts-protected';
const PROTECTED_VALUE = 'true';
const DIGEST_PREFIX = 'sha256:';

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
export function ownershipLabels(productName: string, after: ObjectAfter, marker: MarkerOptions = PLAIN_MARKER): Record<string, string> {
  const digest = objectFingerprint(after);
  return {
    [OWNER_LABEL]: OWNER_VALUE,
    [NAME_LABEL]: productName,
    [APPLIED_LABEL]: digest.slice(DIGEST_PREFIX.length),
    ...(marker.owner !== undefined ? { [OWNER_NAME_LABEL]: marker.owner } : {}),
    ...(marker.protected ? { [PROTECTED_LABEL]: PROTECTED_VALUE } : {}),
  };
}

/** What apiproducts last wrote to the product, when it wrote it. */
export function lastAppliedOf(product: Api7Product): string | undefined {
  const digest = product.labels?.[APPLIED_LABEL];
  return digest ? DIGEST_PREFIX + digest : undefined;
}

/**
 * A record of the target's apply lock (locks.ts), not a product: never observed, planned,
 * imported or pruned. The one test, shared by the product list and the lock list (client.ts), so
 * the two never disagree about a product. It carries no ownership marker either.
 */
export function isLockRecord(product: Api7Product): boolean {
  return (typeof product.name === 'string' && product.name.startsWith(LOCK_NAME_PREFIX)) || product.labels?.[LOCK_LABEL] !== undefined;
}
