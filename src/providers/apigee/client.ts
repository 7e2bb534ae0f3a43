/**
 * The Apigee management API calls apiproducts makes (routes in wire.ts), over the shared HTTP
 * client. Products are listed with `expand=true` in pages of 1000, never one GET per product.
 */
import type { Endpoint, TargetConfig } from '../../model/target.ts';
import { Traffic } from '../transport/traffic.ts';
import { createHttpClient, DEFAULT_TIMEOUT_MS, oneLine, type HttpClient } from '../transport/http.ts';
import { apigeeAuthorization, type ApigeeAuthorization } from './credentials/index.ts';
import { transportFor, type ConnectOptions } from '../transport/connect-options.ts';
import { MAX_LIST_PAGES, shapeOf } from '../transport/paging.ts';
import { ProviderError } from '../transport/provider-error.ts';
import { createCatalogClient, type CatalogClient } from './catalog-client.ts';
import { countProductApps } from './app-counts.ts';
import { pageProducts, type ProductPager } from './product-pager.ts';
import {
  FLAVOURS,
  PAGE_SIZE,
  type ApigeeAttribute,
  type ApigeeEnvironmentList,
  type ApigeeFlavour,
  type ApigeeProduct,
  type ApigeeProductBody,
  type ApigeeProductList,
  type ApigeeProxyList,
  type EdgeErrorBody,
  type XErrorBody,
} from './wire.ts';

export interface ApigeeClient {
  /** The target's gate: adaptive concurrency and request counters. */
  readonly traffic: Traffic;
  /**
   * Every API product of the org, all pages; with `filter`, those the server says carry that
   * attribute value (`attributename`/`attributevalue`, reference §3), which callers check again.
   * `onPage`: given each page's products not listed before, as the page arrives. The pager's
   * `expect` lets it ask for pages in parallel (product-pager.ts).
   */
  listProducts(filter?: ApigeeAttribute, onPage?: (products: readonly ApigeeProduct[]) => void): ProductPager;
  /** Names of the org's API proxies. */
  listProxies(): Promise<string[]>;
  listEnvironments(): Promise<string[]>;
  /** One product by name, or undefined when there is none (to check a create whose answer was lost). */
  getProduct(name: string): Promise<ApigeeProduct | undefined>;
  /**
   * `confirm` tells, after a lost answer, whether that try created it (uncertain-writes.ts). The
   * created product as the server answered it, or undefined when the answer had none.
   */
  createProduct(body: ApigeeProductBody, confirm: () => Promise<boolean>): Promise<ApigeeProduct | undefined>;
  /** A full replace: fields missing from `body` are cleared (so `body` is the merged live object, request-body.ts mergeProductBody). */
  replaceProduct(name: string, body: ApigeeProductBody & Record<string, unknown>): Promise<void>;
  deleteProduct(name: string): Promise<void>;
  /** X: integrated portal catalog items (catalog-client.ts). */
  readonly catalog: CatalogClient;
  /** X: moves a product into another Apigee Space (spaces.ts). */
  moveProduct(name: string, space: string): Promise<void>;
  /**
   * Sets one attribute's value, leaving the rest of the product as it is (reference §1). A POST:
   * after a lost answer `confirm` reads it back before it is sent again (uncertain-writes.ts).
   */
  updateAttribute(product: string, attribute: ApigeeAttribute, confirm: () => Promise<boolean>): Promise<void>;
  /** How many developer apps hold the product (app-counts.ts: how each flavour is asked). */
  countApps(product: string): Promise<number>;
}

export function flavourOf(target: TargetConfig): ApigeeFlavour | undefined {
  const flavour = target.settings.flavour;
  return FLAVOURS.find((known) => known === flavour);
}

export function orgOf(target: TargetConfig): string | undefined {
  const org = target.settings.org;
  return typeof org === 'string' && org !== '' ? org : undefined;
}

/** Edge `{code, message}` or gateway `{fault}`, X `{error: {message}}`; else the raw body. */
export function describeApigeeError(_status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as (EdgeErrorBody & XErrorBody) | null;
    const message = parsed?.error?.message ?? parsed?.message ?? parsed?.fault?.faultstring;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw body is all there is.
  }
  return body;
}

/**
 * Names from `["a"]`, `[{name: "a"}]` or `{proxies: [{name: "a"}]}`: the flavours differ here. X
 * answers `{}` when there are none; any other shape is an error, never an empty list.
 */
function names(list: ApigeeProxyList | ApigeeEnvironmentList | Record<string, unknown> | undefined, what: string): string[] {
  const wrapped = typeof list === 'object' && list !== null && !Array.isArray(list) ? Object.values(list).find(Array.isArray) : undefined;
  const empty = typeof list === 'object' && list !== null && !Array.isArray(list) && Object.keys(list).length === 0;
  if (!Array.isArray(list) && !wrapped && !empty) {
    throw new ProviderError(`the answer to ${what} is not a list of names: got ${shapeOf(list)}`);
  }
  const items: unknown[] = Array.isArray(list) ? list : (wrapped ?? []);
  return items
    .map((item) => (typeof item === 'string' ? item : (item as { name?: unknown } | null)?.name))
    .filter((name): name is string => typeof name === 'string');
}

