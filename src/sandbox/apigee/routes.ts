import { deleteAttribute, getAttribute, listAttributes, replaceAttributes, updateAttribute } from './attributes.ts';
import { ApigeeHttpError, CODES, type ApigeeCall, type ApigeeReply } from './http.ts';
import { createProduct, deleteProduct, getProduct, listProducts, productOf, replaceProduct } from './products.ts';
import type { ApigeeFlavour } from './state.ts';
import { renderProxyList } from './view.ts';
import { moveProduct } from './spaces.ts';
import { createApiDoc, deleteApiDoc, getApiDoc, listApiDocs, replaceApiDoc } from './apidocs.ts';
import { listDevelopers, listOrgApps, productAppIds } from './apps.ts';

type Handler = (call: ApigeeCall) => ApigeeReply;

interface Route {
  /** Anchored, relative to `/v1/organizations/{org}`; capture groups become `call.params`. */
  path: RegExp;
  methods: Partial<Record<string, Handler>>;
  /** Served by Edge only. */
  edgeMethods?: Partial<Record<string, Handler>>;
  /** Served by X only. */
  xMethods?: Partial<Record<string, Handler>>;
}

/**
 * Edge answers `?query=list&entity=apps` on a product with the ids of the apps holding it (apps.ts);
 * X has no such query and returns the product, so a client sending it there gets no id list.
 */
function getProductOrEntities(call: ApigeeCall): ApigeeReply {
  if (call.flavour !== 'edge' || call.query.get('query') === null) return getProduct(call);
  if (call.query.get('query') !== 'list' || call.query.get('entity') !== 'apps') {
    throw new ApigeeHttpError(400, CODES.productInvalid, 'the emulator serves only query=list&entity=apps on a product');
  }
  const product = productOf(call);
  return { body: productAppIds(call.state, product.name) };
}

const ROUTES: readonly Route[] = [
  // apigee-edge-js probes `GET /v1/organizations/{org}/` before anything else (reference §10) and
  // reads `properties.property` from it (Edge's shape: apigee-client-php organizations/phpunit/GET.json).
  { path: /^$/, methods: { GET: (call) => ({ body: { name: call.org, displayName: call.org, environments: [...call.state.environments], properties: { property: [{ name: 'features.isCpsEnabled', value: 'true' }] } } }) } },
  { path: /^\/apiproducts$/, methods: { GET: listProducts, POST: createProduct } },
  // X only (reference §1 "move"; spaces.ts). Names cannot hold `:` (§2), so `{name}:move` is never a product.
  { path: /^\/apiproducts\/([^/:]+):move$/, methods: {}, xMethods: { POST: moveProduct } },
  {
    path: /^\/apiproducts\/([^/]+)$/,
    methods: { GET: getProductOrEntities, PUT: replaceProduct, DELETE: deleteProduct },
    // apigee-edge-js updates with POST on the product (reference §4, §10).
    edgeMethods: { POST: replaceProduct },
  },
  { path: /^\/apiproducts\/([^/]+)\/attributes$/, methods: { GET: listAttributes, POST: replaceAttributes } },
  {
    path: /^\/apiproducts\/([^/]+)\/attributes\/([^/]+)$/,
    methods: { GET: getAttribute, POST: updateAttribute, DELETE: deleteAttribute },
  },
  // X only: integrated portal catalog items (apidocs.ts).
  { path: /^\/sites\/([^/]+)\/apidocs$/, methods: {}, xMethods: { GET: listApiDocs, POST: createApiDoc } },
  { path: /^\/sites\/([^/]+)\/apidocs\/([^/]+)$/, methods: {}, xMethods: { GET: getApiDoc, PUT: replaceApiDoc, DELETE: deleteApiDoc } },
  { path: /^\/apps$/, methods: { GET: listOrgApps } },
  { path: /^\/developers$/, methods: { GET: listDevelopers } },
  { path: /^\/apis$/, methods: { GET: (call) => ({ body: renderProxyList(call.state.proxies, call.flavour) }) } },
  // An array of names on both flavours (reference §11; provider wire.ts).
  { path: /^\/environments$/, methods: { GET: (call) => ({ body: [...call.state.environments] }) } },
];

/**
 * `/v1/organizations/{org}` on both; Edge also accepts `/v1/o/{org}` (reference §1; apigeetool
 * sends it, §10). One trailing slash is ignored (apigee-edge-js requests `…/{org}/`).
 */
const ORG_PREFIX = /^\/v1\/(organizations|o)\/([^/]+)(\/.*)?$/;

function routeMissing(pathname: string): ApigeeHttpError {
  return new ApigeeHttpError(404, CODES.routeMissing, `no resource at ${pathname}`);
}

function decodePathParam(param: string, pathname: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    throw routeMissing(pathname);
  }
}

interface Resolved {
  params: string[];
  handlers: Partial<Record<string, Handler>>;
}

function resolve(flavour: ApigeeFlavour, org: string, pathname: string): Resolved {
  const prefix = ORG_PREFIX.exec(pathname);
  if (!prefix || (prefix[1] === 'o' && flavour === 'x')) throw routeMissing(pathname);
  if (decodePathParam(prefix[2] ?? '', pathname) !== org) {
    // Reference is silent; X answers IAM's usual denial, Edge the same status.
    const resource = `organizations/${prefix[2]}`;
    const message =
      flavour === 'x'
        ? `Permission denied on resource '//apigee.googleapis.com/${resource}' (or it may not exist).`
        : `The credentials do not give access to ${resource}`;
    throw new ApigeeHttpError(403, CODES.forbidden, message);
  }
  const rest = (prefix[3] ?? '').replace(/\/$/, '');
  for (const route of ROUTES) {
    const match = route.path.exec(rest);
    if (!match) continue;
    const handlers = { ...route.methods, ...(flavour === 'edge' ? route.edgeMethods : route.xMethods) };
    // A route of the other flavour only (X's :move) does not exist here: a 404, not a 405.
    if (Object.keys(handlers).length === 0) continue;
    return { params: match.slice(1).map((param) => decodePathParam(param, pathname)), handlers };
  }
  throw routeMissing(pathname);
}

/** What dispatch needs beyond the handler's call. */
export interface Dispatched extends Omit<ApigeeCall, 'params'> {
  method: string;
  pathname: string;
  contentType: string | undefined;
}

/**
 * Runs the handler for a request, or throws the API's refusal: 403 for another org, 404 for an
 * unknown path, 405 for a known path with another method, 415 on Edge for a body that is not
 * declared JSON (reference §1: Edge requires Content-Type), 400/404/409 from the handler itself.
 */
export function dispatch(request: Dispatched): ApigeeReply {
  const { method, pathname, contentType, ...call } = request;
  const { params, handlers } = resolve(call.flavour, call.org, pathname);
  const handler = handlers[method];
  if (!handler) throw new ApigeeHttpError(405, CODES.methodNotAllowed, `method ${method} not allowed on ${pathname}`);
  if (call.flavour === 'edge' && (method === 'POST' || method === 'PUT') && !/^application\/json\b/i.test(contentType ?? '')) {
    throw new ApigeeHttpError(415, CODES.unsupportedMediaType, 'Content-Type must be application/json');
  }
  return handler({ ...call, params });
}

/** The methods a path accepts, for the `Allow` header of a 405. */
export function allowedMethods(flavour: ApigeeFlavour, org: string, pathname: string): string[] {
  try {
    return Object.keys(resolve(flavour, org, pathname).handlers);
  } catch {
    return [];
  }
}
