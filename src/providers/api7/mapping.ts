/**
 * API7 products ↔ the normalised state plans compare. Pure: no I/O, the caller passes the OpenAPI
 * text and the id ↔ name directory it listed.
 *
 * Normalised state (neutral words, so that a plan reads the same for every provider):
 *   type         gateway | external                       ← `type`
 *   displayName  ← `name`;  description ← `desc` (absent = '')
 *   visibility   public | logged-in                       ← `public` | `logged_in`
 *   access       auto | approval   (gateway only)         ← `subscription_auto_approval`;
 *                Git `restricted` is `approval`: API7's invite-only is manual approval + logged-in
 *   auth         sorted: basic-auth, key-auth, oauth:<dcr provider name>  (gateway only) ← `auth`
 *   labels       Git `labels` + `team` as label `team`; the ownership labels are not state
 *   services     [{gatewayGroup, service, hosts}] by name, sorted; hosts [] = every host
 *                (gateway only)                          ← `linked_gateway_services`
 *   serverUrls   (external only) ← `server_urls`, in order (the first is the portal's default)
 *   openapi      (external only) `sha256:<hex>` of the spec text; the text itself travels in
 *                `attachments.openapi` and becomes `raw_openapi`
 * Server-filled and dashboard-only fields (id, timestamps, can_view_unsubscribed, raw_openapis,
 * tags, logo, key-auth options, anything unknown) never enter state, so editing them outside Git
 * never shows as a change; an update writes them back as read (toProductBody). Ownership labels
 * (ownership.ts) are never state.
 */
import { createHash } from 'node:crypto';
import { isOwned, lastAppliedOf, ownershipLabels, withoutOwnership } from './ownership.ts';
import type { ObjectAfter, ObjectState } from '../../model/plan.ts';
import type { AuthMethod, EffectiveProduct } from '../../model/product.ts';
import type { DesiredObject, LiveObject } from '../../model/objects.ts';
import { ProviderError } from '../transport/provider-error.ts';
import {
  NAME_LABEL,
  type Api7Auth,
  type Api7DcrProvider,
  type Api7GatewayGroup,
  type Api7LinkedService,
  type Api7Product,
  type Api7ProductBody,
  type Api7Service,
  READ_ONLY_PRODUCT_FIELDS,
} from './wire.ts';

export interface ServiceLink {
  gatewayGroup: string;
  service: string;
  hosts: string[];
}

/** Fields every product state has; the rest depends on `type`. */
interface CommonState {
  type: 'gateway' | 'external';
  displayName: string;
  description: string;
  visibility: 'public' | 'logged-in';
  labels: Record<string, string>;
}

export type GatewayState = CommonState & { type: 'gateway'; access: 'auto' | 'approval'; auth: string[]; services: ServiceLink[] };
export type ExternalState = CommonState & { type: 'external'; serverUrls: string[]; openapi: string };
export type Api7State = GatewayState | ExternalState;

/** Id ↔ name lookups for what products link to, built once from list calls. */
export interface Api7Directory {
  groups: readonly Api7GatewayGroup[];
  /** Services by gateway group id. */
  services: ReadonlyMap<string, readonly Api7Service[]>;
  dcrProviders: readonly Api7DcrProvider[];
  groupById: ReadonlyMap<string, Api7GatewayGroup>;
  groupByName: ReadonlyMap<string, Api7GatewayGroup>;
  /** Keyed `<group id>/<service id>` and `<group id>/<service name>`: names are unique per group only. */
  serviceById: ReadonlyMap<string, Api7Service>;
  serviceByName: ReadonlyMap<string, Api7Service>;
  dcrById: ReadonlyMap<string, Api7DcrProvider>;
  dcrByName: ReadonlyMap<string, Api7DcrProvider>;
}

/** First one wins on duplicate names, like a dashboard search would. */
function indexBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T> {
  const index = new Map<string, T>();
  for (const item of items) if (!index.has(keyOf(item))) index.set(keyOf(item), item);
  return index;
}

