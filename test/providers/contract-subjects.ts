/**
 * The subjects of the provider contract suite (contract.test.ts): for each provider, how to start
 * its emulator with a seed, the sandbox target, the ProviderKind from the registry, example
 * products bound to that target, and ways to change the emulator behind the provider's back
 * (plant products straight into its state, edit one over its HTTP API as a dashboard user would).
 */
import { tempDir } from '../helpers/temp.ts';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProductSource } from '../../src/model/product.ts';
import type { TargetConfig } from '../../src/model/target.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { getProviderKind } from '../../src/registry.ts';
import type { Provider, ProviderKind } from '../../src/providers/provider.ts';
import type { LiveObject } from '../../src/model/objects.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { seedApigeeState, storeProduct } from '../../src/sandbox/apigee/state.ts';
import * as api7Sandbox from '../sandbox/api7-harness.ts';
import * as apigeeSandbox from '../sandbox/apigee-harness.ts';
import { sandboxTarget, sourceFromText, TOKEN as API7_TOKEN } from './api7-fixtures.ts';
import { apigeeTarget, TOKEN as APIGEE_TOKEN, type Flavour } from './apigee-fixtures.ts';

/** A product put straight into emulator state. `backend` links it to the i-th contract backend. */
export interface Planted {
  key: string;
  owned: boolean;
  displayName?: string;
  backend?: number;
}

/** One emulator, started for one test. */
export interface Running {
  url: string;
  /** The emulator's secret, as a sandbox target hands it to the provider. */
  secret: string;
  requests: readonly { method: string; path: string; status: number }[];
  plant(products: readonly Planted[]): void;
  /** Sets a product's description through the emulator's HTTP API (GET, then a full PUT). */
  editOutOfBand(live: LiveObject, description: string): Promise<void>;
  close(): Promise<void>;
}

/** A product document of the suite: top-level fields over DEFAULT_FIELDS, and its binding lines. */
export interface ProductDoc {
  name: string;
  /** YAML values by key; `null` drops a default. */
  fields?: Record<string, string | null>;
  binding: string;
}

export interface Subject {
  name: string;
  kind: ProviderKind;
  target: TargetConfig;
  /** The product list route (pathname); one product's routes are below it. */
  listPath: string;
  /** Product list requests that observing 2,500 products must cost, from the provider's page size. */
  listRequestsFor2500: number;
  /** The status the server refuses the planted conflict of the error-mapping case with. */
  conflictStatus: number;
  start(options?: { empty?: boolean }): Promise<Running>;
  connect(running: Running, secret?: string): Provider;
  /** Binding lines of a valid product using the i-th contract backend (API7: its own service). */
  binding(backend: number): string;
  /** Every product shape the provider supports, for the idempotency case. */
  shapes: readonly ProductDoc[];
}

export const DEFAULT_FIELDS: Readonly<Record<string, string>> = {
  description: 'A product of the contract suite.',
  status: 'published',
  visibility: 'public',
  access: 'approval',
  team: 'contract',
  labels: '{suite: contract}',
  auth: '[key-auth]',
};

// Product files live in one temp dir, so that external products find their OpenAPI file.
const PRODUCT_DIR = tempDir('apiproducts-contract-');
writeFileSync(path.join(PRODUCT_DIR, 'spec.yaml'), 'openapi: 3.0.3\ninfo: {title: Contract, version: "1"}\npaths: {}\n');
process.once('exit', () => rmSync(PRODUCT_DIR, { recursive: true, force: true }));

/** The document as YAML text, bound to `subject`'s target, loaded the way the loader loads it. */
export function productSource(subject: Subject, doc: ProductDoc): ProductSource {
  const fields = { displayName: `Contract ${doc.name}`, ...DEFAULT_FIELDS, ...doc.fields };
  const lines = Object.entries(fields).flatMap(([key, value]) => (value === null ? [] : [`${key}: ${value}`]));
  const binding = doc.binding.trim().split('\n').map((line) => `    ${line}`);
  const text = [`name: ${doc.name}`, ...lines, 'targets:', `  ${subject.target.name}:`, ...binding, ''].join('\n');
  return sourceFromText(text, `products/${doc.name}.yaml`, path.join(PRODUCT_DIR, `${doc.name}.yaml`));
}

