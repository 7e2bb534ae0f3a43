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
 *   keyAuthHeader, keyAuthQuery, keyAuthHideCredentials, basicAuthHideCredentials
 *                the methods' options, only where not the server default (auth-options.ts);
 *                one Git does not write is the desired object's `ignore`, kept at its live value
 *   labels       Git `labels` + `team` as label `team`; the ownership labels are not state
 *   services     [{gatewayGroup, service, hosts}] by name, sorted; hosts [] = every host
 *                (gateway only)                          ← `linked_gateway_services`
 *   serverUrls   (external only) ← `server_urls`, in order (the first is the portal's default),
 *                or the older single `server_url`
 *   openapi      (external only) `sha256:<hex>` of the spec text; the text itself travels in
 *                `attachments.openapi` and becomes `raw_openapi`
 * Server-filled and dashboard-only fields (id, timestamps, can_view_unsubscribed, raw_openapis,
 * tags, logo, anything unknown) never enter state, so editing them outside Git
 * never shows as a change; an update writes them back as read (request-body.ts). Ownership labels
 * (ownership.ts) are never state.
 */
import { createHash } from 'node:crypto';
import { isMarked, isMarkedProtected, isOwned, lastAppliedOf, markerOwner, withoutOwnership } from './ownership.ts';
import { desiredAuthOptions, liveAuthOptions, methodOf, type AuthOptionsState } from './auth-options.ts';
import type { ObjectState } from '../../model/plan.ts';
import type { AuthMethod, EffectiveProduct } from '../../model/product.ts';
import type { DesiredObject, LiveObject } from '../../model/objects.ts';
import {
  NAME_LABEL,
  type Api7Auth,
  type Api7DcrProvider,
  type Api7GatewayGroup,
  type Api7LinkedService,
  type Api7Product,
  type Api7Service,
} from './wire.ts';
import { sortedUnique } from '../sorted-unique.ts';

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

export type GatewayState = CommonState &
  AuthOptionsState & { type: 'gateway'; access: 'auto' | 'approval'; auth: string[]; services: ServiceLink[] };
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
export const KEY_AUTH = 'key-auth';
export const BASIC_AUTH = 'basic-auth';

/** `Payments API` → `payments-api`: the key of an unowned product, so a Git name colliding with it is seen. */
export function slugify(displayName: string): string {
  return displayName.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
}

export function specDigest(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}


function sortLinks(links: ServiceLink[]): ServiceLink[] {
  return links.sort((a, b) => a.gatewayGroup.localeCompare(b.gatewayGroup) || a.service.localeCompare(b.service));
}

// ── Git → state ─────────────────────────────────────────────────────────────────────────────

export function authToState(auth: readonly AuthMethod[]): string[] {
  return sortedUnique(
    auth.map((item) => {
      const method = methodOf(item);
      // Options are state of their own (auth-options.ts): the method list stays names only.
      return method === 'oauth' ? OAUTH_PREFIX + (item as { oauth: { dcrProvider: string } }).oauth.dcrProvider : method;
    }),
  );
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
    ...desiredAuthOptions(product.auth).options,
    services: bindingLinks(binding),
  };
}

export function toDesiredObject(product: EffectiveProduct, openapiText?: string): DesiredObject {
  const state = desiredState(product, openapiText);
  const keptOptions = desiredAuthOptions(product.auth).ignore;
  return {
    key: product.name,
    product: product.name,
    status: product.status,
    state: state as unknown as ObjectState,
    ...(state.type === 'external' ? { attachments: { openapi: openapiText ?? '' } } : {}),
    protected: product.protected,
    ...(product.binding.adopt === true ? { adopt: true } : {}),
    ...(typeof product.binding.adoptFrom === 'string' ? { adoptFrom: product.binding.adoptFrom } : {}),
    ...(state.type === 'gateway' && keptOptions.length > 0 ? { ignore: keptOptions } : {}),
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
    return { type: 'external', ...common, serverUrls: liveServerUrls(product), openapi: specDigest(liveOpenapiText(product)) };
  }
  return {
    type: 'gateway',
    ...common,
    access: product.subscription_auto_approval ? 'auto' : 'approval',
    auth: liveAuth(product.auth, directory),
    ...liveAuthOptions(product.auth),
    services: liveLinks(product.linked_gateway_services, directory),
  };
}

/** Older versions keep a single `server_url`; 3.9 reads both spellings (reference §3, Round 2). */
function liveServerUrls(product: Api7Product): string[] {
  if (product.server_urls !== undefined) return product.server_urls;
  const single = (product as { server_url?: unknown }).server_url;
  return typeof single === 'string' && single !== '' ? [single] : [];
}

function liveOpenapiText(product: Api7Product): string {
  return product.raw_openapi ?? (product as { raw_openapis?: string[] }).raw_openapis?.[0] ?? '';
}

/** `owner`: the configuration's `owner:`; a product marked for another owner is `managedBy` it. */
export function toLiveObject(product: Api7Product, directory: Api7Directory, owner?: string): LiveObject {
  const marked = isMarked(product);
  const owned = isOwned(product, owner);
  const name = product.labels?.[NAME_LABEL];
  return {
    key: marked && name ? name : slugify(product.name),
    owned,
    ...(marked && !owned ? { managedBy: markerOwner(product) ?? '' } : {}),
    ...(marked ? { product: name } : {}),
    ...(isMarkedProtected(product) ? { protected: true } : {}),
    status: product.status === 'published' ? 'published' : 'draft',
    state: liveState(product, directory) as unknown as ObjectState,
    // Kept so that a status-only change (unpublish) can write the live document back unchanged.
    ...(product.type === 'external' ? { attachments: { openapi: liveOpenapiText(product) } } : {}),
    ...(lastAppliedOf(product) ? { lastApplied: lastAppliedOf(product) } : {}),
    ref: { id: product.id },
    ...createdAtOf(product.created_at),
  };
}

/** `created_at` is integer Unix seconds (reference §1 "Timestamps"); anything else is no creation time. */
function createdAtOf(seconds: unknown): { createdAt?: string } {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? { createdAt: new Date(seconds * 1000).toISOString() } : {};
}
