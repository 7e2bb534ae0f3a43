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
import { NAME_ATTRIBUTE, OWNER_ATTRIBUTE, OWNER_VALUE } from './wire.ts';

export const APPLIED_ATTRIBUTE = 'apiproducts-applied';
/** Every attribute this file writes: none of them is state, and no label may take one. */
export const OWNERSHIP_ATTRIBUTES: readonly string[] = [OWNER_ATTRIBUTE, NAME_ATTRIBUTE, APPLIED_ATTRIBUTE];
const DIGEST_PREFIX = 'sha256:';

export function isOwnedBy(attributes: Record<string, string>): boolean {
  return attributes[OWNER_ATTRIBUTE] === OWNER_VALUE;
}

export function ownershipAttributes(productName: string, after: ObjectAfter): Record<string, string> {
  const digest = objectFingerprint(after);
  return { [OWNER_ATTRIBUTE]: OWNER_VALUE, [NAME_ATTRIBUTE]: productName, [APPLIED_ATTRIBUTE]: digest.slice(DIGEST_PREFIX.length) };
}

/** What apiproducts last wrote to the product, when it wrote it. */
export function lastAppliedOf(attributes: Record<string, string>): string | undefined {
  const digest = attributes[APPLIED_ATTRIBUTE];
  return digest ? DIGEST_PREFIX + digest : undefined;
}

export function withoutOwnership(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !OWNERSHIP_ATTRIBUTES.includes(name)));
}
