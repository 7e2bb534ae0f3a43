/**
 * The attributes apiproducts writes for itself on an Apigee product (DESIGN §5), like API7's
 * ownership labels: `managed-by: apiproducts` marks it as ours, `apiproducts-name` names the Git
 * product (a plan's product is `<name>-<plan>`, so the name cannot be read back from the key), and
 * `apiproducts-applied` keeps the fingerprint of what was last written, so that drift can tell an
 * edit made outside Git from a Git change not yet applied (kubectl's last-applied annotation).
 * Only the hex digest is stored, as for API7.
 */
import type { ObjectAfter } from '../../model/plan.ts';
import { objectFingerprint } from '../../model/fingerprint.ts';
import { isOurs, PLAIN_MARKER, type MarkerOptions } from '../../model/objects.ts';
import { NAME_ATTRIBUTE, OWNER_ATTRIBUTE, OWNER_VALUE } from './wire.ts';

export const APPLIED_ATTRIBUTE = 'apiproducts-applied';
/** The attributes this file writes on every product: none of them is state, and no label may take one. */
export const OWNERSHIP_ATTRIBUTES: readonly string[] = [OWNER_ATTRIBUTE, NAME_ATTRIBUTE, APPLIED_ATTRIBUTE];
/**
 * The configuration's `owner:` (issue 19 item 4), written only when it has one, so that the
 * markers of configurations without an owner stay exactly as before.
 */
export const OWNER_NAME_ATTRIBUTE = 'apiproducts-owner';
/** `"true"` on a product applied with `protected: true` (issue 19 item 5); absent otherwise. */
export const PROTECTED_ATTRIBUTE = 'apiproducts-protected';
const PROTECTED_VALUE = 'true';
/** The marker attributes written only when they apply: reserved like the others, counted only when written. */
export const OPTIONAL_MARKER_ATTRIBUTES: readonly string[] = [OWNER_NAME_ATTRIBUTE, PROTECTED_ATTRIBUTE];
const DIGEST_PREFIX = 'sha256:';

/** Carries apiproducts' marker, whoever's: an owner's or no owner's. */
export function isMarked(attributes: Record<string, string>): boolean {
  return attributes[OWNER_ATTRIBUTE] === OWNER_VALUE;
}

/** Carries the marker of the configuration whose `owner:` is `owner`. */
export function isOwnedBy(attributes: Record<string, string>, owner?: string): boolean {
  return isMarked(attributes) && isOurs(attributes[OWNER_NAME_ATTRIBUTE], owner);
}

/** The owner the marker names; undefined when it names none. */
export function markerOwner(attributes: Record<string, string>): string | undefined {
  return attributes[OWNER_NAME_ATTRIBUTE];
}

export function isMarkedProtected(attributes: Record<string, string>): boolean {
  return isMarked(attributes) && attributes[PROTECTED_ATTRIBUTE] === PROTECTED_VALUE;
}

/** How many attributes the marker takes on a product (Apigee allows 18 in all, reference §2). */
export function markerAttributeCount(marker: MarkerOptions): number {
  return OWNERSHIP_ATTRIBUTES.length + (marker.owner !== undefined ? 1 : 0) + (marker.protected ? 1 : 0);
}

export function ownershipAttributes(productName: string, after: ObjectAfter, marker: MarkerOptions = PLAIN_MARKER): Record<string, string> {
  const digest = objectFingerprint(after);
  return {
    [OWNER_ATTRIBUTE]: OWNER_VALUE,
    [NAME_ATTRIBUTE]: productName,
    [APPLIED_ATTRIBUTE]: digest.slice(DIGEST_PREFIX.length),
    ...(marker.owner !== undefined ? { [OWNER_NAME_ATTRIBUTE]: marker.owner } : {}),
    ...(marker.protected ? { [PROTECTED_ATTRIBUTE]: PROTECTED_VALUE } : {}),
  };
}

/** What apiproducts last wrote to the product, when it wrote it. */
export function lastAppliedOf(attributes: Record<string, string>): string | undefined {
  const digest = attributes[APPLIED_ATTRIBUTE];
  return digest ? DIGEST_PREFIX + digest : undefined;
}

export function withoutOwnership(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !OWNERSHIP_ATTRIBUTES.includes(name) && !OPTIONAL_MARKER_ATTRIBUTES.includes(name)));
}
