/**
 * Developers and their apps: who holds an API product. An app's credentials (API keys) list the
 * products they may call (Edge docs "List developer apps expanded": `credentials[].apiProducts[]
 * {apiproduct, status}`; X `organizations.apps`). Sources for the reads served here:
 * - X `GET /v1/organizations/{org}/apps?apiProduct=NAME` (`organizations.apps.list`, reference
 *   "Round 2"): app ids `{app: [{appId}], nextPageToken}`; `status` and `keyStatus` default to
 *   `approved`; `pageSize` at most 1000, larger coerced to 1000 (cloud.google.com
 *   …/organizations.apps/list). proto3 JSON: an empty answer is `{}`.
 * - Edge `GET /v1/organizations/{org}/apiproducts/{name}?query=list&entity=apps`: a JSON array of
 *   the ids of the apps holding the product (a public Apigee JavaScript callout reads it as an
 *   array of app ids). Whether and how Edge pages it is unconfirmed: the emulator answers at most
 *   1000, silently, the direction that exposes a client trusting a cut list.
 * - Edge `GET …/apps` lists every app id in the org (docs: "List apps in an organization"); it has
 *   no documented `apiProduct` filter, so the emulator ignores one, and a client counting with it
 *   on Edge over-counts visibly.
 * - `GET …/developers`: Edge an array of emails, X `{developer: [{email, developerId, …}]}`.
 */
import { invalid, type ApigeeCall, type ApigeeReply } from './http.ts';
import type { ApigeeFlavour, ApigeeState } from './state.ts';

export type ApigeeKeyStatus = 'approved' | 'revoked';

export interface ApigeeDeveloper {
  developerId: string;
  email: string;
  firstName: string;
  lastName: string;
  userName: string;
  status: 'active' | 'inactive';
  createdAt: number;
  lastModifiedAt: number;
}

export interface ApigeeCredential {
  consumerKey: string;
  status: ApigeeKeyStatus;
  apiProducts: { apiproduct: string; status: 'approved' | 'pending' | 'revoked' }[];
}

export interface ApigeeDeveloperApp {
  appId: string;
  name: string;
  developerId: string;
  status: ApigeeKeyStatus;
  credentials: ApigeeCredential[];
  createdAt: number;
  lastModifiedAt: number;
}

/** The most ids one answer holds (X: `pageSize` at most 1000; Edge: the emulator's own cut). */
export const MAX_APP_IDS = 1000;

/** State files written before developers and apps existed hold none. */
const appsOf = (state: ApigeeState): ApigeeDeveloperApp[] => state.apps ?? [];

const holds = (app: ApigeeDeveloperApp, product: string, keyStatus?: ApigeeKeyStatus): boolean =>
  app.credentials.some((key) => (!keyStatus || key.status === keyStatus) && key.apiProducts.some((entry) => entry.apiproduct === product));

/** Edge: the ids of every app with a key listing the product, whatever its status, at most 1000. */
export function productAppIds(state: ApigeeState, product: string): string[] {
  return appsOf(state).filter((app) => holds(app, product)).map((app) => app.appId).sort().slice(0, MAX_APP_IDS);
}

function oneOf<T extends string>(call: ApigeeCall, name: string, allowed: readonly T[], fallback: T): T {
  const raw = call.query.get(name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw invalid(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** `GET …/apps`: X filters by `apiProduct` and pages by `pageSize`/`pageToken`; Edge lists every app id. */
export function listOrgApps(call: ApigeeCall): ApigeeReply {
  const status = oneOf(call, 'status', ['approved', 'revoked'] as const, 'approved');
  const apps = appsOf(call.state).filter((app) => app.status === status).sort((a, b) => (a.appId < b.appId ? -1 : 1));
  if (call.flavour === 'edge') return { body: apps.map((app) => app.appId) };
  const product = call.query.get('apiProduct');
  const keyStatus = oneOf(call, 'keyStatus', ['approved', 'revoked'] as const, 'approved');
  const matching = product === null ? apps : apps.filter((app) => holds(app, product, keyStatus));
  const rawSize = call.query.get('pageSize');
  const size = rawSize === null ? MAX_APP_IDS : Number(rawSize);
  if (!Number.isSafeInteger(size) || size < 1) throw invalid(`pageSize must be a positive integer, got "${rawSize}"`);
  // The token is opaque to clients; here it is the index of the first app of the page.
  const token = call.query.get('pageToken');
  const start = token === null || token === '' ? 0 : Number(token);
  if (!Number.isSafeInteger(start) || start < 0 || start > matching.length) throw invalid(`invalid pageToken "${token}"`);
  const end = start + Math.min(size, MAX_APP_IDS);
  const page = matching.slice(start, end).map((app) => ({ appId: app.appId }));
  return { body: { ...(page.length ? { app: page } : {}), ...(end < matching.length ? { nextPageToken: String(end) } : {}) } };
}

export function listDevelopers(call: ApigeeCall): ApigeeReply {
  const developers = [...(call.state.developers ?? [])].sort((a, b) => (a.email < b.email ? -1 : 1));
  if (call.flavour === 'edge') return { body: developers.map((developer) => developer.email) };
  return { body: developers.length ? { developer: developers.map((d) => ({ email: d.email, developerId: d.developerId, firstName: d.firstName, lastName: d.lastName, userName: d.userName, status: d.status })) } : {} };
}

/**
 * Two partner developers and their apps: `orders` is held by three apps, `legacy-billing-product`
 * by two (one app holds both), and on X `loyalty-console` by one.
 */
export function seedDevelopers(org: string, flavour: ApigeeFlavour, at: number): Pick<ApigeeState, 'developers' | 'apps'> {
  const developer = (id: string, first: string, last: string, offset: number): ApigeeDeveloper => ({
    developerId: `dev-${id}`,
    email: `${id}@partner.example.com`,
    firstName: first,
    lastName: last,
    userName: id,
    status: 'active',
    createdAt: at + offset,
    lastModifiedAt: at + offset,
  });
  const app = (name: string, developerId: string, products: string[], offset: number): ApigeeDeveloperApp => ({
    appId: `app-${name}`,
    name,
    developerId,
    status: 'approved',
    credentials: [{ consumerKey: `key-${org}-${name}`, status: 'approved', apiProducts: products.map((apiproduct) => ({ apiproduct, status: 'approved' })) }],
    createdAt: at + offset,
    lastModifiedAt: at + offset,
  });
  const developers = [developer('ana', 'Ana', 'Silva', 0), developer('raj', 'Raj', 'Patel', 1)];
  const apps = [
    app('shop-frontend', 'dev-ana', ['orders'], 2),
    app('warehouse-sync', 'dev-ana', ['orders', 'legacy-billing-product'], 3),
    app('mobile-checkout', 'dev-raj', ['orders'], 4),
    app('finance-export', 'dev-raj', ['legacy-billing-product'], 5),
  ];
  if (flavour === 'x') apps.push(app('loyalty-widget', 'dev-raj', ['loyalty-console'], 6));
  return { developers, apps };
}
