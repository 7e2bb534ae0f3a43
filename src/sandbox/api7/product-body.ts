import type {
  Api7Auth,
  Api7LinkedService,
  Api7ProductBody,
  Api7ProductType,
  Api7Status,
  Api7Visibility,
} from './wire.ts';
import { badRequest } from './http.ts';

const WRITABLE_FIELDS = [
  'name',
  'desc',
  'type',
  'visibility',
  'status',
  'labels',
  'subscription_auto_approval',
  'can_view_unsubscribed',
  'logo',
  'auth',
  'linked_gateway_services',
  'raw_openapi',
  'server_urls',
] as const satisfies readonly (keyof Api7ProductBody)[];

/** Returned by the server; accepted in a body (clients echo what they read) but never applied. */
const READ_ONLY_FIELDS = ['id', 'created_at', 'updated_at'];

const PRODUCT_TYPES: readonly Api7ProductType[] = ['gateway', 'external'];
const VISIBILITIES: readonly Api7Visibility[] = ['public', 'logged_in'];
const STATUSES: readonly Api7Status[] = ['draft', 'published'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function oneOf<T extends string>(body: Json, field: string, allowed: readonly T[]): T | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw badRequest(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function optionalString(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value !== undefined && typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

function optionalBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value !== undefined && typeof value !== 'boolean') throw badRequest(`${field} must be a boolean`);
  return value;
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw badRequest(`${field} must be an array of strings`);
  }
  return value;
}

function parseLabels(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Object.values(value).every((label) => typeof label === 'string')) {
    throw badRequest('labels must map label names to strings');
  }
  // Label values must be non-empty (reference Round 2, [OAS]).
  const empty = Object.entries(value).find(([, label]) => label === '');
  if (empty) throw badRequest(`labels.${empty[0]} must not be empty`);
  return value as Record<string, string>;
}

const KEY_AUTH_OPTIONS: Record<string, 'string' | 'boolean'> = { header: 'string', query: 'string', hide_credentials: 'boolean' };
const BASIC_AUTH_OPTIONS: Record<string, 'string' | 'boolean'> = { hide_credentials: 'boolean' };

/** Options of one method, type-checked; stored as sent (absent options keep the server defaults). */
function authOptions(method: string, config: Json, options: Record<string, 'string' | 'boolean'>): Json {
  for (const [option, kind] of Object.entries(options)) {
    if (config[option] !== undefined && typeof config[option] !== kind) throw badRequest(`auth.${method}.${option} must be a ${kind}`);
  }
  return { ...config };
}

/**
 * `auth` has `additionalProperties: false` and `minProperties: 1` in the Admin API schema
 * (reference Round 2, [OAS]): an empty object is refused like the server's schema check does.
 */
function parseAuth(value: unknown): Api7Auth | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badRequest('auth must be an object keyed by authentication method');
  if (Object.keys(value).length === 0) {
    throw badRequest('invalid request body: auth: must have at least 1 property (minProperties: 1); omit auth when there is none');
  }
  const auth: Json = {};
  for (const [method, config] of Object.entries(value)) {
    if (!isObject(config)) throw badRequest(`auth.${method} must be an object`);
    if (method === 'key-auth') {
      auth[method] = authOptions(method, config, KEY_AUTH_OPTIONS);
    } else if (method === 'basic-auth') {
      auth[method] = authOptions(method, config, BASIC_AUTH_OPTIONS);
    } else if (method === 'dcr') {
      const providerId = config.dcr_provider_id;
      if (typeof providerId !== 'string' || providerId === '') {
        throw badRequest('auth.dcr.dcr_provider_id is required');
      }
      auth.dcr = { ...config };
    } else {
      throw badRequest(`unknown authentication method "${method}" (expected key-auth, basic-auth or dcr)`);
    }
  }
  return auth as Api7Auth;
}

