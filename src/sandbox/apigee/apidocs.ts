/**
 * Integrated portal catalog items (X only): `organizations/{org}/sites/{site}/apidocs`.
 *
 * [C] docs.cloud.google.com/apigee/docs/reference/apis/apigee/rest/v1/organizations.sites.apidocs
 * (resource ApiDoc: siteId and id output only, id an int64 string; title required, at most 255
 * characters; description at most 10,000; published, anonAllowed, apiProductName, requireCallbackUrl,
 * imageUrl, categoryIds, modified, visibility, edgeAPIProductName, specId, graphql* fields), and its
 * methods: list `GET …/apidocs?pageSize&pageToken` (default 25, at most 100, larger coerced to 100)
 * → `{status, message, requestId, errorCode, data: [ApiDoc], nextPageToken}`; create `POST
 * …/apidocs`, get, update `PUT …/apidocs/{id}` (body an ApiDoc) → ApiDocResponse; delete.
 * [I] strict where the reference is silent: ApiDocResponse is `{status, message, requestId,
 * errorCode, data: ApiDoc}` like the list; PUT replaces every writable field (what the body leaves
 * out is cleared); apiProductName must name an existing product; an unknown site or pageToken is
 * 404/400; a product a catalog item links to cannot be deleted; unknown fields are refused, as
 * Google's JSON parsing does.
 */
import { ApigeeHttpError, CODES, invalid, parseJsonObject, type ApigeeCall, type ApigeeReply } from './http.ts';
import { findProduct, type ApigeeState } from './state.ts';

export interface ApigeeStoredApiDoc {
  siteId: string;
  id: string;
  title: string;
  description?: string;
  published: boolean;
  anonAllowed: boolean;
  apiProductName?: string;
  requireCallbackUrl: boolean;
  imageUrl?: string;
  categoryIds: string[];
  specId?: string;
  graphqlSchema?: string;
  graphqlEndpointUrl?: string;
  graphqlSchemaDisplayName?: string;
  /** Unix ms, rendered as an int64 string. */
  modified: number;
}

/** One integrated portal: its catalog items, and the next id to hand out. */
export interface ApigeeSite {
  apidocs: ApigeeStoredApiDoc[];
  nextId: number;
}

const MAX_PAGE = 100;
const DEFAULT_PAGE = 25;
const STRING_FIELDS = ['title', 'description', 'apiProductName', 'imageUrl', 'specId', 'graphqlSchema', 'graphqlEndpointUrl', 'graphqlSchemaDisplayName'] as const;
const BOOLEAN_FIELDS = ['published', 'anonAllowed', 'requireCallbackUrl'] as const;
/** Output only (siteId, id, modified) or deprecated (visibility, edgeAPIProductName): accepted as echoed, never applied. */
const IGNORED_FIELDS = ['siteId', 'id', 'modified', 'visibility', 'edgeAPIProductName'];

function siteOf(call: ApigeeCall): ApigeeSite {
  const id = call.params[0] ?? '';
  const site = call.state.sites && Object.hasOwn(call.state.sites, id) ? call.state.sites[id] : undefined;
  if (!site) throw new ApigeeHttpError(404, CODES.routeMissing, `portal [${id}] does not exist in organization [${call.org}]`);
  return site;
}

function apiDocOf(call: ApigeeCall): ApigeeStoredApiDoc {
  const item = siteOf(call).apidocs.find((candidate) => candidate.id === call.params[1]);
  if (!item) throw new ApigeeHttpError(404, CODES.routeMissing, `catalog item [${call.params[1] ?? ''}] does not exist in portal [${call.params[0] ?? ''}]`);
  return item;
}

/** An ApiDoc as X answers it: proto3 JSON, empty strings and lists left out, int64 as strings. */
function renderApiDoc(item: ApigeeStoredApiDoc): Record<string, unknown> {
  const rendered: Record<string, unknown> = { ...item, modified: String(item.modified) };
  for (const [field, value] of Object.entries(rendered)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete rendered[field];
  }
  return rendered;
}

let requests = 0;
const envelope = (extra: Record<string, unknown>): Record<string, unknown> => ({ status: 'success', message: 'success', requestId: String(++requests), ...extra });

