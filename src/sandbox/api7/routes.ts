import { Api7HttpError, notFound, paginate, requiredQuery, type Api7Call, type Api7Reply } from './http.ts';
import { createProduct, deleteProduct, getProduct, listProducts, replaceProduct } from './products.ts';
import { listSubscriptions } from './subscriptions.ts';

/** The version the emulator claims to be: the API7 Enterprise release its objects (./wire.ts) follow. */
export const EMULATED_VERSION = '3.9.14';

type Handler = (call: Api7Call) => Api7Reply;

interface Route {
  /** Anchored; its capture groups become `call.params`. */
  path: RegExp;
  methods: Partial<Record<string, Handler>>;
}

const containsIgnoringCase = (text: string, part: string): boolean => text.toLowerCase().includes(part.toLowerCase());

function listPortals(call: Api7Call): Api7Reply {
  const search = call.query.get('search');
  const portals = call.state.portals.filter((portal) => !search || containsIgnoringCase(portal.name, search));
  return { body: paginate(portals, call) };
}

function listGatewayGroups(call: Api7Call): Api7Reply {
  const name = call.query.get('name');
  const search = call.query.get('search');
  const groups = call.state.gatewayGroups.filter(
    (group) => (!name || group.name === name) && (!search || containsIgnoringCase(group.name, search)),
  );
  return { body: paginate(groups, call) };
}

function listServices(call: Api7Call): Api7Reply {
  const groupId = requiredQuery(call.query, 'gateway_group_id');
  const services = call.state.services[groupId];
  if (!call.state.gatewayGroups.some((group) => group.id === groupId) || !services) {
    throw notFound('gateway group not found');
  }
  return { body: paginate(services, call) };
}

/**
 * The Admin API routes a reconciler of products needs (reference §1 line 54, §2 lines 62-66 and 81,
 * §4 lines 127, 133 and 139); anything else is a 404.
 */
const ROUTES: readonly Route[] = [
  { path: /^\/api\/version$/, methods: { GET: () => ({ body: { value: EMULATED_VERSION } }) } },
  { path: /^\/api\/portals$/, methods: { GET: listPortals } },
  { path: /^\/api\/gateway_groups$/, methods: { GET: listGatewayGroups } },
  { path: /^\/apisix\/admin\/services$/, methods: { GET: listServices } },
  { path: /^\/api\/dcr_providers$/, methods: { GET: (call) => ({ body: paginate(call.state.dcrProviders, call) }) } },
  { path: /^\/api\/api_products$/, methods: { GET: listProducts, POST: createProduct } },
  { path: /^\/api\/api_products\/([^/]+)$/, methods: { GET: getProduct, PUT: replaceProduct, DELETE: deleteProduct } },
  { path: /^\/api\/subscriptions$/, methods: { GET: listSubscriptions } },
];

/**
 * Runs the handler for a request, or throws the Admin API's refusal: 404 for an unknown path,
 * 405 for a known path with another method, 400/404 from the handler itself.
 */
export function dispatch(method: string, pathname: string, call: Omit<Api7Call, 'params'>): Api7Reply {
  for (const route of ROUTES) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    const handler = route.methods[method];
    if (!handler) throw new Api7HttpError(405, `method ${method} not allowed on ${pathname}`);
    return handler({ ...call, params: match.slice(1).map(decodePathParam) });
  }
  throw notFound('not found');
}

function decodePathParam(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    throw notFound('not found');
  }
}

/** The methods a path accepts, for the `Allow` header of a 405. */
export function allowedMethods(pathname: string): string[] {
  const route = ROUTES.find((candidate) => candidate.path.test(pathname));
  return route ? Object.keys(route.methods) : [];
}
