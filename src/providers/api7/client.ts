/**
 * The API7 Admin API calls apiproducts makes (routes in wire.ts), over the shared HTTP client.
 * Lists always read every page with a few concurrent requests; nothing here GETs one product.
 */
import type { TargetConfig } from '../../model/target.ts';
import { createHttpClient, fetchAllPages, type HttpClient, type Page, type QueryValue } from '../http.ts';
import { ProviderError, type Endpoint } from '../provider.ts';
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

/** The largest page the Admin API serves; fewer requests for big portals. */
const PAGE_SIZE = 100;

export interface Api7Client {
  /** The portal id for `settings.portal`, resolved once. */
  portalId(): Promise<string>;
  listProducts(): Promise<Api7Product[]>;
  listGatewayGroups(): Promise<Api7GatewayGroup[]>;
  listServices(gatewayGroupId: string): Promise<Api7Service[]>;
  listDcrProviders(): Promise<Api7DcrProvider[]>;
  createProduct(body: Api7ProductBody): Promise<Api7Product>;
  replaceProduct(id: string, body: Api7ProductBody): Promise<Api7Product>;
  deleteProduct(id: string): Promise<void>;
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

/** A sandbox hands us its secret; a real target names an env var, and we read it only when calling. */
function tokenSource(target: TargetConfig, endpoint: Endpoint): () => string {
  return () => {
    if (endpoint.secret !== undefined) return endpoint.secret;
    const variable = target.settings.tokenEnv;
    if (typeof variable !== 'string' || variable === '') {
      throw new ProviderError(`tokenEnv is not set (the name of the environment variable holding the API7 token)`);
    }
    const token = process.env[variable];
    if (token === undefined || token === '') {
      throw new ProviderError(`environment variable ${variable} is not set (it must hold the API7 token)`);
    }
    return token;
  };
}

export function createApi7Client(target: TargetConfig, endpoint: Endpoint, timeoutMs?: number): Api7Client {
  const token = tokenSource(target, endpoint);
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.url,
    headers: () => ({ 'X-API-KEY': token() }),
    describeError: describeApi7Error,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const listAll = <T>(path: string, query: Record<string, QueryValue> = {}): Promise<T[]> =>
    fetchAllPages<T>(
      (page, pageSize) => http.request<Page<T>>('GET', path, { query: { ...query, page, page_size: pageSize } }),
      { pageSize: PAGE_SIZE },
    );

  let portal: Promise<string> | undefined;
  const resolvePortal = async (): Promise<string> => {
    const name = portalName(target);
    const found = await http.request<Page<Api7Portal>>('GET', '/api/portals', { query: { search: name, page_size: PAGE_SIZE } });
    const exact = found.list.find((p) => p.name === name);
    if (exact) return exact.id;
    const all = await listAll<Api7Portal>('/api/portals');
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

  return {
    portalId,
    async listProducts() {
      const products = await listAll<Api7Product>('/api/api_products', { portal_id: await portalId() });
      // Concurrent pages can overlap when the list moves underneath them: keep each id once.
      return [...new Map(products.map((p) => [p.id, p])).values()];
    },
    listGatewayGroups: () => listAll<Api7GatewayGroup>('/api/gateway_groups'),
    listServices: (gatewayGroupId) => listAll<Api7Service>('/apisix/admin/services', { gateway_group_id: gatewayGroupId }),
    listDcrProviders: () => listAll<Api7DcrProvider>('/api/dcr_providers'),
    async createProduct(body) {
      const query = { portal_id: await portalId() };
      return (await http.request<Api7Item<Api7Product>>('POST', '/api/api_products', { query, body })).value;
    },
    async replaceProduct(id, body) {
      const query = { portal_id: await portalId() };
      const path = `/api/api_products/${encodeURIComponent(id)}`;
      return (await http.request<Api7Item<Api7Product>>('PUT', path, { query, body })).value;
    },
    async deleteProduct(id) {
      const query = { portal_id: await portalId() };
      await http.request<unknown>('DELETE', `/api/api_products/${encodeURIComponent(id)}`, { query });
    },
  };
}
