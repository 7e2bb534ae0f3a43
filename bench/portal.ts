/**
 * The emulators the benchmark runs in its own process: one per provider and project, seeded with a
 * generated portal, with the fault options of src/sandbox/faults.ts (latency, token bucket), and
 * their request logs summed up by endpoint.
 */
import type { DesiredObject } from '../src/model/objects.ts';
import type { FaultOptions } from '../src/sandbox/fault-options.ts';
import type { RunningEmulator } from '../src/sandbox/listen.ts';
import type { ProviderName } from './options.ts';
import { BENCH_PROFILES, benchProfile } from './vendors/index.ts';
import type { PortalLayout, PortalSettings } from './vendors/profile.ts';

export interface Portal {
  provider: ProviderName;
  emulator: RunningEmulator<unknown>;
  /** Puts the project's products on the portal as live now. */
  plant(desired: readonly DesiredObject[]): void;
  /** Empties the portal (for each apply run), keeping its directory. */
  clearProducts(): void;
  /** Owned products on the portal now (apply checks: each product exactly once). */
  ownedProducts(): number;
  /** Forgets the requests and counters so far and sets the faults for what comes next. */
  reset(faults: FaultOptions): void;
  close(): Promise<void>;
}

/** A vendor's portal for a generated project: its directory seeded, served, no products yet. */
export async function startPortal(provider: ProviderName, l: PortalLayout, settings: PortalSettings): Promise<Portal> {
  const state = benchProfile(provider).portal(l, settings);
  const emulator = await state.start();
  return {
    provider,
    emulator,
    plant: (desired) => state.plant(desired),
    clearProducts: () => state.clearProducts(),
    ownedProducts: () => state.ownedProducts(),
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

/** `/api/api_products/prod-x` → `/api/api_products/{id}`, and the like for every vendor (its profile's foldPath). */
export function endpointOf(method: string, path: string): string {
  return `${method} ${BENCH_PROFILES.reduce((shown, profile) => profile.foldPath(shown), path)}`;
}

const PRODUCT_LISTS = new Set(BENCH_PROFILES.map((profile) => profile.productList));
const PRODUCT_GETS = new Set(BENCH_PROFILES.map((profile) => profile.productGet));

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
