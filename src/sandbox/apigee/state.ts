/**
 * The Apigee emulator's data: plain JSON, persisted as is, and flavour-neutral. Products are kept
 * in one canonical shape (Edge's: numeric ms timestamps, createdBy, every list present) and
 * rendered per flavour on the way out (view.ts). Sources: shared/reference/apigee-management-api.md.
 */

import { countChange } from '../revision.ts';
import type { ApigeeSite } from './apidocs.ts';
import { seedDevelopers, type ApigeeDeveloper, type ApigeeDeveloperApp } from './apps.ts';

export type ApigeeFlavour = 'edge' | 'x';
export const APIGEE_FLAVOURS: readonly ApigeeFlavour[] = ['edge', 'x'];

export interface ApigeeAttribute {
  name: string;
  value: string;
}

/** What a POST or PUT body may set (reference §2); X-only fields are refused on Edge. */
export interface ApigeeProductFields {
  name: string;
  displayName: string;
  description?: string;
  /** Required on Edge; optional on X (reference §2 "no server-side default documented"). */
  approvalType?: 'auto' | 'manual';
  attributes: ApigeeAttribute[];
  apiResources: string[];
  environments: string[];
  proxies: string[];
  scopes: string[];
  /** Strings on both flavours ("10000"), set as a complete triple or not at all. */
  quota?: string;
  quotaInterval?: string;
  quotaTimeUnit?: string;
  // X only (reference §2), stored as sent after a shape check.
  operationGroup?: Record<string, unknown>;
  graphqlOperationGroup?: Record<string, unknown>;
  grpcOperationGroup?: Record<string, unknown>;
  llmOperationGroup?: Record<string, unknown>;
  quotaCounterScope?: string;
  space?: string;
  llmQuota?: string;
  llmQuotaInterval?: string;
  llmQuotaTimeUnit?: string;
  /**
   * X fields the emulator does not model, kept as sent and returned at the top level (a newer
   * server's fields; see product-body.ts parseProductBody). A PUT without them drops them.
   */
  unmodelled?: Record<string, unknown>;
}

/** A product as stored. */
export interface ApigeeStoredProduct extends ApigeeProductFields {
  /** Unix milliseconds. */
  createdAt: number;
  createdBy: string;
  lastModifiedAt: number;
  lastModifiedBy: string;
}

export interface ApigeeState {
  /** API proxy names (`GET …/apis`); a product may only list these. */
  proxies: string[];
  /** Environment names (`GET …/environments`); a product may only list these. */
  environments: string[];
  /**
   * Products by name. Names may be `__proto__` or `constructor` (reference §2 charset), so read and
   * write this map only through findProduct/storeProduct.
   */
  products: Record<string, ApigeeStoredProduct>;
  /** X: the org's Apigee Spaces (spaces.ts); absent in state files written before they were modelled. */
  spaces?: string[];
  /** X: integrated portals by site id, with their catalog items (apidocs.ts). */
  sites?: Record<string, ApigeeSite>;
  /** App developers (apps.ts); absent in a state file written before they existed. */
  developers?: ApigeeDeveloper[];
  /** Developer apps, whose keys list the products they hold (apps.ts). */
  apps?: ApigeeDeveloperApp[];
}

export function findProduct(state: ApigeeState, name: string): ApigeeStoredProduct | undefined {
  return Object.hasOwn(state.products, name) ? state.products[name] : undefined;
}

/** The state's own writers count as changes (../revision.ts), whoever calls them, handler or test. */
export function storeProduct(state: ApigeeState, product: ApigeeStoredProduct): void {
  countChange(state);
  // defineProperty, not assignment: `products['__proto__'] = …` would replace the prototype.
  Object.defineProperty(state.products, product.name, { value: product, enumerable: true, writable: true, configurable: true });
}

export function removeProduct(state: ApigeeState, name: string): void {
  countChange(state);
  delete state.products[name];
}

// Fixed clock values keep the seed byte-for-byte reproducible.
const SEEDED_AT = 1767225600000; // 2026-01-01T00:00:00Z
const DRIFTED_AT = 1769904000000; // 2026-02-01T00:00:00Z
const HOUR = 3_600_000;