/** The writable fields of a POST or PUT body; a PUT replaces all of them. */
function parseApiDoc(call: ApigeeCall): Omit<ApigeeStoredApiDoc, 'siteId' | 'id' | 'modified'> {
  const body = parseJsonObject(call);
  const known = new Set<string>([...STRING_FIELDS, ...BOOLEAN_FIELDS, 'categoryIds', ...IGNORED_FIELDS]);
  const unknown = Object.keys(body).find((field) => !known.has(field));
  if (unknown !== undefined) throw invalid(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
  const text = (field: (typeof STRING_FIELDS)[number]): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(`${field} must be a string`);
    return value === '' ? undefined : value;
  };
  const flag = (field: (typeof BOOLEAN_FIELDS)[number]): boolean => {
    const value = body[field];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') throw invalid(`${field} must be a boolean`);
    return value;
  };
  const title = text('title');
  if (title === undefined || title.trim() === '' || title.length > 255) throw invalid('title is required: a non-empty string of at most 255 characters');
  const description = text('description');
  if (description !== undefined && description.length > 10_000) throw invalid('description may hold at most 10,000 characters');
  const apiProductName = text('apiProductName');
  if (apiProductName !== undefined && !findProduct(call.state, apiProductName)) throw invalid(`API product [${apiProductName}] does not exist in organization [${call.org}]`);
  const categoryIds = body.categoryIds ?? [];
  if (!Array.isArray(categoryIds) || !categoryIds.every((id) => typeof id === 'string')) throw invalid('categoryIds must be an array of strings');
  return {
    title,
    description,
    published: flag('published'),
    anonAllowed: flag('anonAllowed'),
    apiProductName,
    requireCallbackUrl: flag('requireCallbackUrl'),
    imageUrl: text('imageUrl'),
    categoryIds: categoryIds as string[],
    specId: text('specId'),
    graphqlSchema: text('graphqlSchema'),
    graphqlEndpointUrl: text('graphqlEndpointUrl'),
    graphqlSchemaDisplayName: text('graphqlSchemaDisplayName'),
  };
}

/** `pageToken` is the offset of the next item, opaque to clients; anything else is refused. */
export function listApiDocs(call: ApigeeCall): ApigeeReply {
  const items = siteOf(call).apidocs;
  const rawSize = call.query.get('pageSize');
  const size = rawSize === null ? DEFAULT_PAGE : /^[0-9]+$/.test(rawSize) && Number(rawSize) > 0 ? Math.min(Number(rawSize), MAX_PAGE) : NaN;
  if (Number.isNaN(size)) throw invalid(`pageSize must be a positive integer, got "${rawSize ?? ''}"`);
  const token = call.query.get('pageToken');
  const start = token === null || token === '' ? 0 : /^o[0-9]+$/.test(token) ? Number(token.slice(1)) : NaN;
  if (Number.isNaN(start) || start > items.length) throw invalid(`invalid pageToken "${token ?? ''}"`);
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? { nextPageToken: `o${start + size}` } : {};
  return { body: envelope({ data: page.map(renderApiDoc), ...next }) };
}

export function createApiDoc(call: ApigeeCall): ApigeeReply {
  const site = siteOf(call);
  const item: ApigeeStoredApiDoc = { ...parseApiDoc(call), siteId: call.params[0] ?? '', id: String(site.nextId++), modified: call.now };
  site.apidocs.push(item);
  return { body: envelope({ data: renderApiDoc(item) }), mutated: true };
}

export function getApiDoc(call: ApigeeCall): ApigeeReply {
  return { body: envelope({ data: renderApiDoc(apiDocOf(call)) }) };
}

export function replaceApiDoc(call: ApigeeCall): ApigeeReply {
  const item = apiDocOf(call);
  const fields = parseApiDoc(call);
  for (const field of Object.keys(item) as (keyof ApigeeStoredApiDoc)[]) if (!['siteId', 'id'].includes(field)) delete item[field];
  Object.assign(item, fields, { modified: call.now });
  return { body: envelope({ data: renderApiDoc(item) }), mutated: true };
}

export function deleteApiDoc(call: ApigeeCall): ApigeeReply {
  const site = siteOf(call);
  const item = apiDocOf(call);
  site.apidocs = site.apidocs.filter((candidate) => candidate !== item);
  return { body: envelope({}), mutated: true };
}

/** [I] strict: a product that a catalog item links to is not deleted under it. */
export function checkNoCatalogItems(state: ApigeeState, product: string): void {
  for (const [siteId, site] of Object.entries(state.sites ?? {})) {
    const item = site.apidocs.find((candidate) => candidate.apiProductName === product);
    if (item) throw invalid(`API product [${product}] is linked to catalog item ${item.id} of portal [${siteId}]; delete the catalog item first`);
  }
}
