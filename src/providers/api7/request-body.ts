/**
 * The POST/PUT body of an API7 product (state → request body), the reverse of mapping.ts's
 * live → state: names turned into ids, the ownership labels re-attached, and on an update the
 * live product merged under what Git describes.
 */
import type { ObjectAfter } from '../../model/plan.ts';
import { ProviderError } from '../transport/provider-error.ts';
import { BASIC_AUTH, findGroup, findService, KEY_AUTH, OAUTH_PREFIX, type Api7Directory, type Api7State, type ServiceLink } from './mapping.ts';
import { ownershipLabels } from './ownership.ts';
import { PLAIN_MARKER, type MarkerOptions } from '../../model/objects.ts';
import { authConfigBody, type AuthOptionsState } from './auth-options.ts';
import { READ_ONLY_PRODUCT_FIELDS, type Api7Auth, type Api7LinkedService, type Api7Product, type Api7ProductBody } from './wire.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The `auth` object for the methods Git lists. key-auth and basic-auth options come from state:
 * an option Git does not write already holds its live value there (the planner's `ignore`), so
 * Git not naming an option is not Git asking for the default. Other keys of a live method and
 * methods this tool does not know stay as they are. Undefined when nothing is left: the server
 * refuses `auth: {}` (reference Round 2).
 */
function authBody(auth: readonly string[], options: AuthOptionsState, directory: Api7Directory, live?: Json): Api7Auth | undefined {
  const body: Json = {};
  for (const [method, config] of Object.entries(live ?? {})) {
    if (method !== KEY_AUTH && method !== BASIC_AUTH && method !== 'dcr') body[method] = copy(config);
  }
  const liveConfig = (method: string): Json => (isObject(live?.[method]) ? copy(live[method] as Json) : {});
  for (const method of auth) {
    if (method === KEY_AUTH) body[KEY_AUTH] = authConfigBody(KEY_AUTH, options, liveConfig(KEY_AUTH));
    else if (method === BASIC_AUTH) body[BASIC_AUTH] = authConfigBody(BASIC_AUTH, options, liveConfig(BASIC_AUTH));
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
 * The POST/PUT body for a product as it must be after a change: ownership labels re-attached
 * (with the configuration's owner and the change's `protected`, `marker`),
 * names turned into ids, the spec text from the plan's attachment. Throws ProviderError when a
 * name is unknown (preflight reports those before apply).
 *
 * With `live` (an update), the body is the live product as read, minus the fields the server owns,
 * with only the fields Git describes replaced: `PUT /api/api_products/{id}` replaces the whole
 * product and resets what the body leaves out (reference Round 2, [OAS]), so everything else —
 * `logo`, `can_view_unsubscribed`, auth options Git does not write, fields a later version adds — goes back as it
 * came. (The JSON Patch PATCH the same notes confirm is not used: the one retry layer resends a
 * PUT after a lost answer, but not a PATCH, uncertain-writes.ts.)
 */
export function toProductBody(after: ObjectAfter, productName: string, directory: Api7Directory, live?: Api7Product, marker: MarkerOptions = PLAIN_MARKER): Api7ProductBody {
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
    labels: { ...state.labels, ...ownershipLabels(productName, after, marker) },
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
  const auth = authBody(state.auth, state, directory, isObject(base.auth) ? base.auth : undefined);
  if (auth) body.auth = auth;
  else delete body.auth;
  body.linked_gateway_services = linksBody(state.services, directory, base.linked_gateway_services);
  if (live?.type === 'external') {
    delete body.raw_openapi;
    delete body.server_urls;
  }
  return body;
}
