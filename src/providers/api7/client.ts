/**
 * The API7 Admin API calls apiproducts makes (routes in wire.ts), over the shared HTTP client.
 * Lists always read every page with a few concurrent requests; nothing here GETs one product.
 */
import type { TargetConfig } from '../../model/target.ts';
import { Traffic } from '../transport/traffic.ts';
import { createHttpClient, type HttpClient, type QueryValue } from '../transport/http.ts';
import { transportFor, type ConnectOptions } from '../transport/connect-options.ts';
import { expectPage, fetchAllPages, PageSizes, readFirstPage, shapeOf } from '../transport/paging.ts';
import type { Endpoint } from '../../model/target.ts';
import { ProviderError } from '../transport/provider-error.ts';
import { SANDBOX_SECRET } from '../../model/masker.ts';
import { isLockRecord } from './ownership.ts';
import type {
  Api7DcrProvider,
  Api7ErrorBody,
  Api7GatewayGroup,
  Api7Item,
  Api7Portal,
  Api7Product,
  Api7ProductBody,
  Api7Service,
} from './wire.ts';

/**
 * The page sizes asked for, largest first: fewer requests for big portals. No maximum `page_size`
 * is documented (reference §2 line 335; 500 is the emulator's own cap), so a 400 to a first page
 * steps down to the next size, and the size that worked is kept for the rest of the run. A server
 * that caps it silently is read whole too: paging trusts the size of the first page it gets.
 */
const PAGE_SIZES = [500, 100, 20] as const;

/**
 * A stable order for every `/api/*` list. The default, `updated_at desc`, moves an item edited
 * during a paged read to page 1, so a concurrent edit would skip one item and repeat another
 * (reference §1 lines 40-41 name `order_by` and `direction`; §2 line 334 warns of the default).
 * Items created during the read land on the last page, after what was read.
 */
const STABLE_ORDER = { order_by: 'created_at', direction: 'asc' } as const;

export interface Api7Client {
  /** The target's gate: adaptive concurrency and request counters. */
  readonly traffic: Traffic;
  /** The portal id for `settings.portal`, resolved once. */
  portalId(): Promise<string>;
  /** The portal's products, without the apply-lock records (ownership.ts `isLockRecord`). */
  listProducts(): Promise<Api7Product[]>;
  /** Only the apply-lock records, read from the same full list (locks.ts says why). */
  listLockRecords(): Promise<Api7Product[]>;
  listGatewayGroups(): Promise<Api7GatewayGroup[]>;
  listServices(gatewayGroupId: string): Promise<Api7Service[]>;
  listDcrProviders(): Promise<Api7DcrProvider[]>;
  /**
   * `confirm` tells, after a lost answer, whether that try created it (uncertain-writes.ts). The
   * created product as the server answered it (`value`), or undefined when the answer had none.
   */
  createProduct(body: Api7ProductBody, confirm: () => Promise<boolean>): Promise<Api7Product | undefined>;
  replaceProduct(id: string, body: Api7ProductBody): Promise<Api7Product>;
  deleteProduct(id: string): Promise<void>;
  /** How many developers are subscribed to the product (`status=subscribed`): one request, its `total`. */
  countSubscriptions(productId: string): Promise<number>;
}

export function portalName(target: TargetConfig): string {
  const portal = target.settings.portal;
  return typeof portal === 'string' && portal !== '' ? portal : 'default';
}

/** The server's message: `error_msg` (Admin API), `message` (portal API), else the raw body. */
export function describeApi7Error(_status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as Api7ErrorBody | null;
    const message = parsed?.error_msg ?? parsed?.message;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw body is all there is.
  }
  return body;
}

/**
 * A sandbox hands us its secret; a real target names an env var, and we read it only when calling.
 * The token is sent trimmed (`$(cat token)` keeps a trailing newline), and both forms are masked.
 */
function tokenSource(target: TargetConfig, endpoint: Endpoint): () => string {
  return () => {
    if (endpoint.secret !== undefined) {
      endpoint.secrets?.add(endpoint.secret, SANDBOX_SECRET);
      return endpoint.secret;
    }
    const variable = target.settings.tokenEnv;
    if (typeof variable !== 'string' || variable === '') {
      throw new ProviderError(`tokenEnv is not set (the name of the environment variable holding the API7 token)`);
    }
    const token = (endpoint.env ?? process.env)[variable];
    endpoint.secrets?.add(token);
    if (token === undefined || token.trim() === '') {
      throw new ProviderError(`environment variable ${variable} is not set (it must hold the API7 token)`);
    }
    return token.trim();
  };
}

