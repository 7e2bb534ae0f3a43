/**
 * How many developer apps hold an API product: the consumers a delete breaks (X reference
 * `organizations.apiproducts.delete`: "Deleting an API product causes app requests to the resource
 * URIs defined in the API product to fail"). One list per product, never one per app.
 */
import { MAX_LIST_PAGES, shapeOf } from '../transport/paging.ts';
import { ProviderError } from '../transport/provider-error.ts';
import type { QueryValue } from '../transport/http.ts';
import type { ApigeeFlavour } from './wire.ts';

/** `GET /v1/organizations/{org}<path>`; rejects with the transport's ProviderError. */
export type OrgGet = (path: string, query: Record<string, QueryValue>) => Promise<unknown>;

/**
 * X `pageSize` is at most 1000, larger values coerced (cloud.google.com/apigee/docs/reference/apis/
 * apigee/rest/v1/organizations.apps/list); Edge's product app list is not documented as paged,
 * so an answer this long may be cut and is not taken as a count.
 */
const MOST_APPS_PER_ANSWER = 1000;

export async function countProductApps(flavour: ApigeeFlavour, product: string, get: OrgGet): Promise<number> {
  return flavour === 'x' ? countXApps(product, get) : countEdgeApps(product, get);
}

/**
 * X: `GET …/apps?apiProduct=NAME` (`organizations.apps.list`, reference "Round 2"), paged with
 * `pageSize`/`pageToken` → `{app: [{appId}], nextPageToken}`; `status` and `keyStatus` default to
 * approved, so revoked apps and keys, which call nothing, are not counted. proto3 JSON omits an
 * empty `app` list (`{}`).
 */
async function countXApps(product: string, get: OrgGet): Promise<number> {
  const ids = new Set<string>();
  let pageToken: string | undefined;
  for (let pages = 1; pages <= MAX_LIST_PAGES; pages++) {
    const answer = await get('/apps', { apiProduct: product, pageSize: MOST_APPS_PER_ANSWER, pageToken });
    const page = answer as { app?: unknown; nextPageToken?: unknown } | null;
    if (typeof page !== 'object' || page === null || Array.isArray(page) || (page.app !== undefined && !Array.isArray(page.app))) {
      throw new ProviderError(`the answer to GET …/apps?apiProduct=${product} is not {app: [...]}: got ${shapeOf(answer)}`);
    }
    for (const app of (page.app as unknown[] | undefined) ?? []) {
      const id = (app as { appId?: unknown } | null)?.appId;
      if (typeof id !== 'string') throw new ProviderError(`the answer to GET …/apps?apiProduct=${product} lists an app without an appId`);
      ids.add(id);
    }
    if (typeof page.nextPageToken !== 'string' || page.nextPageToken === '') return ids.size;
    if (page.nextPageToken === pageToken) throw new ProviderError(`GET …/apps?apiProduct=${product} answered the same pageToken again; refusing to loop`);
    pageToken = page.nextPageToken;
  }
  throw new ProviderError(`GET …/apps?apiProduct=${product} is still not done after ${MAX_LIST_PAGES} pages; refusing to page further`);
}

/**
 * Edge: `GET …/apiproducts/{name}?query=list&entity=apps` answers the ids of the apps holding the
 * product as a JSON array (as a public Apigee JavaScript callout reads it; reference "Round 2" names
 * the sibling `query=count`, whose answer's shape no source shows). Unconfirmed: whether revoked
 * apps are listed (then the count is high, the safe side) and whether the list is cut (an answer of
 * 1000 or more is refused as a count, never taken as one).
 */
async function countEdgeApps(product: string, get: OrgGet): Promise<number> {
  const answer = await get(`/apiproducts/${encodeURIComponent(product)}`, { query: 'list', entity: 'apps' });
  if (!Array.isArray(answer) || !answer.every((id) => typeof id === 'string')) {
    throw new ProviderError(`the answer to GET …/apiproducts/${product}?query=list&entity=apps is not a list of app ids: got ${shapeOf(answer)}`);
  }
  if (answer.length >= MOST_APPS_PER_ANSWER) throw new ProviderError(`at least ${answer.length} apps: Edge's list may be cut there, so the count is not known`);
  return new Set(answer).size;
}
