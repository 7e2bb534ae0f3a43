import { seedSubscriptions, type Api7Subscription } from './subscriptions.ts';
import type { Api7DcrProvider, Api7GatewayGroup, Api7Portal, Api7Product, Api7Service } from './wire.ts';

/**
 * Everything the API7 emulator serves, as plain JSON-serialisable data (it is persisted as is).
 * Objects are stored exactly as the Admin API returns them.
 */
export interface Api7State {
  portals: Api7Portal[];
  gatewayGroups: Api7GatewayGroup[];
  /** Published services, by gateway group id. */
  services: Record<string, Api7Service[]>;
  dcrProviders: Api7DcrProvider[];
  /** API products, by portal id: every product route is scoped by `?portal_id=`. */
  products: Record<string, Api7Product[]>;
  /** Developers' subscriptions to products (subscriptions.ts), served by `GET /api/subscriptions`. */
  subscriptions: Api7Subscription[];
}

// Fixed clock values keep the seed byte-for-byte reproducible.
const SEEDED_AT = 1767225600; // 2026-01-01T00:00:00Z
const DRIFTED_AT = 1769904000; // 2026-02-01T00:00:00Z
const HOUR = 3600;

function gatewayGroup(name: string, description: string, offset: number): Api7GatewayGroup {
  return {
    id: `gg-${name}`,
    name,
    description,
    labels: { env: name },
    type: 'api7_gateway',
    created_at: SEEDED_AT + offset * HOUR,
    updated_at: SEEDED_AT + offset * HOUR,
  };
}

function service(id: string, name: string, desc: string, hosts: string[], offset: number): Api7Service {
  return {
    id,
    name,
    desc,
    labels: {},
    type: 'http',
    hosts,
    path_prefix: `/${name}`,
    created_at: SEEDED_AT + offset * HOUR,
    updated_at: SEEDED_AT + offset * HOUR,
  };
}

/** `default` unless the target names another portal (`settings.portal`); its id is `portal-<name>`. */
export function portalId(portalName: string): string {
  return `portal-${portalName}`;
}

/**
 * A realistic portal: two gateway groups with services, a DCR provider, one product of ours that
 * drifted from Git (`orders`: description and visibility edited by hand) and one product nobody
 * manages with apiproducts (`Legacy Billing`). The other example products are left for the first
 * apply to create.
 */
export function seedApi7State(portalName = 'default'): Api7State {
  const portal = portalId(portalName);
  const ordersProduct: Api7Product = {
    id: 'prod-orders',
    name: 'Orders API',
    desc: 'Create and track orders.',
    type: 'gateway',
    visibility: 'public',
    status: 'published',
    // What apiproducts left when it last wrote the product, stored as plain labels like a real
    // portal stores them. The digest is of the product as written (WRITTEN_BEFORE_DRIFT), not
    // as it is now: test/sandbox/api7-seed-digest.test.ts checks it against the provider.
    labels: {
      'managed-by': 'apiproducts',
      'apiproducts-name': 'orders',
      team: 'commerce',
      'apiproducts-applied': 'bc48683fe0916d21ebcf4ed6c8a0bed100d2fb495f614ef92058b007bc4839fc',
    },
    subscription_auto_approval: true,
    can_view_unsubscribed: true,
    auth: { 'basic-auth': {} },
    linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-orders' }],
    created_at: SEEDED_AT + 10 * HOUR,
    updated_at: DRIFTED_AT,
  };
  const legacyBillingProduct: Api7Product = {
    id: 'prod-legacy-billing',
    name: 'Legacy Billing',
    desc: 'Invoices and statements for enterprise accounts. Maintained by hand in the dashboard.',
    type: 'gateway',
    visibility: 'logged_in',
    status: 'published',
    labels: { team: 'finance' },
    subscription_auto_approval: false,
    can_view_unsubscribed: true,
    // Set in the dashboard, never in Git: an update must write both back as they are.
    logo: 'https://developer.example.com/logos/legacy-billing.png',
    auth: { 'key-auth': { header: 'X-Billing-Key' } },
    linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-billing' }],
    created_at: SEEDED_AT + 11 * HOUR,
    updated_at: SEEDED_AT + 11 * HOUR,
  };
  const state: Api7State = {
    portals: [
      {
        id: portal,
        name: portalName,
        public_url: 'https://developer.example.com',
        created_at: SEEDED_AT,
        updated_at: SEEDED_AT,
      },
    ],
    gatewayGroups: [
      gatewayGroup('production', 'Production gateways', 0),
      gatewayGroup('staging', 'Staging gateways', 1),
    ],
    services: {
      'gg-production': [
        service('svc-payments', 'payments', 'Card payments and refunds', ['pay.example.com', 'payments.example.com'], 2),
        service('svc-orders', 'orders', 'Customer orders', ['orders.example.com'], 3),
        service('svc-identity', 'identity', 'OAuth client registration and user info', ['id.example.com'], 4),
        service('svc-loyalty', 'loyalty', 'Loyalty points', ['loyalty.example.com'], 5),
        service('svc-billing', 'billing', 'Invoices and statements', ['billing.example.com'], 6),
      ],
      // Published from the same templates as production's: `service_id` is the template's id, the
      // same in every gateway group (reference Round 2, 3.8.x key-concepts/api-products.md).
      'gg-staging': [
        service('svc-payments', 'payments', 'Card payments and refunds', ['pay.staging.example.com'], 7),
        service('svc-orders', 'orders', 'Customer orders', ['orders.staging.example.com'], 8),
      ],
    },
    dcrProviders: [{ id: 'dcr-corp-idp', name: 'corp-idp' }],
    products: { [portal]: [ordersProduct, legacyBillingProduct] },
    // Orders: 3 active and 1 waiting for approval; Legacy Billing: 12 active.
    subscriptions: [
      ...seedSubscriptions(ordersProduct.id, 4, 1, SEEDED_AT + 20 * HOUR),
      ...seedSubscriptions(legacyBillingProduct.id, 12, 0, SEEDED_AT + 21 * HOUR),
    ],
  };
  return state;
}

/**
 * The fields someone edited in the dashboard after apiproducts last wrote the product, as
 * apiproducts wrote them (by product id). The seeded `apiproducts-applied` digest is of the product
 * with these values, so drift reports exactly these fields as changed outside Git, as it would on
 * a real portal. Only the digest test reads this: the emulator itself never computes a digest.
 */
export const WRITTEN_BEFORE_DRIFT: Readonly<Record<string, Partial<Api7Product>>> = {
  'prod-orders': { desc: 'Create, track and cancel customer orders.', visibility: 'logged_in' },
};