/**
 * A realistic org: five proxies, two environments, one product of ours that drifted from Git
 * (`orders`: description edited by hand and an extra environment) and one nobody manages with
 * apiproducts (`legacy-billing-product`, no ownership marker). `org` names the people who edited them.
 * An X org also has `loyalty-console`, made in the X console as it makes products since 2023: bound by
 * an `operationGroup`, no proxies and no apiResources (reference "Round 2"), with a
 * `quotaCounterScope` and a `space`.
 */
export function seedApigeeState(org = 'sandbox', flavour: ApigeeFlavour = 'edge'): ApigeeState {
  const automation = `apiproducts@${org}.example.com`;
  const operator = `ops@${org}.example.com`;
  const orders: ApigeeStoredProduct = {
    name: 'orders',
    displayName: 'Orders API',
    description: 'Orders API. Edited by hand in the Apigee UI during an incident.',
    approvalType: 'auto',
    attributes: [
      { name: 'access', value: 'public' },
      { name: 'managed-by', value: 'apiproducts' },
      { name: 'apiproducts-name', value: 'orders' },
      { name: 'team', value: 'commerce' },
    ],
    apiResources: ['/orders/**'],
    environments: ['prod', 'test'],
    proxies: ['orders-v2'],
    scopes: [],
    createdAt: SEEDED_AT + 10 * HOUR,
    createdBy: automation,
    lastModifiedAt: DRIFTED_AT,
    lastModifiedBy: operator,
  };
  const legacyBilling: ApigeeStoredProduct = {
    name: 'legacy-billing-product',
    displayName: 'Legacy Billing',
    description: 'Invoices and statements for enterprise accounts. Maintained by hand in the Apigee UI.',
    approvalType: 'manual',
    attributes: [
      { name: 'access', value: 'private' },
      { name: 'team', value: 'finance' },
    ],
    apiResources: ['/invoices/**', '/statements'],
    environments: ['prod'],
    proxies: ['legacy-billing'],
    scopes: ['billing.read'],
    quota: '1000',
    quotaInterval: '1',
    quotaTimeUnit: 'day',
    createdAt: SEEDED_AT + 11 * HOUR,
    createdBy: operator,
    lastModifiedAt: SEEDED_AT + 11 * HOUR,
    lastModifiedBy: operator,
  };
  const products: Record<string, ApigeeStoredProduct> = { [legacyBilling.name]: legacyBilling, [orders.name]: orders };
  if (flavour === 'x') {
    products['loyalty-console'] = {
      name: 'loyalty-console',
      displayName: 'Loyalty points',
      description: 'Made in the Apigee X console: bound by operations.',
      approvalType: 'auto',
      attributes: [{ name: 'access', value: 'public' }],
      apiResources: [],
      environments: ['prod'],
      proxies: [],
      scopes: [],
      operationGroup: {
        operationConfigType: 'proxy',
        operationConfigs: [
          {
            apiSource: 'loyalty-v1',
            operations: [{ resource: '/points', methods: ['GET'] }, { resource: '/points/**', methods: ['GET', 'POST'] }],
            quota: { limit: '100', interval: '1', timeUnit: 'minute' },
            attributes: [{ name: 'tier', value: 'basic' }],
          },
        ],
      },
      quotaCounterScope: 'OPERATION',
      space: 'loyalty-team',
      createdAt: SEEDED_AT + 12 * HOUR,
      createdBy: operator,
      lastModifiedAt: SEEDED_AT + 12 * HOUR,
      lastModifiedBy: operator,
    };
  }
  return {
    proxies: ['payments-v1', 'orders-v2', 'identity-v1', 'loyalty-v1', 'legacy-billing'],
    environments: ['test', 'prod'],
    products,
    ...(flavour === 'x' ? { spaces: ['loyalty-team', 'payments-team'], sites: { [`${org}-portal`]: { apidocs: [], nextId: 1 } } } : {}),
    ...seedDevelopers(org, flavour, SEEDED_AT + 20 * HOUR),
  };
}
