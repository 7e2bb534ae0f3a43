/**
 * API7 Enterprise Admin API shapes, as far as apiproducts uses them. Sources are in
 * shared/reference/api7-admin-api.md (§1–§4). The sandbox emulator has its own reading of the same
 * facts (src/sandbox/api7/wire.ts) and shares no code with this file.
 *
 * Routes (all JSON; `X-API-KEY` header required; control plane root `https://host:7443`):
 *   GET    /api/version                                   → {value: "3.9.x"}
 *   GET    /api/portals?search=&page=&page_size=          → {list: Api7Portal[], total}
 *   GET    /api/gateway_groups?page=&page_size=           → {list: Api7GatewayGroup[], total}
 *   GET    /apisix/admin/services?gateway_group_id=&page=&page_size= → {list: Api7Service[], total}
 *   GET    /api/dcr_providers?page=&page_size=            → {list: Api7DcrProvider[], total}
 *   GET    /api/api_products?portal_id=&page=&page_size=  → {list: Api7Product[], total}
 *   POST   /api/api_products?portal_id=                   → 200 {value: Api7Product}
 *   GET    /api/api_products/{id}?portal_id=              → 200 {value: Api7Product}
 *   PUT    /api/api_products/{id}?portal_id=              → 200 {value: Api7Product} (full replace)
 *   DELETE /api/api_products/{id}?portal_id=              → 200 {}
 * Errors: non-2xx with {error_msg} (Admin API) or {message} (portal API); read `error_msg ?? message`.
 * Status changes (publish / unpublish) are a PUT with a new `status` (reference §2: inferred).
 */

import { MARKER_KEYS, OWNER_VALUE } from '../ownership-marker.ts';

export interface Api7Item<T> {
  value: T;
}

export interface Api7List<T> {
  list: T[];
  total: number;
}

export interface Api7ErrorBody {
  error_msg?: string;
  message?: string;
}

export interface Api7Portal {
  id: string;
  name: string;
  public_url?: string;
  created_at?: number;
  updated_at?: number;
}

export interface Api7GatewayGroup {
  id: string;
  name: string;
  description?: string;
  labels?: Record<string, string>;
  type?: 'api7_gateway' | 'api7_ingress_controller';
  created_at?: number;
  updated_at?: number;
}

export interface Api7Service {
  id: string;
  name: string;
  desc?: string;
  labels?: Record<string, string>;
  type?: 'http' | 'stream';
  hosts?: string[];
  path_prefix?: string;
  created_at?: number;
  updated_at?: number;
}

export interface Api7DcrProvider {
  id: string;
  name: string;
}

/**
 * `additionalProperties: false, minProperties: 1`: send no `auth` rather than `{}` (reference
 * Round 2, [OAS]). key-auth options default to `apikey` / `apikey` / false on the server.
 */
export type Api7Auth = {
  'key-auth'?: { header?: string; query?: string; hide_credentials?: boolean };
  'basic-auth'?: { hide_credentials?: boolean };
  dcr?: { dcr_provider_id: string };
};

export interface Api7LinkedService {
  gateway_group_id: string;
  service_id: string;
  /** Omitted = every host of the service. */
  linked_hosts?: string[];
}

export type Api7ProductType = 'gateway' | 'external';
export type Api7Visibility = 'public' | 'logged_in';
export type Api7Status = 'draft' | 'published';

/** The writable fields of an API product (POST and PUT bodies). */
export interface Api7ProductBody {
  name: string;
  desc?: string;
  type: Api7ProductType;
  visibility?: Api7Visibility;
  status?: Api7Status;
  labels?: Record<string, string>;
  subscription_auto_approval?: boolean;
  /** Server default `true`; a full PUT without it resets it (reference Round 2, [OAS]). Not modelled. */
  can_view_unsubscribed?: boolean;
  /** Set in the dashboard; a full PUT without it drops it (reference Round 2, [OAS]). Not modelled. */
  logo?: string;
  auth?: Api7Auth;
  linked_gateway_services?: Api7LinkedService[];
  /** External products: the OpenAPI document, YAML or JSON text. */
  raw_openapi?: string;
  server_urls?: string[];
}

/**
 * An API product as the server returns it. The parsed JSON keeps every field the server sent,
 * including ones this file does not name; an update writes those back untouched (mapping.ts).
 */
export interface Api7Product extends Api7ProductBody {
  id: string;
  created_at: number;
  updated_at: number;
}

/**
 * Fields the server owns: never sent back in a PUT body. `id` and the timestamps (reference §3,
 * §1 "Timestamps"); `raw_openapis` and `tags` are read-side, derived fields (reference §3).
 */
export const READ_ONLY_PRODUCT_FIELDS: readonly string[] = ['id', 'created_at', 'updated_at', 'raw_openapis', 'tags'];

/** Labels that mark a product as managed by apiproducts (DESIGN §5, ../ownership-marker.ts). */
export const OWNER_LABEL = MARKER_KEYS.owner;
export { OWNER_VALUE };
export const NAME_LABEL = MARKER_KEYS.name;

/**
 * Apply-lock records (locks.ts) are API products whose name starts with this prefix. The name is
 * the one field every product keeps as sent (reference §3, C), so it, not a label, says what a
 * lock record is: whether API7 keeps `labels` on external products is unconfirmed (Round 2).
 */
export const LOCK_NAME_PREFIX = 'apiproducts.lock.';
/** Also written on every lock record, for a human in the dashboard; read only as a second sign. */
export const LOCK_LABEL = 'apiproducts-lock';
export const LOCK_LABEL_VALUE = 'v1';
