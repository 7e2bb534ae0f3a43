/**
 * Apigee management API shapes, as far as apiproducts uses them, for both flavours. Sources are in
 * shared/reference/apigee-management-api.md (§1–§6); the sandbox emulator serves exactly these.
 *
 * Routes (all JSON, under the management root `url`; Edge `https://api.enterprise.apigee.com`,
 * X `https://apigee.googleapis.com`):
 *   GET    /v1/organizations/{org}/apiproducts?expand=true&count=1000[&startKey=<name>]
 *          [&attributename=<a>&attributevalue=<v>] (lock records only, locks.ts)
 *          → {apiProduct: ApigeeProduct[]}; X may answer `{}` for an empty org. startKey is
 *            inclusive: a follow-up page starts with the item it names (§3).
 *   POST   /v1/organizations/{org}/apiproducts           → 201 (Edge) / 2xx (X) stored product; 409 if the name exists
 *   PUT    /v1/organizations/{org}/apiproducts/{name}    → 200 stored product; a FULL replace (§4)
 *   DELETE /v1/organizations/{org}/apiproducts/{name}    → 200 deleted product
 *   POST   /v1/organizations/{org}/apiproducts/{name}:move?space=<s>  {space} → the moved product
 *          (X only, Apigee Spaces; spaces.ts)
 *   POST   /v1/organizations/{org}/apiproducts/{name}/attributes/{attr}  {name, value} → the
 *          attribute; sets one value (§1; X `updateApiProductAttribute`), used to renew a lock
 *   GET    /v1/organizations/{org}/apis                  → Edge `["proxy", …]`; X `{proxies: [{name}, …]}`
 *   GET    /v1/organizations/{org}/environments          → `["test", "prod"]` on both
 * Auth: Edge `Authorization: Basic` or `Bearer`; X `Bearer` only (§6).
 * Errors: Edge `{code, message, contexts}` (or a gateway `{fault: {faultstring}}`); X the Google
 * envelope `{error: {code, message, status}}` (§5).
 */

import { MARKER_KEYS, OWNER_VALUE } from '../ownership-marker.ts';

export type ApigeeFlavour = 'edge' | 'x';
export const FLAVOURS: readonly ApigeeFlavour[] = ['edge', 'x'];

export interface ApigeeAttribute {
  name: string;
  value: string;
}

/** The units a product quota counts in (reference §2): nothing finer than a minute. */
export type QuotaTimeUnit = 'minute' | 'hour' | 'day' | 'month';

/** The writable fields of an API product: the complete POST and PUT body. */
export interface ApigeeProductBody {
  name: string;
  displayName: string;
  description?: string;
  approvalType: 'auto' | 'manual';
  attributes: ApigeeAttribute[];
  apiResources: string[];
  environments: string[];
  proxies: string[];
  scopes: string[];
  /** Strings on both flavours ("10000"), sent only as a complete triple. */
  quota?: string;
  quotaInterval?: string;
  quotaTimeUnit?: string;
  /** X only: sent when the binding lists `operations:` (operations.ts). */
  operationGroup?: Record<string, unknown>;
  /** X only: sent when state has one (Git's, or the live one Git leaves alone). */
  quotaCounterScope?: string;
  /** X only: from state's graphqlOperations / grpcOperations (api-operations.ts). */
  graphqlOperationGroup?: Record<string, unknown>;
  grpcOperationGroup?: Record<string, unknown>;
  /** X only: the Apigee Space (reference "Round 2"); changed only by :move (spaces.ts). */
  space?: string;
}

/**
 * An API product as the server returns it. Everything is optional because X omits empty fields,
 * and quota fields may come back as numbers from older servers.
 */
export interface ApigeeProduct {
  name: string;
  displayName?: string;
  description?: string;
  approvalType?: string;
  attributes?: ApigeeAttribute[];
  apiResources?: string[];
  environments?: string[];
  proxies?: string[];
  scopes?: string[];
  quota?: string | number;
  quotaInterval?: string | number;
  quotaTimeUnit?: string;
  /** Read-only: Edge numbers, X strings (int64 ms epoch). Never state, never sent. */
  createdAt?: number | string;
  lastModifiedAt?: number | string;
  createdBy?: string;
  lastModifiedBy?: string;
  /**
   * X fields apiproducts does not replace (reference "Round 2"): `operationGroup` (merged),
   * `quotaCounterScope` (state's when it has one), `graphqlOperationGroup`/`grpcOperationGroup` (merged, api-operations.ts), `space`, `llm*`, and any
   * field a newer server adds. An update sends them back exactly as read (request-body.ts mergeProductBody).
   */
  [field: string]: unknown;
}

/** Response-only fields (reference §2: createdAt/lastModifiedAt read-only, createdBy/lastModifiedBy Edge-only read-only). */
export const READ_ONLY_FIELDS: readonly string[] = ['createdAt', 'lastModifiedAt', 'createdBy', 'lastModifiedBy'];

/** The fields a Git product describes: an update replaces these and only these (request-body.ts mergeProductBody). */
export const MANAGED_FIELDS: readonly string[] = [
  'name', 'displayName', 'description', 'approvalType', 'attributes',
  'apiResources', 'environments', 'proxies', 'scopes', 'quota', 'quotaInterval', 'quotaTimeUnit',
];
// `operationGroup` is managed too, but merged into the live one, not replaced (operations.ts).

export interface ApigeeProductList {
  apiProduct?: ApigeeProduct[];
}

/** Edge's list of proxies is an array of names; X wraps objects in `proxies`. */
export type ApigeeProxyList = string[] | { proxies?: { name: string }[] };
export type ApigeeEnvironmentList = string[];

export interface EdgeErrorBody {
  code?: string;
  message?: string;
  fault?: { faultstring?: string };
}

export interface XErrorBody {
  error?: { code?: number; message?: string; status?: string };
}

/** The largest page the list serves (§3): fewer requests for big orgs. */
export const PAGE_SIZE = 1000;

/** Attributes that mark a product as managed by apiproducts (DESIGN §5, ../ownership-marker.ts; all of them in ownership.ts). */
export const OWNER_ATTRIBUTE = MARKER_KEYS.owner;
export { OWNER_VALUE };
export const NAME_ATTRIBUTE = MARKER_KEYS.name;
/** Portal listing (§2.1): public, private or internal; a missing one is public. */
export const ACCESS_ATTRIBUTE = 'access';
export const TEAM_ATTRIBUTE = 'team';
/** Apigee refuses more attributes than this on a product (§2). */
export const MAX_ATTRIBUTES = 18;
