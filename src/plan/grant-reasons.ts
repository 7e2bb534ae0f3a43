import type { FieldChange } from '../model/plan.ts';
import { grantChanges, type GrantField } from '../model/grants.ts';

/**
 * Why an update changes what the product grants, one reason per direction, none when it does not:
 * a grant field (`ProviderKind.grantFields`: linked services, proxies, environments…) that loses
 * an element narrows it; one emptied where an empty list grants everything (GrantField.emptyGrants)
 * widens it. Both make the update high risk: consumers lose access, or every app key reaches more
 * than was reviewed before.
 */
export function grantReasons(fields: readonly FieldChange[], grantFields: readonly GrantField[]): string[] {
  const { narrowed, widened } = grantChanges(fields, grantFields);
  const reasons: string[] = [];
  if (narrowed.length) reasons.push(`the update removes ${narrowed.join('; ')} from what the product grants: consumers that use them lose access`);
  if (widened.length) reasons.push(`the update widens what the product grants: ${widened.join('; ')}; every app key for it reaches more than before`);
  return reasons;
}
