/**
 * API7's traffic profile: gateway products linking a service of their own (or external ones with
 * an OpenAPI file), a portal directory of gateway groups, services and DCR providers, and products
 * planted through the provider's own create body and the emulator's own body parser.
 */
import type { DesiredObject } from '../../../src/model/objects.ts';
import { createDirectory } from '../../../src/providers/api7/mapping.ts';
import { toProductBody } from '../../../src/providers/api7/request-body.ts';
import type { Api7GatewayGroup, Api7Product, Api7Service } from '../../../src/sandbox/api7/wire.ts';
import { parseProductBody } from '../../../src/sandbox/api7/product-body.ts';
import { startApi7Emulator } from '../../../src/sandbox/api7/server.ts';
import type { Api7State } from '../../../src/sandbox/api7/state.ts';
import { commonFields, jsonCopy, loggedIn, nounOf, pad, productName, SEEDED_AT, title } from '../../products.ts';
import type { BenchProfile, PortalLayout, VendorPortal } from '../profile.ts';
import { MAX_PAGE_SIZE } from '../../../src/sandbox/api7/http.ts';
import { seedSubscriptions } from '../../../src/sandbox/api7/subscriptions.ts';

const PORTAL_ID = 'portal-default';
const TOKEN_ENV = 'BENCH_API7_TOKEN';
const TOKEN = 'bench-api7-token-5f0c';
/** The largest `page_size` the API7 emulator accepts by default. */
const MAX_PAGE = MAX_PAGE_SIZE;
const GROUPS = ['production', 'staging', 'partner'];
const DCR_PROVIDERS = ['corp-idp', 'partner-idp'];

const groupOf = (i: number): string => GROUPS[i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2]!;
const isExternal = (i: number): boolean => i % 8 === 3;

function auth(i: number): string {
  switch (i % 4) {
    case 0:
      return 'auth: [key-auth]';
    case 1:
      return 'auth: [basic-auth]';
    case 2:
      return 'auth: [key-auth, basic-auth]';
    default:
      return `auth:\n  - oauth:\n      dcrProvider: ${DCR_PROVIDERS[i % 2]}`;
  }
}

/** A gateway product linking its own service, or an external one with its spec. */
function productFile(i: number, target: string, changed: boolean): string {
  const name = productName(i);
  const access = [`visibility: ${loggedIn(i) ? 'logged-in' : 'public'}`];
  if (!isExternal(i)) access.push(`access: ${loggedIn(i) && i % 3 === 0 ? 'restricted' : i % 2 === 0 ? 'auto' : 'approval'}`);
  const lines = commonFields(i, changed, access);
  if (isExternal(i)) {
    lines.push('targets:', `  ${target}:`, '    type: external', `    openapi: ../../specs/${name}.yaml`, `    serverUrls: [https://${name}.api.example.com/v1]`);
  } else {
    lines.push(auth(i), 'targets:', `  ${target}:`, '    type: gateway', '    services:', `      - gatewayGroup: ${groupOf(i)}`, `        service: ${name}`);
    if (i % 3 === 0) lines.push(`        hosts: [${name}.api.example.com]`);
  }
  return lines.join('\n') + '\n';
}

function openapiSpec(i: number): string {
  const noun = nounOf(i);
  return [
    'openapi: 3.0.3',
    `info: {title: ${title(noun)} ${i}, version: "1.${i % 10}"}`,
    'paths:',
    `  /${noun}:`,
    `    get: {summary: List ${noun}, responses: {"200": {description: OK}}}`,
    `    post: {summary: Create one, responses: {"201": {description: Created}}}`,
    `  /${noun}/{id}:`,
    `    get: {summary: Read one, parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {"200": {description: OK}}}`,
    '',
  ].join('\n');
}

/**
 * The portal's directory: three gateway groups, one service per gateway product (a service backs
 * one product only) plus 5% services no product links, two DCR providers; no products yet.
 */
