/**
 * The peer-like baseline read of an Apigee org (bench/baseline.ts): names in pages of 1,000 (the
 * most it serves) chained by the inclusive startKey, without expand, then one GET per product;
 * preflight by our provider's own two list calls.
 */
import type { TargetConfig } from '../../../src/model/target.ts';
import { describeApigeeError } from '../../../src/providers/apigee/client.ts';
import { toLiveObject as apigeeLive } from '../../../src/providers/apigee/mapping.ts';
import type { ApigeeProduct } from '../../../src/providers/apigee/wire.ts';
import type { Provider, ProviderKind } from '../../../src/providers/provider.ts';
import { createHttpClient, type HttpClient } from '../../../src/providers/transport/http.ts';
import { DEFAULT_RETRY } from '../../../src/providers/transport/retry.ts';
import { Traffic } from '../../../src/providers/transport/traffic.ts';
import { notForApply, notForLocking, readEach, token, type BaselineFactory } from '../../baseline.ts';

const APIGEE_NAME_PAGE = 1000;

export function apigeeBaseline(target: TargetConfig, kind: ProviderKind, url: string, parallelism: number): Provider {
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
      return products.map((product) => apigeeLive(product));
    },
    preflight: (changes) => ours.preflight(changes),
    apply: notForApply,
    locks: notForLocking,
    // Counters only: its reads bypass the gate, as the peers' fixed concurrency does.
    traffic: new Traffic(parallelism),
  };
}

export const readLikePeers: BaselineFactory = apigeeBaseline;
