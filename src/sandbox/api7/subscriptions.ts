/**
 * Developers' subscriptions to API products, as the Admin API lists them (reference §5, from the
 * docs' manage-subscriptions page: `GET /api/subscriptions?api_product_id=…&status=subscribed|
 * wait_for_approval` and `?developer_id=…`; low confidence there, so the emulator is strict: an
 * unknown status is a 400, and the list pages like every other `{list, total}` list, §1).
 * Unpublishing or deleting a product cancels its subscriptions, and a cancelled subscription's
 * record is deleted (§5 "Rejecting or cancelling a subscription deletes its record"). The record's
 * fields beyond the product, developer and status are the emulator's own choice (§8: the 3.x
 * OpenAPI with the subscription schema is not public).
 */
import { badRequest, paginate, type Api7Call, type Api7Reply } from './http.ts';
import type { Api7State } from './state.ts';

export type Api7SubscriptionStatus = 'subscribed' | 'wait_for_approval';
const STATUSES: readonly Api7SubscriptionStatus[] = ['subscribed', 'wait_for_approval'];

export interface Api7Subscription {
  id: string;
  api_product_id: string;
  developer_id: string;
  application_id: string;
  status: Api7SubscriptionStatus;
  created_at: number;
  updated_at: number;
}

/** A state file written before subscriptions were records holds none. */
export function subscriptionsOf(state: Api7State): Api7Subscription[] {
  return Array.isArray(state.subscriptions) ? state.subscriptions : [];
}

/** Active (`subscribed`) subscriptions of one product: what tests check after an apply. */
export function activeSubscriptions(state: Api7State, productId: string): number {
  return subscriptionsOf(state).filter((s) => s.api_product_id === productId && s.status === 'subscribed').length;
}

/** Unpublish and delete: every subscription of the product goes, pending ones too. */
export function cancelSubscriptions(state: Api7State, productId: string): void {
  state.subscriptions = subscriptionsOf(state).filter((s) => s.api_product_id !== productId);
}

export function listSubscriptions(call: Api7Call): Api7Reply {
  const productId = call.query.get('api_product_id');
  const developerId = call.query.get('developer_id');
  const status = call.query.get('status');
  if (!productId && !developerId) throw badRequest('api_product_id or developer_id is required');
  if (status !== null && !(STATUSES as readonly string[]).includes(status)) {
    throw badRequest(`status must be one of ${STATUSES.join(', ')}, got "${status}"`);
  }
  const found = subscriptionsOf(call.state).filter(
    (s) => (!productId || s.api_product_id === productId) && (!developerId || s.developer_id === developerId) && (!status || s.status === status),
  );
  return { body: paginate(found, call) };
}

/**
 * `count` subscriptions of one product, from developers `dev-1`…, the last `pending` of them
 * waiting for approval; fixed times keep the seed reproducible.
 */
export function seedSubscriptions(productId: string, count: number, pending: number, at: number): Api7Subscription[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `sub-${productId}-${index + 1}`,
    api_product_id: productId,
    developer_id: `dev-${index + 1}`,
    application_id: `app-${productId}-${index + 1}`,
    status: index >= count - pending ? 'wait_for_approval' : 'subscribed',
    created_at: at + index,
    updated_at: at + index,
  }));
}
