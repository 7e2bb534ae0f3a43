import { OPENAPI_ATTACHMENT, type OperationsDiff } from '../model/api-operations.ts';
import type { DesiredObject, LiveObject } from '../model/objects.ts';
import type { FieldChange } from '../model/plan.ts';
import { compareApis } from '../diff/operations.ts';

/** Operations named in a high-risk reason; the change itself lists them all. */
const NAMED_IN_REASON = 5;

export interface PlannedOperations {
  apiOperations?: OperationsDiff;
  /** Set when the update removes operations that clients of a published product call. */
  breaking?: string;
}

/**
 * The operations an update of an OpenAPI document adds, removes and changes. Removing operations
 * from a product that is published before and after the update is high risk: the clients that
 * call them start getting errors, and nothing in the portal tells them.
 */
export function planApiOperations(fields: readonly FieldChange[], desired: DesiredObject, live: LiveObject, publishedThroughout: boolean): PlannedOperations {
  if (!fields.some((field) => field.path === OPENAPI_ATTACHMENT)) return {};
  const apiOperations = compareApis(live.api, desired.api);
  if (apiOperations.status !== 'compared' || apiOperations.removed.length === 0 || !publishedThroughout) return { apiOperations };
  const removed = apiOperations.removed;
  const named = removed.slice(0, NAMED_IN_REASON).map((operation) => `${operation.method} ${operation.path}`).join(', ');
  const more = removed.length > NAMED_IN_REASON ? ` and ${removed.length - NAMED_IN_REASON} more` : '';
  const noun = removed.length === 1 ? 'operation' : 'operations';
  return {
    apiOperations,
    breaking: `removes ${removed.length} ${noun} from the published API (${named}${more}): clients that call ${removed.length === 1 ? 'it' : 'them'} start failing`,
  };
}