/** An `{id}` on every item, so that paging can tell a repeated page (and the mapping can trust ids). */
function idOf(item: unknown, what: string): string {
  const id = (item as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw new ProviderError(`the answer to ${what} lists an item without an id (${shapeOf(item)})`);
  return id;
}

export function createApi7Client(target: TargetConfig, endpoint: Endpoint, options: ConnectOptions = {}): Api7Client {
  const token = tokenSource(target, endpoint);
  const traffic = options.traffic ?? new Traffic();
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.url,
    headers: () => ({ 'X-API-KEY': token() }),
    describeError: describeApi7Error,
    ...transportFor(target, endpoint, traffic, options),
  });
  // Shared by every list of this target, so a size learnt on one list serves the others.
  const pageSizes = new PageSizes(PAGE_SIZES);
  const listAll = <T>(path: string, query: Record<string, QueryValue> = {}): Promise<T[]> => {
    const what = `GET ${path}`;
    return fetchAllPages<T>(
      async (page, pageSize) => {
        const answer = expectPage<T>(await http.request<unknown>('GET', path, { query: { ...query, page, page_size: pageSize } }), what);
        for (const item of answer.list) idOf(item, what);
        return answer;
      },
      { pageSize: pageSizes, identify: (item) => idOf(item, what), what },
    );
  };

  let portal: Promise<string> | undefined;
  const resolvePortal = async (): Promise<string> => {
    const name = portalName(target);
    const { page: found } = await readFirstPage(pageSizes, async (pageSize) =>
      expectPage<Api7Portal>(
        await http.request<unknown>('GET', '/api/portals', { query: { search: name, page_size: pageSize, ...STABLE_ORDER } }),
        'GET /api/portals',
      ),
    );
    const exact = found.list.find((p) => p?.name === name && typeof p.id === 'string');
    if (exact) return exact.id;
    const all = await listAll<Api7Portal>('/api/portals', STABLE_ORDER);
    const available = all.map((p) => p.name).sort().join(', ') || 'none';
    throw new ProviderError(`portal "${name}" does not exist (available: ${available})`);
  };
  const portalId = (): Promise<string> => {
    // A failed lookup is not cached: the next call (a retry) asks again.
    portal ??= resolvePortal().catch((error: unknown) => {
      portal = undefined;
      throw error;
    });
    return portal;
  };

  const listEveryProduct = async (): Promise<Api7Product[]> => {
    const products = await listAll<Api7Product>('/api/api_products', { portal_id: await portalId(), ...STABLE_ORDER });
    // Concurrent pages can overlap when the list moves underneath them: keep each id once.
    return [...new Map(products.map((p) => [p.id, p])).values()];
  };

  return {
    traffic,
    portalId,
    // The one place lock records are kept out of observe, preflight, apply and import.
    listProducts: async () => (await listEveryProduct()).filter((product) => !isLockRecord(product)),
    listLockRecords: async () => (await listEveryProduct()).filter(isLockRecord),
    listGatewayGroups: () => listAll<Api7GatewayGroup>('/api/gateway_groups', STABLE_ORDER),
    // The runtime list: no source documents `order_by` on `/apisix/admin/services` (only on the
    // dashboard's /api/gateway_groups/{gg}/services, reference line 136), so none is sent.
    listServices: (gatewayGroupId) => listAll<Api7Service>('/apisix/admin/services', { gateway_group_id: gatewayGroupId }),
    listDcrProviders: () => listAll<Api7DcrProvider>('/api/dcr_providers', STABLE_ORDER),
    async createProduct(body, confirm) {
      const query = { portal_id: await portalId() };
      const answer = await http.request<Api7Item<Api7Product> | undefined>('POST', '/api/api_products', { query, body, confirm });
      // Only an object with an id is a product: anything else counts as no answer (looked up instead).
      const created = (answer as { value?: unknown } | undefined)?.value as Api7Product | undefined;
      return typeof created === 'object' && created !== null && typeof created.id === 'string' ? created : undefined;
    },
    async replaceProduct(id, body) {
      const query = { portal_id: await portalId() };
      const path = `/api/api_products/${encodeURIComponent(id)}`;
      return (await http.request<Api7Item<Api7Product> | undefined>('PUT', path, { query, body }))?.value as Api7Product;
    },
    async deleteProduct(id) {
      const query = { portal_id: await portalId() };
      await http.request<unknown>('DELETE', `/api/api_products/${encodeURIComponent(id)}`, { query });
    },
    async countSubscriptions(productId) {
      // Reference §5 (docs' manage-subscriptions page, low confidence): the Admin API lists a
      // product's subscriptions by `api_product_id` and `status`, as `{list, total}` like every
      // list (§1). `total` is the full count, so one item per page is enough.
      const what = 'GET /api/subscriptions';
      const query = { api_product_id: productId, status: 'subscribed', page: 1, page_size: 1 };
      const { total } = expectPage<unknown>(await http.request<unknown>('GET', '/api/subscriptions', { query }), what);
      return total;
    },
  };
}