function parseLinkedServices(value: unknown): Api7LinkedService[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw badRequest('linked_gateway_services must be an array');
  return value.map((link: unknown, index) => {
    const where = `linked_gateway_services[${index}]`;
    if (!isObject(link)) throw badRequest(`${where} must be an object`);
    const { gateway_group_id: groupId, service_id: serviceId, linked_hosts: hosts } = link;
    if (typeof groupId !== 'string' || groupId === '') throw badRequest(`${where}.gateway_group_id is required`);
    if (typeof serviceId !== 'string' || serviceId === '') throw badRequest(`${where}.service_id is required`);
    const parsed: Api7LinkedService = { gateway_group_id: groupId, service_id: serviceId };
    if (hosts !== undefined) parsed.linked_hosts = stringArray(hosts, `${where}.linked_hosts`);
    return parsed;
  });
}

/** Fields the body omitted must be absent from the stored product, not present as undefined. */
function withoutAbsentFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/**
 * Looser than the vendor in one known way: API7 requires `linked_gateway_services` with
 * `minItems: 1` on gateway products (reference Round 2 [OAS] 0.11.0; §3, CN), but the emulator
 * takes a gateway product with no link, which many fixtures (bulk paging portals) are made of.
 * Nothing apiproducts writes depends on that: its apply-lock records are external products.
 */
function requireTypeSpecificFields(product: Api7ProductBody): void {
  if (product.type === 'gateway') return;
  if (!product.raw_openapi) throw badRequest('raw_openapi is required for external api products');
  if (!product.server_urls?.length) {
    throw badRequest('server_urls must list at least one URL for external api products');
  }
  // An empty list says nothing, so only a configured link is refused (`auth: {}` is refused anyway).
  if (product.auth) {
    throw badRequest('external api products do not support auth');
  }
  if (product.linked_gateway_services?.length) {
    throw badRequest('external api products cannot link gateway services');
  }
}

/**
 * A POST or PUT body as the server stores it: the known writable fields checked for shape (what
 * they refer to is checked against the state by the caller), read-only fields dropped, and fields
 * the emulator does not know kept and returned as sent, like a server newer than this emulator.
 * A PUT replaces the whole product: what the body leaves out is gone or back at its default
 * (reference Round 2, [OAS]). Absent `status` means draft; absent `can_view_unsubscribed` means
 * true [OAS]. Absent `visibility` means public: the real server has a default, but which one is
 * unconfirmed (reference §3).
 */
export function parseProductBody(body: Json): Api7ProductBody & Json {
  const unknown: Json = {};
  for (const [field, value] of Object.entries(body)) {
    if (!(WRITABLE_FIELDS as readonly string[]).includes(field) && !READ_ONLY_FIELDS.includes(field)) unknown[field] = value;
  }
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
  // `name` has `maxLength: 100` (reference Round 2, [OAS]); JSON Schema counts code points.
  if ([...name].length > 100) throw badRequest('name must be at most 100 characters');
  const type = oneOf(body, 'type', PRODUCT_TYPES);
  if (!type) throw badRequest('type is required (gateway or external)');

  const candidate: Api7ProductBody = {
    name,
    desc: optionalString(body, 'desc'),
    type,
    visibility: oneOf(body, 'visibility', VISIBILITIES) ?? 'public',
    status: oneOf(body, 'status', STATUSES) ?? 'draft',
    labels: parseLabels(body.labels),
    subscription_auto_approval: optionalBoolean(body, 'subscription_auto_approval'),
    can_view_unsubscribed: optionalBoolean(body, 'can_view_unsubscribed') ?? true,
    logo: optionalString(body, 'logo'),
    auth: parseAuth(body.auth),
    linked_gateway_services: parseLinkedServices(body.linked_gateway_services),
    raw_openapi: optionalString(body, 'raw_openapi'),
    server_urls: body.server_urls === undefined ? undefined : stringArray(body.server_urls, 'server_urls'),
  };
  requireTypeSpecificFields(candidate);
  return { ...unknown, ...withoutAbsentFields(candidate) };
}