export function createDirectory(
  groups: readonly Api7GatewayGroup[],
  services: ReadonlyMap<string, readonly Api7Service[]>,
  dcrProviders: readonly Api7DcrProvider[],
): Api7Directory {
  const scoped = [...services].flatMap(([groupId, list]) => list.map((service) => ({ groupId, service })));
  const scopedIndex = (keyOf: (s: (typeof scoped)[number]) => string): Map<string, Api7Service> =>
    new Map([...indexBy(scoped, keyOf)].map(([key, entry]) => [key, entry.service]));
  return {
    groups,
    services,
    dcrProviders,
    groupById: indexBy(groups, (g) => g.id),
    groupByName: indexBy(groups, (g) => g.name),
    serviceById: scopedIndex((s) => `${s.groupId}/${s.service.id}`),
    serviceByName: scopedIndex((s) => `${s.groupId}/${s.service.name}`),
    dcrById: indexBy(dcrProviders, (p) => p.id),
    dcrByName: indexBy(dcrProviders, (p) => p.name),
  };
}

export function findGroup(directory: Api7Directory, name: string): Api7GatewayGroup | undefined {
  return directory.groupByName.get(name);
}

export function findService(directory: Api7Directory, groupId: string, name: string): Api7Service | undefined {
  return directory.serviceByName.get(`${groupId}/${name}`);
}

/** The prefix of an OAuth auth entry in state: `oauth:<dcr provider name>`. */
export const OAUTH_PREFIX = 'oauth:';
const KEY_AUTH = 'key-auth';
const BASIC_AUTH = 'basic-auth';

