/**
 * Synthetic portals for the benchmark. A project of realistic product files (one per file, by team,
 * written as a person would write them) is loaded by the real loader; the emulator state holds
 * exactly what those products become on the target, written through the provider's own request
 * mapping and the emulator's own body parser (what a create would have stored), so that a plan
 * against it shows no changes. A few products on the portal are not managed by apiproducts.
 *
 * N counts products ON THE PORTAL (the objects a plan reads): on Apigee a Git product with two plans
 * is two products there, and the unmanaged products are part of N.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desiredObjects } from '../src/commands/desired-objects.ts';
import { loadValidProject, type ValidProject } from '../src/commands/project.ts';
import { createDirectory, toProductBody as api7Body } from '../src/providers/api7/mapping.ts';
import type { Api7GatewayGroup, Api7Product, Api7Service } from '../src/providers/api7/wire.ts';
import { toProductBody as apigeeBody } from '../src/providers/apigee/mapping.ts';
import { getProviderKind } from '../src/registry.ts';
import type { DesiredObject } from '../src/model/objects.ts';
import { parseProductBody as parseApi7Body } from '../src/sandbox/api7/product-body.ts';
import type { Api7State } from '../src/sandbox/api7/state.ts';
import { parseProductBody as parseApigeeBody } from '../src/sandbox/apigee/product-body.ts';
import { storeProduct, type ApigeeFlavour, type ApigeeState } from '../src/sandbox/apigee/state.ts';
import type { ProviderName } from './options.ts';

/** Credentials the generated targets read from the environment (never printed). */
export const BENCH_ENV = { BENCH_API7_TOKEN: 'bench-api7-token-5f0c', BENCH_APIGEE_TOKEN: 'bench-apigee-token-9a41' } as const;
export const API7_TOKEN = BENCH_ENV.BENCH_API7_TOKEN;
export const APIGEE_TOKEN = BENCH_ENV.BENCH_APIGEE_TOKEN;
export const ORG = 'acme';
export const PORTAL_ID = 'portal-default';
export const TARGET: Record<ProviderName, string> = { api7: 'api7-prod', apigee: 'apigee-prod' };

/** Share of the portal's products that nobody manages with apiproducts (made in the dashboard). */
const UNMANAGED_SHARE = 0.02;

const TEAMS = ['payments', 'commerce', 'identity', 'logistics', 'catalog', 'search', 'billing', 'messaging', 'analytics', 'risk', 'partners', 'media'];
const NOUNS = ['ledger', 'refunds', 'orders', 'carts', 'shipments', 'tracking', 'inventory', 'pricing', 'reviews', 'accounts', 'profiles', 'tokens', 'invoices', 'statements', 'alerts', 'events', 'reports', 'quotes', 'claims', 'offers'];
const VERBS = ['create and track', 'search', 'reconcile', 'export', 'subscribe to', 'audit'];
const TIERS = ['gold', 'silver', 'bronze'];
const GROUPS = ['production', 'staging', 'partner'];
const DCR_PROVIDERS = ['corp-idp', 'partner-idp'];

const pad = (i: number): string => String(i).padStart(5, '0');
const teamOf = (i: number): string => TEAMS[i % TEAMS.length]!;
const nounOf = (i: number): string => NOUNS[(i * 7) % NOUNS.length]!;
const title = (word: string): string => word[0]!.toUpperCase() + word.slice(1);
export const productName = (i: number): string => `${teamOf(i)}-${nounOf(i)}-${pad(i)}`;
/** The Apigee proxy product `i` binds: shared by products of one team and noun, like real proxies. */
const proxyOf = (i: number): string => `${teamOf(i)}-${nounOf(i)}-v1`;
const groupOf = (i: number): string => GROUPS[i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2]!;
const isExternal = (i: number): boolean => i % 8 === 3;
const hasPlans = (i: number): boolean => i % 5 === 0;
/** Products edited in Git for the "10% changes" scenario: every 10th. */
export const isChanged = (i: number, share: number): boolean => share > 0 && i % Math.max(1, Math.round(1 / share)) === 0;

function description(i: number, changed: boolean): string[] {
  const noun = nounOf(i);
  const lines = [
    'description: |',
    `  ${title(noun)} API of the ${teamOf(i)} domain (product ${i}).`,
    '',
    `  Lets partner applications ${VERBS[i % VERBS.length]} ${noun} in real time. Requests are idempotent`,
    '  when sent with an `Idempotency-Key` header; lists are paginated with `page` and `page_size`.',
  ];
  if (changed) lines.push('', '  Webhooks now notify subscribers of every change (revision 2).');
  return lines;
}

