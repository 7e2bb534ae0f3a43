import type { FieldChange } from './plan.ts';
import { canonicalJson } from './fingerprint.ts';
import { formatValue } from './display.ts';

/** A state field whose elements are what a product grants its consumers (ProviderKind.grantFields). */
export interface GrantField {
  path: string;
  /**
   * What an empty list grants on this vendor, when that is everything rather than nothing (say, a
   * product that lists no environments is available in every one). Absent: an empty list grants
   * nothing.
   */
  emptyGrants?: string;
}

/** How an update changes what a product grants, each entry a phrase for a plan's reason. */
export interface GrantChanges {
  /** What consumers lose: `environments "test"`. */
  narrowed: string[];
  /** What an emptied list opens: `environments (empty now: every environment; it listed "prod")`. */
  widened: string[];
}

/**
 * The grant fields of an update that lose an element (narrowed) or become a list that grants
 * everything (widened). An element that only changed (a service's hosts) counts as removed: the
 * consumers lose what it granted before, which is the direction to warn in. Where an empty list
 * grants everything, emptying it widens, and giving it its first elements narrows to them.
 */
export function grantChanges(fields: readonly FieldChange[], grantFields: readonly GrantField[]): GrantChanges {
  const changes: GrantChanges = { narrowed: [], widened: [] };
  for (const field of fields) {
    const grant = grantFields.find((candidate) => candidate.path === field.path);
    if (!grant) continue;
    const before = Array.isArray(field.before) ? field.before : [];
    const after = Array.isArray(field.after) ? field.after : [];
    const listed = (items: readonly unknown[]): string => items.map((item) => formatValue(item)).join(', ');
    if (grant.emptyGrants !== undefined && before.length > 0 && after.length === 0) {
      changes.widened.push(`${field.path} (empty now: ${grant.emptyGrants}; it listed ${listed(before)})`);
      continue;
    }
    if (grant.emptyGrants !== undefined && before.length === 0 && after.length > 0) {
      changes.narrowed.push(`${field.path} other than ${listed(after)} (it was empty: ${grant.emptyGrants})`);
      continue;
    }
    const kept = new Set(after.map((item) => canonicalJson(item)));
    const lost = before.filter((item) => !kept.has(canonicalJson(item)));
    if (lost.length) changes.narrowed.push(`${field.path} ${listed(lost)}`);
  }
  return changes;
}
