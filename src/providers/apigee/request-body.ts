/**
 * Normalised state → the Apigee POST/PUT body (the reverse direction is mapping.ts). Pure: no I/O.
 */
import type { ObjectAfter } from '../../model/plan.ts';
import { ownershipAttributes } from './ownership.ts';
import { PLAIN_MARKER, type MarkerOptions } from '../../model/objects.ts';
import { mergeOperationGroup, type ApigeeOperation } from './operations.ts';
import { applyApiOperationGroups } from './api-operations.ts';
import type { OperationSettings } from './operation-settings.ts';
import { operationSettingsOf, type ApigeeState } from './mapping.ts';
import { PORTAL_SITE_ATTRIBUTE } from './portal.ts';
import { ACCESS_ATTRIBUTE, MANAGED_FIELDS, READ_ONLY_FIELDS, type ApigeeProduct, type ApigeeProductBody } from './wire.ts';

const INTERNAL = 'internal';

/**
 * The COMPLETE POST/PUT body for an object as it must be after a change: PUT is a full replace
 * (reference §4), so every writable field is sent, and nothing read-only. The status becomes the
 * `access` attribute; the ownership attributes are re-attached.
 */
export function toProductBody(after: ObjectAfter, key: string, productName: string, marker: MarkerOptions = PLAIN_MARKER): ApigeeProductBody {
  const state = after.state as unknown as ApigeeState;
  const access = after.status === 'draft' ? INTERNAL : (state.visibility ?? 'private');
  // Sorted, so that the same state always sends the same body; apiproducts' own attributes last.
  const attributes: Record<string, string> = {
    ...Object.fromEntries(Object.entries(state.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    [ACCESS_ATTRIBUTE]: access,
    // Where its catalog item lives (portal.ts), so a later run reads that portal even when Git no longer names it.
    ...(state.portal ? { [PORTAL_SITE_ATTRIBUTE]: state.portal.site } : {}),
    ...ownershipAttributes(productName, after, marker),
  };
  const body: ApigeeProductBody = {
    name: key,
    displayName: state.displayName,
    description: state.description,
    approvalType: state.access === 'auto' ? 'auto' : 'manual',
    attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
    apiResources: [...state.resources],
    environments: [...state.environments],
    proxies: [...state.proxies],
    scopes: [...state.scopes],
  };
  if (state.quota) {
    body.quota = String(state.quota.limit);
    body.quotaInterval = String(state.quota.interval);
    body.quotaTimeUnit = state.quota.timeUnit;
  }
  const group = mergeOperationGroup(undefined, state.operations ?? [], operationSettingsOf(state));
  if (group) body.operationGroup = group;
  // Absent from state: absent live too (or Git keeps the live one, which mergeProductBody sends back).
  if (state.quotaCounterScope !== undefined) body.quotaCounterScope = state.quotaCounterScope;
  // A create is made in its space; an update sends the space the product is in after its :move (index.ts).
  if (state.space !== undefined) body.space = state.space;
  applyApiOperationGroups(body as unknown as Record<string, unknown>, undefined, state);
  return body;
}

/** A PUT body: the managed fields of ApigeeProductBody plus every live field Git does not describe. */
export type ApigeeUpdateBody = ApigeeProductBody & Record<string, unknown>;

/**
 * Read, merge, write. Apigee's update is a full-replace PUT (reference §4 and "Round 2": "send
 * every required and every optional value you want to keep … omitted operation groups are at risk
 * of being cleared"), so an update starts from the LIVE product: the read-only fields
 * (READ_ONLY_FIELDS, reference §2) are dropped, the fields Git describes (MANAGED_FIELDS) are
 * replaced by `desired` (toProductBody; a managed field absent there, such as a quota Git removed,
 * is removed), the live `operationGroup` gets Git's `operations` (mergeOperationGroup), and every other field (`operationGroup`, `graphqlOperationGroup`,
 * `grpcOperationGroup`, `quotaCounterScope`, `space`, `llm*`, and fields no version of apiproducts
 * knows yet) goes back exactly as it was read (quotaCounterScope: state's, when it has one). Attributes are not merged: state holds every live
 * attribute but `access` and the ownership ones, so the plan already shows each one Git would
 * remove, and apply does what the plan showed.
 */
export function mergeProductBody(live: ApigeeProduct, desired: ApigeeProductBody, operations: readonly ApigeeOperation[] = [], settingsOf?: (operation: ApigeeOperation) => OperationSettings): ApigeeUpdateBody {
  const merged: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(live)) {
    if (READ_ONLY_FIELDS.includes(field) || MANAGED_FIELDS.includes(field) || field === 'operationGroup') continue;
    merged[field] = structuredClone(value);
  }
  for (const [field, value] of Object.entries(desired)) {
    if (value !== undefined && field !== 'operationGroup') merged[field] = value;
  }
  // Git's operations merged into the live group: each config's quota and attributes stay unless state changes them (operations.ts).
  const group = mergeOperationGroup(live.operationGroup, operations, settingsOf);
  if (group) merged.operationGroup = group;
  return merged as ApigeeUpdateBody;
}
