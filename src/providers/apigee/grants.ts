import { grantChanges, type GrantField } from '../../model/grants.ts';
import type { Change } from '../../model/plan.ts';

/**
 * What an Apigee product grants its app keys: the proxies, environments, resource paths and (X)
 * operations it lists (reference §2, §7). Three of them grant everything when empty: "If you don't
 * specify an environment in the request body, the API product allows access to all environments";
 * "If you don't specify an API proxy in the request body, any app associated with the API product
 * can make calls to any API in your entire organization" (seed 003, reference §2); resource paths
 * "further restrict API access with relation to the API proxies included in the product", so
 * without them the proxies are granted whole (seed 004). An empty operation group leaves the
 * product to its proxies and resources: emptying it is counted as removing its operations.
 */
export const APIGEE_GRANTS: readonly GrantField[] = [
  { path: 'proxies', emptyGrants: 'every API proxy in the organization' },
  { path: 'environments', emptyGrants: 'every environment' },
  { path: 'resources', emptyGrants: 'every path of its proxies' },
  { path: 'operations' },
  { path: 'graphqlOperations' },
  { path: 'grpcOperations' },
];

/** An update after which the product's app keys reach less than before. */
export function narrowsGrant(step: Change): boolean {
  return step.action === 'update' && grantChanges(step.fields, APIGEE_GRANTS).narrowed.length > 0;
}
