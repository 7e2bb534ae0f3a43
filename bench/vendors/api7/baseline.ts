/**
 * The peer-like baseline read of an API7 portal (bench/baseline.ts): product ids page by page at
 * the common page_size of 100, then one GET per product; the lookups exactly as our provider reads
 * them, and our preflight on what it has read.
 */
import pLimit from 'p-limit';
import type { TargetConfig } from '../../../src/model/target.ts';
import { createApi7Client, describeApi7Error, type Api7Client } from '../../../src/providers/api7/client.ts';
import { createDirectory, toLiveObject as api7Live, type Api7Directory } from '../../../src/providers/api7/mapping.ts';
import { checkLinks } from '../../../src/providers/api7/preflight.ts';
import type { Api7Item, Api7Product, Api7Service } from '../../../src/providers/api7/wire.ts';
import type { Provider } from '../../../src/providers/provider.ts';
import { createHttpClient, type HttpClient } from '../../../src/providers/transport/http.ts';
import { expectPage } from '../../../src/providers/transport/paging.ts';
import { DEFAULT_RETRY } from '../../../src/providers/transport/retry.ts';
import { Traffic } from '../../../src/providers/transport/traffic.ts';
import { notForApply, notForLocking, readEach, token, type BaselineFactory } from '../../baseline.ts';

/** The page size peers ask for when listing names: API7's common default. */
const API7_NAME_PAGE = 100;
/** The lookups the API7 mapping needs, read exactly as our provider reads them. */
async function api7Directory(client: Api7Client): Promise<Api7Directory> {
  const [groups, dcrProviders] = await Promise.all([client.listGatewayGroups(), client.listDcrProviders()]);
  const limit = pLimit(4);
  const lists = await Promise.all(groups.map((group) => limit(() => client.listServices(group.id))));
  return createDirectory(groups, new Map<string, Api7Service[]>(groups.map((group, index) => [group.id, lists[index] ?? []])), dcrProviders);
}

export function api7Baseline(target: TargetConfig, url: string, parallelism: number): Provider {
  const client = createApi7Client(target, { url });
  const http: HttpClient = createHttpClient({
    baseUrl: url,
    headers: () => ({ 'X-API-KEY': token(target) }),
    describeError: describeApi7Error,
    retry: DEFAULT_RETRY,
  });
  let snapshot: { products: Api7Product[]; directory: Api7Directory } | undefined;

  /** Ids, one page at a time, as a peer walks `page=1,2,…` until a short page. */
  const listIds = async (portal: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const answer = expectPage<Api7Product>(
        await http.request<unknown>('GET', '/api/api_products', { query: { portal_id: portal, page, page_size: API7_NAME_PAGE } }),
        'GET /api/api_products',
      );
      ids.push(...answer.list.map((product) => product.id));
      if (answer.list.length < API7_NAME_PAGE || ids.length >= answer.total) return ids;
    }
  };

  return {
    async observe() {
      const portal = await client.portalId();
      const [ids, directory] = await Promise.all([listIds(portal), api7Directory(client)]);
      const products = await readEach(ids, parallelism, async (id) => {
        const answer = await http.request<Api7Item<Api7Product>>('GET', `/api/api_products/${encodeURIComponent(id)}`, { query: { portal_id: portal } });
        return answer.value;
      });
      snapshot = { products, directory };
      return products.map((product) => api7Live(product, directory));
    },
    // What our preflight checks, on what this strategy has already read: no request of its own.
    async preflight(changes) {
      const ours = changes.filter((change) => change.target === target.name);
      if (ours.length === 0 || !snapshot) return [];
      return checkLinks(ours, snapshot.products, snapshot.directory, target.name);
    },
    apply: notForApply,
    locks: notForLocking,
    // Counters only: its reads bypass the gate, as the peers' fixed concurrency does.
    traffic: new Traffic(parallelism),
  };
}


export const readLikePeers: BaselineFactory = (target, _kind, url, parallelism) => api7Baseline(target, url, parallelism);
