import type { FieldChange } from '../model/plan.ts';
import { canonicalJson } from '../model/fingerprint.ts';
import { formatValue } from '../model/display.ts';

/**
 * Why an update narrows what the product grants, or undefined when it does not: a field the
 * vendor names as a grant (`ProviderKind.grantFields`: API7 services, Apigee proxies, environments,
 * resources, operations) loses an element it had. An element that only changed (a service's hosts)
 * counts as removed: the consumers lose what it granted before, which is the direction to warn in.
 */
export function narrowingReason(fields: readonly FieldChange[], grantFields: readonly string[]): string | undefined {
  const removed: string[] = [];
  for (const field of fields) {
    if (!grantFields.includes(field.path)) continue;
    const before = Array.isArray(field.before) ? field.before : [];
    const after = new Set((Array.isArray(field.after) ? field.after : []).map((item) => canonicalJson(item)));
    const lost = before.filter((item) => !after.has(canonicalJson(item)));
    if (lost.length) removed.push(`${field.path} ${lost.map((item) => formatValue(item)).join(', ')}`);
  }
  if (removed.length === 0) return undefined;
  return `the update removes ${removed.join('; ')} from what the product grants: consumers that use them lose access`;
}