function commonFields(i: number, provider: ProviderName, changed: boolean): string[] {
  const name = productName(i);
  const lines = [
    '# yaml-language-server: $schema=../../schemas/product.schema.json',
    `name: ${name}`,
    `displayName: ${title(teamOf(i))} ${title(nounOf(i))} ${i}`,
    ...description(i, changed),
    `status: ${i % 7 === 0 ? 'draft' : 'published'}`,
  ];
  const loggedIn = i % 5 >= 3;
  if (provider === 'api7') {
    lines.push(`visibility: ${loggedIn ? 'logged-in' : 'public'}`);
    if (!isExternal(i)) lines.push(`access: ${loggedIn && i % 3 === 0 ? 'restricted' : i % 2 === 0 ? 'auto' : 'approval'}`);
  } else {
    lines.push(`visibility: ${loggedIn ? 'private' : 'public'}`, `access: ${i % 11 === 0 ? 'restricted' : i % 2 === 0 ? 'auto' : 'approval'}`);
  }
  lines.push(`team: ${teamOf(i)}`, 'labels:', `  tier: ${TIERS[i % TIERS.length]}`, `  cost-center: cc-${100 + (i % 37)}`);
  if (changed && i % 3 === 0) lines.push('  reviewed: "2026-q3"');
  return lines;
}

