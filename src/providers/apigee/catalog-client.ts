/**
 * The integrated portal catalog calls (Apigee X `organizations.sites.apidocs`), over the target's
 * HTTP client. Sources, [C] docs.cloud.google.com/apigee/docs/reference/apis/apigee/rest/v1/organizations.sites.apidocs
 * and its list/create/update/delete method pages:
 *   GET    /v1/organizations/{org}/sites/{site}/apidocs?pageSize=100[&pageToken=…]
 *          → {status, message, requestId, errorCode, data: [ApiDoc], nextPageToken}; pageSize
 *            "at most 100; values above 100 will be coerced to 100"; no nextPageToken = last page
 *   POST   /v1/organizations/{org}/sites/{site}/apidocs  ApiDoc → ApiDocResponse
 *   PUT    /v1/organizations/{org}/sites/{site}/apidocs/{id}  ApiDoc → ApiDocResponse
 *   DELETE /v1/organizations/{org}/sites/{site}/apidocs/{id}
 * [I]: whether PUT keeps fields the body leaves out is not said, so every field read is sent back
 * (catalog.ts); the shape of ApiDocResponse (`data` holding the ApiDoc) is read leniently.
 */
import type { HttpClient } from '../transport/http.ts';
import { MAX_LIST_PAGES, shapeOf } from '../transport/paging.ts';
import { ProviderError } from '../transport/provider-error.ts';

/** A catalog item as the server sends it; fields apiproducts does not write are kept as read. */
export interface ApigeeApiDoc {
  id: string;
  title?: string;
  description?: string;
  published?: boolean;
  anonAllowed?: boolean;
  apiProductName?: string;
  specId?: string;
  [field: string]: unknown;
}

/** The fields apiproducts writes on a catalog item. */
export interface ApiDocFields {
  title: string;
  description: string;
  published: boolean;
  anonAllowed: boolean;
  apiProductName: string;
  specId?: string;
}

export interface CatalogClient {
  /** Every catalog item of one portal, all pages. */
  list(site: string): Promise<ApigeeApiDoc[]>;
  /**
   * `confirm` looks, after a lost answer, for the item the lost try made (uncertain-writes.ts).
   * The created item when the answer holds it (`data` with an id), else undefined.
   */
  create(site: string, fields: ApiDocFields, confirm: () => Promise<boolean>): Promise<ApigeeApiDoc | undefined>;
  replace(site: string, id: string, body: Record<string, unknown>): Promise<void>;
  remove(site: string, id: string): Promise<void>;
}

/** The API's list page size ceiling (list method page). */
export const CATALOG_PAGE_SIZE = 100;

export function createCatalogClient(http: HttpClient, orgPath: (suffix: string) => string): CatalogClient {
  const itemsPath = (site: string): string => orgPath(`/sites/${encodeURIComponent(site)}/apidocs`);
  const itemPath = (site: string, id: string): string => `${itemsPath(site)}/${encodeURIComponent(id)}`;
  return {
    async list(site) {
      const path = itemsPath(site);
      const items: ApigeeApiDoc[] = [];
      const seenTokens = new Set<string>();
      let pageToken: string | undefined;
      for (let pages = 1; ; pages++) {
        const page = await http.request<unknown>('GET', path, { query: { pageSize: CATALOG_PAGE_SIZE, pageToken } });
        const data = typeof page === 'object' && page !== null && !Array.isArray(page) ? (page as { data?: unknown }).data : undefined;
        // proto3 JSON leaves an empty list out: `{status: …}` without data is an empty portal.
        if (data !== undefined && !Array.isArray(data)) throw new ProviderError(`the answer to GET ${path} is not {data: [...]}: got ${shapeOf(page)}`);
        for (const item of (data ?? []) as unknown[]) {
          const id = (item as { id?: unknown } | null)?.id;
          if (typeof id !== 'string' && typeof id !== 'number') throw new ProviderError(`GET ${path} lists a catalog item without an id (${shapeOf(item)})`);
          items.push({ ...(item as object), id: String(id) } as ApigeeApiDoc);
        }
        const next = (page as { nextPageToken?: unknown }).nextPageToken;
        if (typeof next !== 'string' || next === '') return items;
        if (seenTokens.has(next) || pages >= MAX_LIST_PAGES) throw new ProviderError(`GET ${path} keeps answering more pages (pageToken ${next}); refusing to page further`);
        seenTokens.add(next);
        pageToken = next;
      }
    },
    async create(site, fields, confirm) {
      const answer = await http.request<unknown>('POST', itemsPath(site), { body: fields, confirm });
      const data = typeof answer === 'object' && answer !== null ? (answer as { data?: unknown }).data : undefined;
      const id = (data as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' || typeof id === 'number' ? ({ ...(data as object), id: String(id) } as ApigeeApiDoc) : undefined;
    },
    async replace(site, id, body) {
      await http.request<unknown>('PUT', itemPath(site, id), { body });
    },
    async remove(site, id) {
      try {
        await http.request<unknown>('DELETE', itemPath(site, id));
      } catch (error) {
        // Already gone (a lost answer's try, or removed by hand): what the change wanted.
        if (!(error instanceof ProviderError && error.status === 404)) throw error;
      }
    },
  };
}
