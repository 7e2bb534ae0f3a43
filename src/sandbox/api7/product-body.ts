import type {
  Api7Auth,
  Api7LinkedService,
  Api7ProductBody,
  Api7ProductType,
  Api7Status,
  Api7Visibility,
} from '../../providers/api7/wire.ts';
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
  return value as Record<string, string>;
}

function parseAuth(value: unknown): Api7Auth | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badRequest('auth must be an object keyed by authentication method');
  const auth: Api7Auth = {};
  for (const [method, config] of Object.entries(value)) {
    if (!isObject(config)) throw badRequest(`auth.${method} must be an object`);
    if (method === 'key-auth') {
      const header = config.header;
      if (header !== undefined && typeof header !== 'string') throw badRequest('auth.key-auth.header must be a string');
      auth['key-auth'] = header === undefined ? {} : { header };
    } else if (method === 'basic-auth') {
      auth['basic-auth'] = {};
    } else if (method === 'dcr') {
      const providerId = config.dcr_provider_id;
      if (typeof providerId !== 'string' || providerId === '') {
        throw badRequest('auth.dcr.dcr_provider_id is required');
      }
      auth.dcr = { dcr_provider_id: providerId };
    } else {
      throw badRequest(`unknown authentication method "${method}" (expected key-auth, basic-auth or dcr)`);
    }
  }
  return auth;
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

function requireTypeSpecificFields(product: Api7ProductBody): void {
  if (product.type === 'gateway') return;
  if (!product.raw_openapi) throw badRequest('raw_openapi is required for external api products');
  if (!product.server_urls?.length) {
    throw badRequest('server_urls must list at least one URL for external api products');
  }
  // An empty object or list says nothing, so only a configured method or link is refused.
  if (product.auth && Object.keys(product.auth).length > 0) {
    throw badRequest('external api products do not support auth');
  }
  if (product.linked_gateway_services?.length) {
    throw badRequest('external api products cannot link gateway services');
  }
}

/**
 * The writable fields of a POST or PUT body, checked for shape only (what they refer to is
 * checked against the state by the caller). Absent `status` means draft. Absent `visibility`
 * means public: the real server has a default, but which one is unconfirmed (reference §3).
 */
export function parseProductBody(body: Json): Api7ProductBody {
  for (const field of Object.keys(body)) {
    if (!(WRITABLE_FIELDS as readonly string[]).includes(field) && !READ_ONLY_FIELDS.includes(field)) {
      throw badRequest(`unknown field "${field}"`);
    }
  }
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
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
    can_view_unsubscribed: optionalBoolean(body, 'can_view_unsubscribed'),
    auth: parseAuth(body.auth),
    linked_gateway_services: parseLinkedServices(body.linked_gateway_services),
    raw_openapi: optionalString(body, 'raw_openapi'),
    server_urls: body.server_urls === undefined ? undefined : stringArray(body.server_urls, 'server_urls'),
  };
  requireTypeSpecificFields(candidate);
  return withoutAbsentFields(candidate);
}
