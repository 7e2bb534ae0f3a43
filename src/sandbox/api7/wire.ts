/**
 * The API7 Enterprise Admin API objects as the emulator serves them, written from the vendor
 * facts in shared/reference/api7-admin-api.md alone. They deliberately share nothing with
 * src/providers/api7/: a provider's misreading of the vendor must not also be the emulator's, or
 * no test could catch it. Line numbers below are the reference's.
 */

/** List envelope `{list, total}`, `total` the full count (§1 line 36). */
export interface Api7List<T> {
  list: T[];
  total: number;
}

/**
 * Creation and update times, integer Unix seconds (§1 line 51; products: §3 line 105). Optional
 * on the objects the emulator is only given (portals, groups, services): a list without them
 * sorts by id. Products always have them, as the emulator stamps every write.
 */
interface Timestamps {
  created_at?: number;
  updated_at?: number;
}

/**
 * A portal: found by `GET /api/portals?search=`, created with `{name, public_url | domain,
 * labels}` (§2 lines 81-82), so either address may be the one it has.
 */
export interface Api7Portal extends Timestamps {
  id: string;
  name: string;
  public_url?: string;
  domain?: string;
  labels?: Record<string, string>;
}

/**
 * A gateway group (§4 line 128). `enforce_service_publishing` and `config` exist on the server
 * but play no part in products, so the emulator's seed leaves them out.
 */
export interface Api7GatewayGroup extends Timestamps {
  id: string;
  name: string;
  description?: string;
  labels?: Record<string, string>;
  type: 'api7_gateway' | 'api7_ingress_controller';
  enforce_service_publishing?: boolean;
  config?: Record<string, unknown>;
}

/**
 * A published service of one gateway group (§4 line 134). `hosts` holds 1 to 32 entries
 * (line 135): the emulator checks a product's `linked_hosts` against them (line 137). The
 * runtime fields (`strip_path_prefix`, `upstream`, `plugins`) are not served. Timestamps follow
 * the general convention (§1 line 51).
 */
export interface Api7Service extends Timestamps {
  id: string;
  name: string;
  desc?: string;
  labels?: Record<string, string>;
  type: 'http' | 'stream';
  hosts: string[];
  path_prefix?: string;
}

/** A DCR provider, `{id, name, …}` (§4 line 139): only its id is ever referred to. */
export interface Api7DcrProvider {
  id: string;
  name: string;
}

/** §3 line 92. */
export type Api7ProductType = 'gateway' | 'external';
/** §3 line 93. */
export type Api7Visibility = 'public' | 'logged_in';
/** §3 line 94; `draft` is confirmed, and is the default, by Round 2 (lines 322-323). */
export type Api7Status = 'draft' | 'published';

/**
 * `auth`, keyed by method (§3 line 98): no other key is allowed and at least one must be there
 * (Round 2 line 326). Options per method: Round 2 lines 327-328.
 */
export interface Api7Auth {
  'key-auth'?: { header?: string; query?: string; hide_credentials?: boolean };
  'basic-auth'?: { hide_credentials?: boolean };
  dcr?: { dcr_provider_id: string };
}

/** One linked service (§3 line 99); no `linked_hosts` means every host of the service. */
export interface Api7LinkedService {
  gateway_group_id: string;
  service_id: string;
  linked_hosts?: string[];
}

/**
 * What a POST or PUT body may set (§3 lines 89-104, Round 2 lines 321-331); a PUT replaces all
 * of it. The server-owned fields (`id`, timestamps) and the read-side `tags` / `raw_openapis` are
 * not part of it.
 */
export interface Api7ProductBody {
  name: string;
  desc?: string;
  type: Api7ProductType;
  visibility?: Api7Visibility;
  status?: Api7Status;
  labels?: Record<string, string>;
  subscription_auto_approval?: boolean;
  can_view_unsubscribed?: boolean;
  logo?: string;
  auth?: Api7Auth;
  linked_gateway_services?: Api7LinkedService[];
  /** External products (§3 line 101). */
  raw_openapi?: string;
  /** External products (§3 line 102). */
  server_urls?: string[];
}

/**
 * A product as stored and returned. Fields a body carried that the emulator does not know are
 * stored next to these and returned as sent (product-body.ts), like a newer server would.
 */
export interface Api7Product extends Api7ProductBody {
  id: string;
  created_at: number;
  updated_at: number;
}
