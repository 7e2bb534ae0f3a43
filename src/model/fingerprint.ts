import { createHash } from 'node:crypto';
import { withoutPaths } from './field-paths.ts';

/** JSON with object keys sorted at every depth, so equal values always serialise identically. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** sha-256 over the canonical JSON: the precondition a saved plan checks before it writes. */
export function fingerprint(value: unknown): string {
  return 'sha256:' + createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The fingerprint of an object as a plan sees it (its status and state): the one recipe behind a
 * change's precondition, the stale-plan check, the last-applied marker a provider writes on the
 * object, and the check that a lost create did happen. All of them must agree byte for byte.
 */
export function objectFingerprint(object: { status: unknown; state: unknown }): string {
  return fingerprint({ status: object.status, state: object.state });
}

/**
 * What the last-applied marker records, and what a plan compares it with: the object without the
 * fields its target leaves to the portal (`ignore:`), which may change there at will and are no
 * change made outside Git. With nothing ignored, the object's own fingerprint.
 */
export function appliedFingerprint(object: { status: unknown; state: unknown }, ignored: readonly string[] = []): string {
  if (ignored.length === 0 || object.state === null || typeof object.state !== 'object') return objectFingerprint(object);
  return objectFingerprint({ status: object.status, state: withoutPaths(object.state as Record<string, unknown>, ignored) });
}
