/**
 * apiproducts' ownership marker (DESIGN §5): the key/value pairs it writes on every product it
 * manages, as API7 labels (api7/ownership.ts) or Apigee attributes (apigee/ownership.ts), with the
 * same keys and values on both. `managed-by: apiproducts` marks the product as ours,
 * `apiproducts-name` names the Git product (an Apigee plan's product is `<name>-<plan>`, so the
 * name cannot be read back from the key), and `apiproducts-applied` keeps the fingerprint of what
 * was last written, like kubectl's last-applied annotation, so that drift can tell an edit made
 * outside Git from a Git change not yet applied, even on a fresh CI checkout with no local state.
 * Only the hex digest is stored: values stay short and colon-free.
 */
import type { ObjectAfter } from '../model/plan.ts';
import { appliedFingerprint } from '../model/fingerprint.ts';
import { PLAIN_MARKER, type MarkerOptions } from '../model/objects.ts';

export const MARKER_KEYS = {
  owner: 'managed-by',
  name: 'apiproducts-name',
  applied: 'apiproducts-applied',
  /**
   * The configuration's `owner:` (issue 19 item 4), written only when it has one, so that the
   * markers of configurations without an owner stay exactly as before. Values must be non-empty
   * (API7, reference Round 2): the owner pattern guarantees it.
   */
  ownerName: 'apiproducts-owner',
  /** `"true"` on a product applied with `protected: true` (issue 19 item 5); absent otherwise. */
  protected: 'apiproducts-protected',
} as const;

export const OWNER_VALUE = 'apiproducts';
export const PROTECTED_VALUE = 'true';
const DIGEST_PREFIX = 'sha256:';

/** The marker of a product written by apiproducts, including what it wrote. */
export function markerEntries(productName: string, after: ObjectAfter, marker: MarkerOptions = PLAIN_MARKER): Record<string, string> {
  const digest = appliedFingerprint(after, after.ignored);
  return {
    [MARKER_KEYS.owner]: OWNER_VALUE,
    [MARKER_KEYS.name]: productName,
    [MARKER_KEYS.applied]: digest.slice(DIGEST_PREFIX.length),
    ...(marker.owner !== undefined ? { [MARKER_KEYS.ownerName]: marker.owner } : {}),
    ...(marker.protected ? { [MARKER_KEYS.protected]: PROTECTED_VALUE } : {}),
  };
}

/** What apiproducts last wrote to the product, from its marker, when it wrote it. */
export function lastAppliedIn(entries: Readonly<Record<string, string>> | undefined): string | undefined {
  const digest = entries?.[MARKER_KEYS.applied];
  return digest ? DIGEST_PREFIX + digest : undefined;
}