// ── API7 ────────────────────────────────────────────────────────────────────────────────────

/** Contract backends: services of their own, since a service backs one product only. */
const API7_BACKENDS = 12;
const API7_GROUP = 'gg-production';
const api7Service = (i: number): string => `svc-contract-${i}`;
/** src/providers/api7/client.ts PAGE_SIZES[0] (not exported): the page size the provider asks for first. */
const API7_PAGE_SIZE = 500;

function api7Subject(): Subject {
  const pool = api7Sandbox.emulatorPool();
  const target = sandboxTarget();
  const api7Binding = (i: number): string => `type: gateway\nservices:\n  - {gatewayGroup: production, service: contract-${i}}`;
  return {
    name: 'api7',
    kind: getProviderKind('api7')!,
    target,
    listPath: '/api/api_products',
    listRequestsFor2500: Math.ceil(2500 / API7_PAGE_SIZE),
    conflictStatus: 400,
    binding: api7Binding,
    shapes: [
      { name: 'shape-key-auth', binding: api7Binding(0) },
      { name: 'shape-basic-auth-draft', fields: { status: 'draft', auth: '[basic-auth]' }, binding: api7Binding(1) },
      { name: 'shape-both-auto', fields: { auth: '[key-auth, basic-auth]', access: 'auto' }, binding: api7Binding(2) },
      {
        name: 'shape-dcr-restricted',
        fields: { auth: '[{oauth: {dcrProvider: corp-idp}}]', access: 'restricted', visibility: 'logged-in' },
        binding: api7Binding(3),
      },
      { name: 'shape-no-auth-hosts', fields: { auth: null }, binding: 'type: gateway\nservices:\n  - {gatewayGroup: production, service: contract-4, hosts: [contract-4.example.com]}' },
      { name: 'shape-external', fields: { auth: null, access: null }, binding: 'type: external\nopenapi: ./spec.yaml\nserverUrls: [https://api.example.com/v1, https://eu.example.com/v1]' },
      { name: 'shape-external-draft', fields: { auth: null, access: null, status: 'draft', visibility: 'logged-in' }, binding: 'type: external\nopenapi: ./spec.yaml\nserverUrls: [https://api.example.com/v1]' },
    ],
    async start({ empty = false } = {}) {
      const state = seedApi7State();
      const services = state.services[API7_GROUP]!;
      for (let i = 0; i < API7_BACKENDS; i++) {
        services.push({ id: api7Service(i), name: `contract-${i}`, type: 'http', hosts: [`contract-${i}.example.com`] });
      }
      const portal = state.portals[0]!.id;
      if (empty) state.products[portal] = [];
      const emulator = await pool.start({ token: API7_TOKEN, state });
      let planted = 0;
      return {
        url: emulator.url,
        secret: API7_TOKEN,
        requests: emulator.requests,
        plant(products) {
          const list = (state.products[portal] ??= []);
          for (const { key, owned, displayName, backend } of products) {
            const at = api7Sandbox.NOW - 1_000_000 + planted++;
            const product: Api7Product = {
              id: `prod-planted-${key}`,
              // An unowned product's key is its slugified name: name it after the key.
              name: displayName ?? key,
              desc: `Planted ${key}.`,
              type: 'gateway',
              visibility: 'public',
              status: 'published',
              labels: owned ? { 'managed-by': 'apiproducts', 'apiproducts-name': key } : { team: 'elsewhere' },
              subscription_auto_approval: false,
              auth: { 'key-auth': {} },
              linked_gateway_services: backend === undefined ? [] : [{ gateway_group_id: API7_GROUP, service_id: api7Service(backend) }],
              created_at: at,
              updated_at: at,
            };
            list.push(product);
          }
        },
        async editOutOfBand(live, description) {
          const route = `/api/api_products/${live.ref.id}?portal_id=${portal}`;
          const { body } = await api7Sandbox.call(emulator, 'GET', route, { token: API7_TOKEN });
          const put = await api7Sandbox.call(emulator, 'PUT', route, { token: API7_TOKEN, body: { ...body.value, desc: description } });
          if (put.status !== 200) throw new Error(`out-of-band edit refused: ${JSON.stringify(put.body)}`);
        },
        close: () => emulator.close(),
      };
    },
    connect: (running, secret = running.secret) => getProviderKind('api7')!.connect(target, { url: running.url, secret }),
  };
}