/** `Payments API` → `payments-api`: the key of an unowned product, so a Git name colliding with it is seen. */
export function slugify(displayName: string): string {
  return displayName.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

export function specDigest(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function sortLinks(links: ServiceLink[]): ServiceLink[] {
  return links.sort((a, b) => a.gatewayGroup.localeCompare(b.gatewayGroup) || a.service.localeCompare(b.service));
}

// ── Git → state ─────────────────────────────────────────────────────────────────────────────

export function authToState(auth: readonly AuthMethod[]): string[] {
  return sortedUnique(auth.map((method) => (typeof method === 'string' ? method : OAUTH_PREFIX + method.oauth.dcrProvider)));
}

function bindingLinks(binding: Record<string, unknown>): ServiceLink[] {
  const entries = Array.isArray(binding.services) ? (binding.services as Record<string, unknown>[]) : [];
  return sortLinks(
    entries.map((entry) => ({
      gatewayGroup: String(entry.gatewayGroup),
      service: String(entry.service),
      hosts: sortedUnique(Array.isArray(entry.hosts) ? entry.hosts.map(String) : []),
    })),
  );
}

/**
 * The state a product must have on an API7 target. `openapiText` is the external product's spec
 * as read from disk (validation has already reported a missing or unparsable file).
 */
export function desiredState(product: EffectiveProduct, openapiText = ''): Api7State {
  const binding = product.binding;
  const common = {
    displayName: product.displayName,
    description: product.description,
    visibility: product.visibility === 'logged-in' ? 'logged-in' : 'public',
    labels: { ...withoutOwnership(product.labels), ...(product.team ? { team: product.team } : {}) },
  } as const;
  if (binding.type === 'external') {
    const serverUrls = Array.isArray(binding.serverUrls) ? binding.serverUrls.map(String) : [];
    return { type: 'external', ...common, serverUrls, openapi: specDigest(openapiText) };
  }
  return {
    type: 'gateway',
    ...common,
    access: product.access === 'auto' ? 'auto' : 'approval',
    auth: authToState(product.auth),
    services: bindingLinks(binding),
  };
}

export function toDesiredObject(product: EffectiveProduct, openapiText?: string): DesiredObject {
  const state = desiredState(product, openapiText);
  return {
    key: product.name,
    product: product.name,
    status: product.status,
    state: state as unknown as ObjectState,
    ...(state.type === 'external' ? { attachments: { openapi: openapiText ?? '' } } : {}),
    protected: product.protected,
    ...(product.binding.adopt === true ? { adopt: true } : {}),
    locate: () => product.source.locate(['targets', product.target]),
  };
}

// ── live → state ────────────────────────────────────────────────────────────────────────────

/** Ids the directory does not know stay visible as `#<id>`, so the plan shows them as a difference. */
const unknownId = (id: string): string => `#${id}`;

function liveAuth(auth: Api7Auth | undefined, directory: Api7Directory): string[] {
  const names: string[] = [];
  if (auth?.[KEY_AUTH]) names.push(KEY_AUTH);
  if (auth?.[BASIC_AUTH]) names.push(BASIC_AUTH);
  if (auth?.dcr) {
    const id = auth.dcr.dcr_provider_id;
    names.push(OAUTH_PREFIX + (directory.dcrById.get(id)?.name ?? unknownId(id)));
  }
  return sortedUnique(names);
}

function liveLinks(links: Api7LinkedService[] | undefined, directory: Api7Directory): ServiceLink[] {
  return sortLinks(
    (links ?? []).map((link) => ({
      gatewayGroup: directory.groupById.get(link.gateway_group_id)?.name ?? unknownId(link.gateway_group_id),
      service: directory.serviceById.get(`${link.gateway_group_id}/${link.service_id}`)?.name ?? unknownId(link.service_id),
      hosts: sortedUnique(link.linked_hosts ?? []),
    })),
  );
}

/** Missing fields take the server's documented defaults: draft, no auto-approval, public. */
export function liveState(product: Api7Product, directory: Api7Directory): Api7State {
  const common = {
    displayName: product.name,
    description: product.desc ?? '',
    visibility: product.visibility === 'logged_in' ? 'logged-in' : 'public',
    labels: withoutOwnership(product.labels),
  } as const;
  if (product.type === 'external') {
    return { type: 'external', ...common, serverUrls: product.server_urls ?? [], openapi: specDigest(liveOpenapiText(product)) };
  }
  return {
    type: 'gateway',
    ...common,
    access: product.subscription_auto_approval ? 'auto' : 'approval',
    auth: liveAuth(product.auth, directory),
    services: liveLinks(product.linked_gateway_services, directory),
  };
}

function liveOpenapiText(product: Api7Product): string {
  return product.raw_openapi ?? (product as { raw_openapis?: string[] }).raw_openapis?.[0] ?? '';
}

export function toLiveObject(product: Api7Product, directory: Api7Directory): LiveObject {
  const owned = isOwned(product);
  const name = product.labels?.[NAME_LABEL];
  return {
    key: owned && name ? name : slugify(product.name),
    owned,
    ...(owned ? { product: name } : {}),
    status: product.status === 'published' ? 'published' : 'draft',
    state: liveState(product, directory) as unknown as ObjectState,
    // Kept so that a status-only change (unpublish) can write the live document back unchanged.
    ...(product.type === 'external' ? { attachments: { openapi: liveOpenapiText(product) } } : {}),
    ...(lastAppliedOf(product) ? { lastApplied: lastAppliedOf(product) } : {}),
    ref: { id: product.id },
  };
}

// ── state → request body ────────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The `auth` object for the methods Git lists. A method the live product already has keeps its
 * live options (key-auth `header`, `query`, `hide_credentials`; basic-auth `hide_credentials`):
 * Git not naming an option is not Git asking for the default. Methods this tool does not know stay
 * as they are. Undefined when nothing is left: the server refuses `auth: {}` (reference Round 2).
 */
function authBody(auth: readonly string[], directory: Api7Directory, live?: Json): Api7Auth | undefined {
  const body: Json = {};
  for (const [method, config] of Object.entries(live ?? {})) {
    if (method !== KEY_AUTH && method !== BASIC_AUTH && method !== 'dcr') body[method] = copy(config);
  }
  const liveConfig = (method: string): Json => (isObject(live?.[method]) ? copy(live[method] as Json) : {});
  for (const method of auth) {
    if (method === KEY_AUTH) body[KEY_AUTH] = liveConfig(KEY_AUTH);
    else if (method === BASIC_AUTH) body[BASIC_AUTH] = liveConfig(BASIC_AUTH);
    else if (method.startsWith(OAUTH_PREFIX)) {
      const name = method.slice(OAUTH_PREFIX.length);
      const provider = directory.dcrByName.get(name);
      if (!provider) throw new ProviderError(`DCR provider "${name}" does not exist on the target`);
      body.dcr = { ...liveConfig('dcr'), dcr_provider_id: provider.id };
    } else throw new ProviderError(`auth method "${method}" is not supported by API7`);
  }
  return Object.keys(body).length > 0 ? (body as Api7Auth) : undefined;
}

/** Links by id; a link the live product already has keeps its other fields. */
function linksBody(links: readonly ServiceLink[], directory: Api7Directory, live?: unknown): Api7LinkedService[] {
  const liveLinks = Array.isArray(live) ? live.filter(isObject) : [];
  return links.map((link) => {
    const group = findGroup(directory, link.gatewayGroup);
    if (!group) throw new ProviderError(`gateway group "${link.gatewayGroup}" does not exist on the target`);
    const service = findService(directory, group.id, link.service);
    if (!service) throw new ProviderError(`service "${link.service}" does not exist in gateway group "${link.gatewayGroup}"`);
    const existing = liveLinks.find((candidate) => candidate.gateway_group_id === group.id && candidate.service_id === service.id);
    const body: Json = { ...(existing ? copy(existing) : {}), gateway_group_id: group.id, service_id: service.id };
    if (link.hosts.length > 0) body.linked_hosts = [...link.hosts];
    else delete body.linked_hosts;
    return body as unknown as Api7LinkedService;
  });
}

/**
 * The POST/PUT body for a product as it must be after a change: ownership labels re-attached,
 * names turned into ids, the spec text from the plan's attachment. Throws ProviderError when a
 * name is unknown (preflight reports those before apply).
 *
 * With `live` (an update), the body is the live product as read, minus the fields the server owns,
 * with only the fields Git describes replaced: `PUT /api/api_products/{id}` replaces the whole
 * product and resets what the body leaves out (reference Round 2, [OAS]), so everything else —
 * `logo`, `can_view_unsubscribed`, auth options, fields a later version adds — goes back as it
 * came. (The JSON Patch PATCH the same notes confirm is not used: the one retry layer resends a
 * PUT after a lost answer, but not a PATCH, uncertain-writes.ts.)
 */
export function toProductBody(after: ObjectAfter, productName: string, directory: Api7Directory, live?: Api7Product): Api7ProductBody {
  const state = after.state as unknown as Api7State;
  const base: Json = live ? copy(live as unknown as Json) : {};
  for (const field of READ_ONLY_PRODUCT_FIELDS) delete base[field];
  const body = base as unknown as Api7ProductBody;
  Object.assign(body, {
    name: state.displayName,
    desc: state.description,
    type: state.type,
    visibility: state.visibility === 'logged-in' ? 'logged_in' : 'public',
    status: after.status,
    labels: { ...state.labels, ...ownershipLabels(productName, after) },
  });
  if (state.type === 'external') {
    const text = after.attachments?.openapi;
    if (text === undefined) throw new ProviderError('the plan carries no OpenAPI document for this external product');
    body.raw_openapi = text;
    body.server_urls = [...state.serverUrls];
    // The older single-URL spelling of the same field (reference §3): Git's list replaces it.
    delete (base as Json).server_url;
    delete body.auth;
    delete body.linked_gateway_services;
    delete body.subscription_auto_approval;
    return body;
  }
  body.subscription_auto_approval = state.access === 'auto';
  const auth = authBody(state.auth, directory, isObject(base.auth) ? base.auth : undefined);
  if (auth) body.auth = auth;
  else delete body.auth;
  body.linked_gateway_services = linksBody(state.services, directory, base.linked_gateway_services);
  if (live?.type === 'external') {
    delete body.raw_openapi;
    delete body.server_urls;
  }
  return body;
}