/** The products of one list page, checked: an object with an `apiProduct` array of named products, or `{}`. */
function productsOf(page: unknown, what: string): ApigeeProduct[] {
  // An empty body is not an empty org (X says `{}`, Edge `{apiProduct: []}`): never plan against it.
  if (typeof page !== 'object' || page === null || Array.isArray(page)) {
    throw new ProviderError(`the answer to ${what} is not {apiProduct: [...]}: got ${shapeOf(page)}`);
  }
  const items = (page as ApigeeProductList).apiProduct;
  // X answers `{}` for an empty org; anything else without the list is a wrong answer.
  if (items === undefined && Object.keys(page).length === 0) return [];
  if (!Array.isArray(items)) throw new ProviderError(`the answer to ${what} is not {apiProduct: [...]}: got ${shapeOf(page)}`);
  for (const item of items) {
    if (typeof (item as { name?: unknown } | null)?.name !== 'string') {
      throw new ProviderError(`the answer to ${what} lists a product without a name (${shapeOf(item)})`);
    }
  }
  return items;
}

/**
 * The management root the `/v1/organizations/…` routes hang off: a url written with the API
 * version (`http://ms:8080/v1` on Private Cloud, `https://api.enterprise.apigee.com/v1`, some X
 * docs; reference "Round 2") loses it, so requests never go to `/v1/v1/…`.
 */
export function managementRoot(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/i, '');
}

export function createApigeeClient(target: TargetConfig, endpoint: Endpoint, options: ConnectOptions = {}): ApigeeClient {
  const org = orgOf(target);
  const traffic = options.traffic ?? new Traffic();
  const transport = transportFor(target, endpoint, traffic, options);
  // Chosen on the first request, so that a missing credential fails a request, not connect().
  let authorization: ApigeeAuthorization | undefined;
  const authorize = (): ApigeeAuthorization =>
    (authorization ??= apigeeAuthorization(target, endpoint, { ...(transport.ca === undefined ? {} : { ca: transport.ca }), env: transport.env ?? {}, timeoutMs: transport.timeoutMs ?? DEFAULT_TIMEOUT_MS }, options.now));
  const http: HttpClient = createHttpClient({
    baseUrl: managementRoot(endpoint.url),
    headers: async () => ({ authorization: await authorize().header() }),
    renewAuthorization: (refused) => authorize().renew(refused),
    // The shared client masks whole header values; a server echoing only the token is masked here.
    describeError: (status, body) => oneLine(describeApigeeError(status, body), authorization?.secrets ?? []),
    ...transport,
  });
  const orgPath = (suffix: string): string => {
    if (!org) throw new ProviderError(`target ${target.name} has no org (the Apigee organization name)`);
    return `/v1/organizations/${encodeURIComponent(org)}${suffix}`;
  };
  const productPath = (name: string): string => orgPath(`/apiproducts/${encodeURIComponent(name)}`);

  return {
    traffic,
    catalog: createCatalogClient(http, orgPath),
    listProducts(filter, onPage) {
      const path = orgPath('/apiproducts');
      const what = `GET ${path}`;
      const fetchPage = async (startKey: string | undefined): Promise<ApigeeProduct[]> => {
        const page = await http.request<unknown>('GET', path, {
          query: { expand: true, count: PAGE_SIZE, startKey, attributename: filter?.name, attributevalue: filter?.value },
        });
        if (Array.isArray(page)) {
          throw new ProviderError(`${what} answered a list of names although expand=true was asked; this server cannot be observed`);
        }
        return productsOf(page, what);
      };
      return pageProducts(fetchPage, { pageSize: PAGE_SIZE, maxPages: MAX_LIST_PAGES, what, ...(onPage ? { onPage } : {}) });
    },
    listProxies: async () => names(await http.request<ApigeeProxyList>('GET', orgPath('/apis')), `GET ${orgPath('/apis')}`),
    listEnvironments: async () => names(await http.request<ApigeeEnvironmentList>('GET', orgPath('/environments')), `GET ${orgPath('/environments')}`),
    async getProduct(name) {
      try {
        const product = await http.request<ApigeeProduct | undefined>('GET', productPath(name));
        return typeof product?.name === 'string' ? product : undefined;
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) return undefined;
        throw error;
      }
    },
    async createProduct(body, confirm) {
      const created = await http.request<ApigeeProduct | undefined>('POST', orgPath('/apiproducts'), { body, confirm });
      // Only a named object is a product: anything else counts as no answer (looked up instead).
      return typeof created === 'object' && created !== null && typeof created.name === 'string' ? created : undefined;
    },
    async replaceProduct(name, body) {
      await http.request<unknown>('PUT', productPath(name), { body });
    },
    async deleteProduct(name) {
      await http.request<unknown>('DELETE', productPath(name));
    },
    async moveProduct(name, space) {
      // Body per the REST reference, query per the how-to page and apigeecli (spaces.ts); a move
      // done twice leaves it where it is, so a resend after a lost answer needs no lookup.
      await http.request<unknown>('POST', `${productPath(name)}:move`, { query: { space }, body: { space }, confirm: async () => false });
    },
    countApps: (product) =>
      countProductApps(flavourOf(target) === 'edge' ? 'edge' : 'x', product, (path, query) => http.request<unknown>('GET', orgPath(path), { query })),
    async updateAttribute(product, attribute, confirm) {
      // Edge `POST …/apiproducts/{name}/attributes/{attr}` (postman gateways products.yaml); X the
      // same path, `updateApiProductAttribute`, body an Attribute `{name, value}` (discovery doc,
      // cloud.google.com …/organizations.apiproducts.attributes/updateApiProductAttribute).
      await http.request<unknown>('POST', `${productPath(product)}/attributes/${encodeURIComponent(attribute.name)}`, { body: attribute, confirm });
    },
  };
}
