import type { ObjectAfter } from '../../model/plan.ts';
import { objectFingerprint } from '../../model/fingerprint.ts';
import { LOCK_LABEL, LOCK_NAME_PREFIX, NAME_LABEL, OWNER_LABEL, OWNER_VALUE, type Api7Product } from './wire.ts';

/**
 * Fingerprint of the product as apiproducts last wrote it, kept in a label on the product itself
 * (like kubectl's last-applied annotation) so that drift can tell an edit made outside Git from a
 * Git change not yet applied, even on a fresh CI checkout with no local state. Only the hex digest
 * is stored: label values stay short and colon-free.
 */
export const APPLIED_LABEL = 'apiproducts-applied';
const DIGEST_PREFIX = 'sha256:';

export function isOwned(product: Api7Product): boolean {
  return product.labels?.[OWNER_LABEL] === OWNER_VALUE && Boolean(product.labels?.[NAME_LABEL]);
}

/** The product's labels without the ones apiproducts manages for itself. */
export function withoutOwnership(labels: Record<string, string> | undefined): Record<string, string> {
  const { [OWNER_LABEL]: _owner, [NAME_LABEL]: _name, [APPLIED_LABEL]: _applied, ...rest } = labels ?? {};
  return rest;
}

/** The labels that mark a product written by apiproducts, including what it wrote. */
export function ownershipLabels(productName: string, after: ObjectAfter): Record<string, string> {
  const digest = objectFingerprint(after);
  return { [OWNER_LABEL]: OWNER_VALUE, [NAME_LABEL]: productName, [APPLIED_LABEL]: digest.slice(DIGEST_PREFIX.length) };
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
