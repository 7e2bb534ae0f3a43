/**
 * Apigee's traffic profile: products binding proxies, environments, resources and scopes, every
 * fifth with two plans (two Apigee products); an org directory of proxies and environments; and
 * products planted through the provider's own create body and the emulator's own body parser.
 */
import type { DesiredObject } from '../../../src/model/objects.ts';
import { toProductBody } from '../../../src/providers/apigee/request-body.ts';
import { parseProductBody } from '../../../src/sandbox/apigee/product-body.ts';
import { MAX_PAGE_SIZE } from '../../../src/sandbox/apigee/products.ts';
import { startApigeeEmulator } from '../../../src/sandbox/apigee/server.ts';
import { storeProduct, type ApigeeFlavour, type ApigeeState } from '../../../src/sandbox/apigee/state.ts';
import { thousands } from '../../format.ts';
import { commonFields, jsonCopy, loggedIn, nounOf, pad, SEEDED_AT, teamOf } from '../../products.ts';
import type { BenchProfile, PortalLayout, VendorPortal } from '../profile.ts';

const ORG = 'acme';
const TOKEN_ENV = 'BENCH_APIGEE_TOKEN';
const TOKEN = 'bench-apigee-token-9a41';

/** The proxy product `i` binds: shared by products of one team and noun, like real proxies. */
const proxyOf = (i: number): string => `${teamOf(i)}-${nounOf(i)}-v1`;
const hasPlans = (i: number): boolean => i % 5 === 0;

/**
 * The fewest list requests that can read N products: `startKey` is inclusive, so every page after
 * the first repeats the last name of the one before and brings at most 999 new ones, and only a
 * short page tells the list is over.
 */
export function leastListRequests(n: number): number {
  return n < MAX_PAGE_SIZE ? 1 : 1 + Math.ceil((n + 1 - MAX_PAGE_SIZE) / (MAX_PAGE_SIZE - 1));
}

function productFile(i: number, target: string, changed: boolean, single: boolean): string {
  const noun = nounOf(i);
  const access = [`visibility: ${loggedIn(i) ? 'private' : 'public'}`, `access: ${i % 11 === 0 ? 'restricted' : i % 2 === 0 ? 'auto' : 'approval'}`];
  const lines = commonFields(i, changed, access);
  if (!single && hasPlans(i)) {
    lines.push(
      'plans:',
      '  - name: free',
      '    limits: {perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10}',
      '  - name: premium',
      '    limits: {perSecond: 50, perDay: 100000}',
    );
  }
  lines.push(
    'targets:',
    `  ${target}:`,
    `    proxies: [${proxyOf(i)}]`,
    `    environments: [${i % 3 === 0 ? 'test, prod' : 'prod'}]`,
    `    resources: [/${noun}/**, /${noun}-${i}]`,
    `    scopes: [${teamOf(i)}.read, ${teamOf(i)}.write]`,
  );
  return lines.join('\n') + '\n';
}

/** The org's directory: every proxy the products bind, and two environments; no products yet. */
function directoryState(l: PortalLayout): ApigeeState {
  const proxies = new Set<string>();
  for (let i = 0; i < l.gitProducts; i++) proxies.add(proxyOf(i));
  proxies.add('legacy-billing');
  return { proxies: [...proxies].sort(), environments: ['test', 'prod'], products: {} };
}

function plant(state: ApigeeState, desired: readonly DesiredObject[], l: PortalLayout, flavour: ApigeeFlavour): void {
  const at = SEEDED_AT * 1000 + 10 * 3_600_000;
  const by = 'apiproducts@acme.example.com';
  for (const object of desired) {
    const after = { status: object.status, state: object.state };
    const fields = parseProductBody(jsonCopy(toProductBody(after, object.key, object.product)), flavour);
    storeProduct(state, { ...fields, createdAt: at, createdBy: by, lastModifiedAt: at, lastModifiedBy: by });
  }
  for (let k = 0; k < l.unmanaged; k++) {
    storeProduct(state, {
      name: `legacy-${pad(k)}`,
      displayName: `Legacy ${k}`,
      description: 'Maintained by hand in the Apigee UI.',
      approvalType: 'manual',
      attributes: [{ name: 'access', value: 'private' }, { name: 'team', value: 'finance' }],
      apiResources: ['/legacy/**'],
      environments: ['prod'],
      proxies: ['legacy-billing'],
      scopes: [],
      createdAt: at,
      createdBy: 'ops@acme.example.com',
      lastModifiedAt: at,
      lastModifiedBy: 'ops@acme.example.com',
    });
  }
}

function portal(l: PortalLayout, flavour: ApigeeFlavour): VendorPortal {
  const state = directoryState(l);
  return {
    start: () => startApigeeEmulator({ flavour, org: ORG, credentials: { token: TOKEN }, state }),
    plant: (desired) => plant(state, desired, l, flavour),
    clearProducts() {
      state.products = {};
    },
    ownedProducts: () =>
      Object.values(state.products).filter((product) =>
        product.attributes.some((attribute) => attribute.name === 'managed-by' && attribute.value === 'apiproducts'),
      ).length,
  };
}

const IN_ORG = /^\/v1\/organizations\/[^/]+/;
const PRODUCT = /^\/v1\/organizations\/\{org\}\/apiproducts\/[^/]+$/;

export const apigeeProfile: BenchProfile = {
  kind: 'apigee',
  displayName: 'Apigee',
  target: 'apigee-prod',
  tokenEnv: TOKEN_ENV,
  token: TOKEN,
  objectsOf: (i) => (hasPlans(i) ? 2 : 1),
  productFile,
  targetSettings: (url, settings) => ['    provider: apigee', `    url: ${url}`, `    flavour: ${settings.flavour}`, `    org: ${ORG}`, `    tokenEnv: ${TOKEN_ENV}`],
  portal: (l, settings) => portal(l, settings.flavour),
  maxPageSize: MAX_PAGE_SIZE,
  missedListsNote: (n, lists, productGets) => {
    const least = leastListRequests(n);
    if (productGets > 0) return undefined;
    const fewest =
      `${least} is the fewest possible one page after another: startKey is inclusive, so every page after the first repeats one product and brings at most 999 new ones, ` +
      `and only a short page ends the list: ${thousands(n)} products take 1 + ⌈(N + 1 − 1,000) / 999⌉ = ${least} pages`;
    // More than that: pages asked for in parallel at start keys guessed from the Git products (product-pager.ts).
    return lists > least ? `${fewest}; the ${lists - least} more are pages asked for in parallel at guessed start keys, which overlap by a tenth of a page` : fewest;
  },
  productList: 'GET /v1/organizations/{org}/apiproducts',
  productGet: 'GET /v1/organizations/{org}/apiproducts/{name}',
  foldPath: (path) => path.replace(IN_ORG, '/v1/organizations/{org}').replace(PRODUCT, '/v1/organizations/{org}/apiproducts/{name}'),
  productsNote: 'Apigee products bind proxies, environments, resources and scopes',
  lookups: 'proxies and environments',
  portalObjectsNote: 'on Apigee every fifth Git product has two plans (two Apigee products)',
};
