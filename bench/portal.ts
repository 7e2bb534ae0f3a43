/**
 * The emulators the benchmark runs in its own process: one per provider and project, seeded with a
 * generated portal, with the fault options of src/sandbox/faults.ts (latency, token bucket), and
 * their request logs summed up by endpoint.
 */
import { startApi7Emulator, type Api7Emulator } from '../src/sandbox/api7/server.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../src/sandbox/apigee/server.ts';
import type { FaultOptions } from '../src/sandbox/faults.ts';
import type { Api7State } from '../src/sandbox/api7/state.ts';
import type { ApigeeFlavour, ApigeeState } from '../src/sandbox/apigee/state.ts';
import { API7_TOKEN, APIGEE_TOKEN, ORG } from './generate.ts';
import type { ProviderName } from './options.ts';

export type Emulator = Api7Emulator | ApigeeEmulator;

export interface Portal {
  provider: ProviderName;
  emulator: Emulator;
  state: Api7State | ApigeeState;
  /** Forgets the requests and counters so far and sets the faults for what comes next. */
  reset(faults: FaultOptions): void;
  close(): Promise<void>;
}

export async function startPortal(provider: ProviderName, state: Api7State | ApigeeState, flavour: ApigeeFlavour): Promise<Portal> {
  const emulator: Emulator =
    provider === 'api7'
      ? await startApi7Emulator({ token: API7_TOKEN, state: state as Api7State })
      : await startApigeeEmulator({ flavour, org: ORG, credentials: { token: APIGEE_TOKEN }, state: state as ApigeeState });
  return {
    provider,
    emulator,
    state,
    reset(faults) {
      emulator.requests.length = 0;
      emulator.faults.configure(faults);
      emulator.faults.resetCounters();
    },
    close: () => emulator.close(),
  };
}

/** What reading or writing products cost, from an emulator's request log. */
export interface RequestCounts {
  /** `GET /api/api_products` → count, every endpoint the run touched, ids and names folded. */
  byEndpoint: Record<string, number>;
  total: number;
  /** Pages of the product list. */
  productLists: number;
  /** GETs of one product. */
  productGets: number;
  /** Writes (POST, PUT, DELETE). */
  writes: number;
  /** Every other request: portal, gateway groups, services, DCR providers, proxies, environments. */
  lookups: number;
  /** Answered 429. */
  rateLimited: number;
  /** Answered 2xx. */
  succeeded: number;
}

const API7_PRODUCT = /^\/api\/api_products\/[^/]+$/;
const APIGEE_ORG = /^\/v1\/organizations\/[^/]+/;
const APIGEE_PRODUCT = /^\/v1\/organizations\/\{org\}\/apiproducts\/[^/]+$/;

/** `/api/api_products/prod-x` → `/api/api_products/{id}`; `/v1/organizations/acme/apiproducts/x` → `…/{org}/apiproducts/{name}`. */
export function endpointOf(method: string, path: string): string {
  let shown = path.replace(API7_PRODUCT, '/api/api_products/{id}').replace(APIGEE_ORG, '/v1/organizations/{org}');
  shown = shown.replace(APIGEE_PRODUCT, '/v1/organizations/{org}/apiproducts/{name}');
  return `${method} ${shown}`;
}

const PRODUCT_LISTS = new Set(['GET /api/api_products', 'GET /v1/organizations/{org}/apiproducts']);
const PRODUCT_GETS = new Set(['GET /api/api_products/{id}', 'GET /v1/organizations/{org}/apiproducts/{name}']);

export function countRequests(requests: readonly { method: string; path: string; status: number }[]): RequestCounts {
  const counts: RequestCounts = { byEndpoint: {}, total: 0, productLists: 0, productGets: 0, writes: 0, lookups: 0, rateLimited: 0, succeeded: 0 };
  for (const request of requests) {
    const endpoint = endpointOf(request.method, request.path);
    counts.byEndpoint[endpoint] = (counts.byEndpoint[endpoint] ?? 0) + 1;
    counts.total++;
    if (PRODUCT_LISTS.has(endpoint)) counts.productLists++;
    else if (PRODUCT_GETS.has(endpoint)) counts.productGets++;
    else if (request.method !== 'GET') counts.writes++;
    else counts.lookups++;
    if (request.status === 429) counts.rateLimited++;
    if (request.status >= 200 && request.status < 300) counts.succeeded++;
  }
  return counts;
}

/** Owned products on the portal now (apply checks: each product exactly once). */
export function ownedProducts(portal: Portal): number {
  if (portal.provider === 'api7') {
    return Object.values((portal.state as Api7State).products)
      .flat()
      .filter((product) => product.labels?.['managed-by'] === 'apiproducts').length;
  }
  return Object.values((portal.state as ApigeeState).products).filter((product) =>
    product.attributes.some((attribute) => attribute.name === 'managed-by' && attribute.value === 'apiproducts'),
  ).length;
}