function directoryState(l: PortalLayout): Api7State {
  const groups: Api7GatewayGroup[] = GROUPS.map((name, k) => ({
    id: `gg-${name}`,
    name,
    description: `${title(name)} gateways`,
    labels: { env: name },
    type: 'api7_gateway',
    created_at: SEEDED_AT + k,
    updated_at: SEEDED_AT + k,
  }));
  const services: Record<string, Api7Service[]> = Object.fromEntries(GROUPS.map((name) => [`gg-${name}`, []]));
  const addService = (group: string, name: string, at: number): void => {
    services[`gg-${group}`]!.push({
      id: `svc-${name}`,
      name,
      desc: `Backend of ${name}`,
      labels: { team: name.split('-')[0]! },
      type: 'http',
      hosts: [`${name}.api.example.com`, `${name}.internal.example.com`],
      path_prefix: `/${name}`,
      created_at: SEEDED_AT + at,
      updated_at: SEEDED_AT + at,
    });
  };
  for (let i = 0; i < l.gitProducts; i++) if (!isExternal(i)) addService(groupOf(i), productName(i), i);
  for (let k = 0; k < l.unmanaged; k++) addService('production', `legacy-${pad(k)}`, l.gitProducts + k);
  const spare = Math.ceil(l.gitProducts * 0.05);
  for (let k = 0; k < spare; k++) addService(groupOf(k), `spare-${pad(k)}`, l.gitProducts + l.unmanaged + k);
  return {
    portals: [{ id: PORTAL_ID, name: 'default', public_url: 'https://developer.example.com', created_at: SEEDED_AT, updated_at: SEEDED_AT }],
    gatewayGroups: groups,
    services,
    dcrProviders: DCR_PROVIDERS.map((name) => ({ id: `dcr-${name}`, name })),
    products: { [PORTAL_ID]: [] },
    subscriptions: [],
  };
}

function plant(state: Api7State, desired: readonly DesiredObject[], l: PortalLayout): void {
  const directory = createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders);
  const list = (state.products[PORTAL_ID] ??= []);
  let at = SEEDED_AT + 1_000_000;
  for (const object of desired) {
    const after = { status: object.status, state: object.state, ...(object.attachments ? { attachments: object.attachments } : {}) };
    const body = parseProductBody(jsonCopy(toProductBody(after, object.product, directory)));
    const product: Api7Product = { id: `prod-${object.key}`, ...body, created_at: at, updated_at: at };
    at++;
    list.push(product);
    if (object.status === 'published') state.subscriptions.push(...seedSubscriptions(product.id, 3, 0, at));
  }
  for (let k = 0; k < l.unmanaged; k++) {
    const name = `legacy-${pad(k)}`;
    list.push({
      id: `prod-${name}`,
      name: `Legacy ${k}`,
      desc: 'Maintained by hand in the dashboard.',
      type: 'gateway',
      visibility: 'logged_in',
      status: 'published',
      labels: { team: 'finance' },
      subscription_auto_approval: false,
      auth: { 'key-auth': {} },
      linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: `svc-${name}` }],
      created_at: at,
      updated_at: at,
    });
    at++;
  }
}

function portal(l: PortalLayout): VendorPortal {
  const state = directoryState(l);
  return {
    start: () => startApi7Emulator({ token: TOKEN, state }),
    plant: (desired) => plant(state, desired, l),
    clearProducts() {
      state.products = { [PORTAL_ID]: [] };
      state.subscriptions = [];
    },
    ownedProducts: () =>
      Object.values(state.products)
        .flat()
        .filter((product) => product.labels?.['managed-by'] === 'apiproducts').length,
  };
}

const PRODUCT = /^\/api\/api_products\/[^/]+$/;

export const api7Profile: BenchProfile = {
  kind: 'api7',
  displayName: 'API7',
  target: 'api7-prod',
  tokenEnv: TOKEN_ENV,
  token: TOKEN,
  objectsOf: () => 1,
  productFile: (i, target, changed) => productFile(i, target, changed),
  spec: (i) => (isExternal(i) ? openapiSpec(i) : undefined),
  targetSettings: (url) => ['    provider: api7', `    url: ${url}`, '    portal: default', `    tokenEnv: ${TOKEN_ENV}`],
  portal,
  maxPageSize: MAX_PAGE,
  missedListsNote: (n, lists) => {
    const pageSize = Math.round(n / Math.max(1, lists));
    return `pages of ~${pageSize} products: the client asks for page_size ${pageSize} while the API accepts ${MAX_PAGE}`;
  },
  productList: 'GET /api/api_products',
  productGet: 'GET /api/api_products/{id}',
  foldPath: (path) => path.replace(PRODUCT, '/api/api_products/{id}'),
  productsNote: 'API7 products link a gateway service of their own (or are external, with an OpenAPI file)',
  lookups: 'the portal, gateway groups, services and DCR providers',
};