function api7Auth(i: number): string {
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

/** One product file for API7: a gateway product linking its own service, or an external one with its spec. */
function api7Product(i: number, target: string, changed: boolean): string {
  const name = productName(i);
  const lines = commonFields(i, 'api7', changed);
  if (isExternal(i)) {
    lines.push('targets:', `  ${target}:`, '    type: external', `    openapi: ../../specs/${name}.yaml`, `    serverUrls: [https://${name}.api.example.com/v1]`);
  } else {
    lines.push(api7Auth(i), 'targets:', `  ${target}:`, '    type: gateway', '    services:', `      - gatewayGroup: ${groupOf(i)}`, `        service: ${name}`);
    if (i % 3 === 0) lines.push(`        hosts: [${name}.api.example.com]`);
  }
  return lines.join('\n') + '\n';
}

/** One product file for Apigee: proxies, environments, resources, scopes, and two plans for every fifth. */
function apigeeProduct(i: number, target: string, changed: boolean, plans = true): string {
  const noun = nounOf(i);
  const lines = commonFields(i, 'apigee', changed);
  if (plans && hasPlans(i)) {
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

/** How many products on the portal each generated Git product becomes. */
const objectsOf = (provider: ProviderName, i: number): number => (provider === 'apigee' && hasPlans(i) ? 2 : 1);

export interface ProjectLayout {
  provider: ProviderName;
  /** Products on the portal: managed objects plus unmanaged ones. */
  n: number;
  /** Git products (indices 0..gitProducts-1). */
  gitProducts: number;
  /** Products on the portal apiproducts manages (Apigee: one per plan). */
  managedObjects: number;
  unmanaged: number;
  /** Git products edited in `products-changed/`, and the portal products those edits update. */
  changedProducts: number;
  changedObjects: number;
  /** Share of Git products edited in `products-changed/`. */
  changeShare: number;
  /** Apigee: the last product is written without its plans, so that the portal holds exactly N. */
  lastWithoutPlans: boolean;
}

/** Splits N products on the portal into unmanaged ones and Git products (some Apigee ones with two plans). */
export function layout(provider: ProviderName, n: number, changeShare: number, withUnmanaged = true): ProjectLayout {
  const unmanaged = withUnmanaged ? Math.max(1, Math.round(n * UNMANAGED_SHARE)) : 0;
  const wanted = n - unmanaged;
  let managedObjects = 0;
  let gitProducts = 0;
  let changedProducts = 0;
  let changedObjects = 0;
  let lastWithoutPlans = false;
  while (managedObjects < wanted) {
    // The last product takes no plans when two objects would overshoot N.
    lastWithoutPlans = managedObjects + objectsOf(provider, gitProducts) > wanted;
    const objects = lastWithoutPlans ? 1 : objectsOf(provider, gitProducts);
    if (isChanged(gitProducts, changeShare)) {
      changedProducts++;
      changedObjects += objects;
    }
    managedObjects += objects;
    gitProducts++;
  }
  return { provider, n, gitProducts, managedObjects, unmanaged, changedProducts, changedObjects, changeShare, lastWithoutPlans };
}

export interface GeneratedProject extends ProjectLayout {
  /** The project directory (apiproducts.yaml, products/, products-changed/, specs/). */
  cwd: string;
  target: string;
  /** Products as live now (`products/`) and with the edits (`products-changed/`), relative to cwd. */
  productsDir: string;
  changedDir: string;
  remove(): void;
}

/**
 * Writes a project of `layout.gitProducts` product files, in one directory per team, into a new
 * temp directory; `changedDir` holds the same files with every 10th product edited (description,
 * and for some a new label). The target's url is written later (writeConfig), once the emulator
 * listens.
 */
export function writeProject(l: ProjectLayout, options: { flavour: ApigeeFlavour; changes?: boolean; root?: string }): GeneratedProject {
  const cwd = mkdtempSync(join(options.root ?? tmpdir(), `apiproducts-bench-${l.provider}-${l.n}-`));
  const target = TARGET[l.provider];
  const productsDir = 'products';
  const changedDir = 'products-changed';
  const dirs = options.changes === false ? [productsDir] : [productsDir, changedDir];
  for (const dir of dirs) for (const team of TEAMS) mkdirSync(join(cwd, dir, team), { recursive: true });
  mkdirSync(join(cwd, 'specs'));
  for (let i = 0; i < l.gitProducts; i++) {
    const file = `${productName(i)}.yaml`;
    const plans = !(l.lastWithoutPlans && i === l.gitProducts - 1);
    const write = (dir: string, changed: boolean): void => {
      const text = l.provider === 'api7' ? api7Product(i, target, changed) : apigeeProduct(i, target, changed, plans);
      writeFileSync(join(cwd, dir, teamOf(i), file), text);
    };
    write(productsDir, false);
    if (dirs.includes(changedDir)) write(changedDir, isChanged(i, l.changeShare));
    if (l.provider === 'api7' && isExternal(i)) writeFileSync(join(cwd, 'specs', file), openapiSpec(i));
  }
  writeConfig(cwd, l.provider, 'http://127.0.0.1:9', options.flavour);
  return { ...l, cwd, target, productsDir, changedDir, remove: () => rmSync(cwd, { recursive: true, force: true }) };
}

/** apiproducts.yaml with one real (non-sandbox) target at `url`, credentials from the environment. */
export function writeConfig(cwd: string, provider: ProviderName, url: string, flavour: ApigeeFlavour, concurrency = 8): void {
  const target = TARGET[provider];
  const settings =
    provider === 'api7'
      ? ['    provider: api7', `    url: ${url}`, '    portal: default', '    tokenEnv: BENCH_API7_TOKEN']
      : ['    provider: apigee', `    url: ${url}`, `    flavour: ${flavour}`, `    org: ${ORG}`, '    tokenEnv: BENCH_APIGEE_TOKEN'];
  const text = ['# yaml-language-server: $schema=./schemas/targets.schema.json', 'targets:', `  ${target}:`, ...settings, 'prune: false', `concurrency: ${concurrency}`, ''];
  writeFileSync(join(cwd, 'apiproducts.yaml'), text.join('\n'));
}

/** Loads a generated project through the real loader and validator; any error is a bug in the generator. */
export function loadProject(cwd: string, productsDir: string): ValidProject {
  Object.assign(process.env, BENCH_ENV);
  return loadValidProject({ cwd, products: productsDir, targets: [] });
}

export function desiredOf(project: ValidProject, provider: ProviderName): DesiredObject[] {
  const target = project.targets[0]!;
  return desiredObjects(project.products, target, getProviderKind(provider)!);
}

// ── Emulator state ──────────────────────────────────────────────────────────────────────────

const SEEDED_AT = 1767225600; // 2026-01-01T00:00:00Z, unix seconds

/**
 * The API7 portal's directory: three gateway groups, one service per gateway product (a service
 * backs one product only) plus 5% services no product links, two DCR providers; no products yet.
 */
export function api7State(l: ProjectLayout): Api7State {
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
    subscriptions: {},
  };
}

/** The Apigee org's directory: every proxy the products bind, and two environments; no products yet. */
export function apigeeState(l: ProjectLayout): ApigeeState {
  const proxies = new Set<string>();
  for (let i = 0; i < l.gitProducts; i++) proxies.add(proxyOf(i));
  proxies.add('legacy-billing');
  return { proxies: [...proxies].sort(), environments: ['test', 'prod'], products: {} };
}

const jsonCopy = <T>(value: T): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/**
 * Puts on the portal what `desired` becomes (the provider's create body, parsed by the emulator's
 * own body parser), then the unmanaged products. A plan of the same products afterwards: no changes.
 */
export function plantApi7(state: Api7State, desired: readonly DesiredObject[], l: ProjectLayout): void {
  const directory = createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders);
  const list = (state.products[PORTAL_ID] ??= []);
  let at = SEEDED_AT + 1_000_000;
  for (const object of desired) {
    const after = { status: object.status, state: object.state, ...(object.attachments ? { attachments: object.attachments } : {}) };
    const body = parseApi7Body(jsonCopy(api7Body(after, object.product, directory)));
    const product: Api7Product = { id: `prod-${object.key}`, ...body, created_at: at, updated_at: at };
    at++;
    list.push(product);
    state.subscriptions[product.id] = object.status === 'published' ? 3 : 0;
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

export function plantApigee(state: ApigeeState, desired: readonly DesiredObject[], l: ProjectLayout, flavour: ApigeeFlavour): void {
  const at = SEEDED_AT * 1000 + 10 * 3_600_000;
  const by = 'apiproducts@acme.example.com';
  for (const object of desired) {
    const after = { status: object.status, state: object.state };
    const fields = parseApigeeBody(jsonCopy(apigeeBody(after, object.key, object.product)), flavour);
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

/** Empties the portal (for each apply run), keeping its directory. */
export function clearProducts(provider: ProviderName, state: Api7State | ApigeeState): void {
  if (provider === 'api7') {
    const api7 = state as Api7State;
    api7.products = { [PORTAL_ID]: [] };
    api7.subscriptions = {};
  } else {
    (state as ApigeeState).products = {};
  }
}
