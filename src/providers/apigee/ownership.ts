/**
 * The attributes apiproducts writes for itself on an Apigee product: its ownership marker
 * (../ownership-marker.ts), the same keys as API7's labels.
 */
import { isOurs, type MarkerOptions } from '../../model/objects.ts';
import { lastAppliedIn, MARKER_KEYS, markerEntries, PROTECTED_VALUE } from '../ownership-marker.ts';
import { NAME_ATTRIBUTE, OWNER_ATTRIBUTE, OWNER_VALUE } from './wire.ts';

export const APPLIED_ATTRIBUTE = MARKER_KEYS.applied;
/** The attributes this file writes on every product: none of them is state, and no label may take one. */
export const OWNERSHIP_ATTRIBUTES: readonly string[] = [OWNER_ATTRIBUTE, NAME_ATTRIBUTE, APPLIED_ATTRIBUTE];
export const OWNER_NAME_ATTRIBUTE = MARKER_KEYS.ownerName;
export const PROTECTED_ATTRIBUTE = MARKER_KEYS.protected;
/** The marker attributes written only when they apply: reserved like the others, counted only when written. */
export const OPTIONAL_MARKER_ATTRIBUTES: readonly string[] = [OWNER_NAME_ATTRIBUTE, PROTECTED_ATTRIBUTE];

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

/** The attributes that mark a product written by apiproducts, including what it wrote. */
export const ownershipAttributes = markerEntries;

/** What apiproducts last wrote to the product, when it wrote it. */
export function lastAppliedOf(attributes: Record<string, string>): string | undefined {
  return lastAppliedIn(attributes);
}

export function withoutOwnership(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !OWNERSHIP_ATTRIBUTES.includes(name) && !OPTIONAL_MARKER_ATTRIBUTES.includes(name)));
}
