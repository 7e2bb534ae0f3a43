/**
 * The BASELINE read strategy: how the common peers read a portal (peers-and-complaints §3:
 * Terraform's refresh, ADC's per-service fetch): list the names page by page, then one GET per
 * product with 10 in flight. Everything else is ours, so the comparison isolates the read strategy:
 * the same HTTP client (keep-alive, JSON, retries), the same lookups (API7 gateway groups, services,
 * DCR providers; Apigee proxies and environments for preflight), the same mapping to live objects,
 * the same diff, plan and render.
 */
import pLimit from 'p-limit';
import { DEFAULT_RETRY, type Attempted } from '../src/providers/transport/retry.ts';
import { Traffic } from '../src/providers/transport/traffic.ts';
import type { TargetConfig } from '../src/model/target.ts';
import { createApi7Client, describeApi7Error, type Api7Client } from '../src/providers/api7/client.ts';
import { createDirectory, toLiveObject as api7Live, type Api7Directory } from '../src/providers/api7/mapping.ts';
import { checkLinks } from '../src/providers/api7/preflight.ts';
import type { Api7Item, Api7Product, Api7Service } from '../src/providers/api7/wire.ts';
import { describeApigeeError } from '../src/providers/apigee/client.ts';
import { toLiveObject as apigeeLive } from '../src/providers/apigee/mapping.ts';
import type { ApigeeProduct } from '../src/providers/apigee/wire.ts';
import { createHttpClient, type HttpClient } from '../src/providers/transport/http.ts';
import { expectPage } from '../src/providers/transport/paging.ts';
import type { Provider, ProviderKind } from '../src/providers/provider.ts';

/** The page size peers ask for when listing names: API7's common default of 100; Apigee's 1000 (the most it serves). */
const API7_NAME_PAGE = 100;
const APIGEE_NAME_PAGE = 1000;

function token(target: TargetConfig): string {
  const variable = String(target.settings.tokenEnv ?? '');
  const value = process.env[variable];
  if (!value) throw new Error(`baseline: environment variable ${variable} is not set`);
  return value;
}

function notForApply(): Promise<Attempted<void>> {
  return Promise.reject(new Error('the baseline strategy only reads'));
}

/** `items` mapped by `read` with at most `parallelism` in flight, in order. */
async function readEach<T, R>(items: readonly T[], parallelism: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(parallelism);
  return Promise.all(items.map((item) => limit(() => read(item))));
}

/** The lookups the API7 mapping needs, read exactly as our provider reads them. */
async function api7Directory(client: Api7Client): Promise<Api7Directory> {
  const [groups, dcrProviders] = await Promise.all([client.listGatewayGroups(), client.listDcrProviders()]);
  const limit = pLimit(4);
  const lists = await Promise.all(groups.map((group) => limit(() => client.listServices(group.id))));
  return createDirectory(groups, new Map<string, Api7Service[]>(groups.map((group, index) => [group.id, lists[index] ?? []])), dcrProviders);
}

function api7Baseline(target: TargetConfig, url: string, parallelism: number): Provider {
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
    // Counters only: its reads bypass the gate, as the peers' fixed concurrency does.
    traffic: new Traffic(parallelism),
  };
}

function apigeeBaseline(target: TargetConfig, kind: ProviderKind, url: string, parallelism: number): Provider {
  const org = encodeURIComponent(String(target.settings.org));
  const http: HttpClient = createHttpClient({
    baseUrl: url,
    headers: () => ({ authorization: `Bearer ${token(target)}` }),
    describeError: describeApigeeError,
    retry: DEFAULT_RETRY,
  });
  const list = `/v1/organizations/${org}/apiproducts`;
  // Proxies and environments for preflight: our provider's own two list calls, made only when needed.
  const ours = kind.connect(target, { url });

  /** Names, `count=1000` pages chained by the inclusive `startKey`, without `expand`. */
  const listNames = async (): Promise<string[]> => {
    const names: string[] = [];
    let startKey: string | undefined;
    for (;;) {
      const answer = await http.request<unknown>('GET', list, { query: { count: APIGEE_NAME_PAGE, startKey } });
      // Edge: an array of names; X: {apiProduct: [{name}]} ({} when empty).
      const page = (Array.isArray(answer) ? answer : ((answer as { apiProduct?: { name: string }[] } | undefined)?.apiProduct ?? []))
        .map((item: unknown) => (typeof item === 'string' ? item : (item as { name: string }).name));
      names.push(...page.filter((name, index) => !(index === 0 && name === startKey)));
      if (page.length < APIGEE_NAME_PAGE) return names;
      startKey = page[page.length - 1];
    }
  };

  return {
    async observe() {
      const names = await listNames();
      const products = await readEach(names, parallelism, (name) => http.request<ApigeeProduct>('GET', `${list}/${encodeURIComponent(name)}`));
      return products.map(apigeeLive);
    },
    preflight: (changes) => ours.preflight(changes),
    apply: notForApply,
    // Counters only: its reads bypass the gate, as the peers' fixed concurrency does.
    traffic: new Traffic(parallelism),
  };
}

/** A read-only Provider that observes the way the peers do. */
export function baselineProvider(target: TargetConfig, kind: ProviderKind, url: string, parallelism: number): Provider {
  return kind.kind === 'api7' ? api7Baseline(target, url, parallelism) : apigeeBaseline(target, kind, url, parallelism);
}