// ── Apigee ──────────────────────────────────────────────────────────────────────────────────

function apigeeSubject(flavour: Flavour): Subject {
  const pool = apigeeSandbox.emulatorPool();
  const target = apigeeTarget(flavour, { org: apigeeSandbox.ORG });
  const apigeeBinding = (i: number): string => `proxies: [payments-v1]\nenvironments: [prod]\nresources: [/contract-${i}/**]`;
  const plans = 'plans:\n  - {name: free, limits: {perSecond: 5, perDay: 1000, perMonth: 20000, burst: 10}}\n  - {name: premium, limits: {perSecond: 50, perDay: 100000}}';
  return {
    name: `apigee-${flavour}`,
    kind: getProviderKind('apigee')!,
    target,
    listPath: apigeeSandbox.PRODUCTS,
    // Pages of 1000 with an inclusive startKey: 1..1000, 1000..1999, 1999..2500.
    listRequestsFor2500: 3,
    conflictStatus: 409,
    binding: apigeeBinding,
    shapes: [
      { name: 'shape-plain-auto', fields: { access: 'auto' }, binding: apigeeBinding(0) },
      { name: 'shape-plans', binding: `${apigeeBinding(1)}\nscopes: [contract.read, contract.write]\n${plans}` },
      { name: 'shape-plans-draft', fields: { status: 'draft' }, binding: `${apigeeBinding(2)}\n${plans}` },
      { name: 'shape-one-plan-private', fields: { visibility: 'private' }, binding: `${apigeeBinding(3)}\nplans: [{name: standard, limits: {perMinute: 600, perHour: 20000}}]` },
      { name: 'shape-restricted-unlisted', fields: { access: 'restricted', visibility: 'unlisted' }, binding: `proxies: [identity-v1, loyalty-v1]\nscopes: [openid]` },
      { name: 'shape-internal', fields: { visibility: 'internal' }, binding: `${apigeeBinding(5)}\nlabels: {source: partner}` },
    ],
    async start({ empty = false } = {}) {
      const state = seedApigeeState(apigeeSandbox.ORG);
      if (empty) state.products = {};
      const emulator = await pool.start(flavour, { state, credentials: { token: APIGEE_TOKEN } });
      const authorization = `Bearer ${APIGEE_TOKEN}`;
      return {
        url: emulator.url,
        secret: APIGEE_TOKEN,
        requests: emulator.requests,
        plant(products) {
          for (const { key, owned, displayName } of products) {
            const ownership = owned ? [{ name: 'managed-by', value: 'apiproducts' }, { name: 'apiproducts-name', value: key }] : [];
            storeProduct(state, {
              name: key,
              displayName: displayName ?? key,
              description: `Planted ${key}.`,
              approvalType: 'manual',
              attributes: [{ name: 'access', value: 'public' }, ...ownership],
              apiResources: [],
              environments: ['prod'],
              proxies: [],
              scopes: [],
              createdAt: apigeeSandbox.NOW,
              createdBy: 'someone@example.com',
              lastModifiedAt: apigeeSandbox.NOW,
              lastModifiedBy: 'someone@example.com',
            });
          }
        },
        async editOutOfBand(live, description) {
          const route = apigeeSandbox.product(live.ref.name!);
          const { body } = await apigeeSandbox.call(emulator, 'GET', route, { authorization });
          const put = await apigeeSandbox.call(emulator, 'PUT', route, { authorization, body: { ...body, description } });
          if (put.status !== 200) throw new Error(`out-of-band edit refused: ${JSON.stringify(put.body)}`);
        },
        close: () => emulator.close(),
      };
    },
    connect: (running, secret = running.secret) => getProviderKind('apigee')!.connect(target, { url: running.url, secret }),
  };
}

export const SUBJECTS: readonly Subject[] = [api7Subject(), apigeeSubject('edge'), apigeeSubject('x')];
