/**
 * The Apigee management API calls apiproducts makes (routes in wire.ts), over the shared HTTP
 * client. Products are listed with `expand=true` in pages of 1000, never one GET per product.
 */
import type { TargetConfig } from '../../model/target.ts';
import { createHttpClient, oneLine, type HttpClient } from '../http.ts';
import { ProviderError, type Endpoint } from '../provider.ts';
import {
  FLAVOURS,
  PAGE_SIZE,
  type ApigeeEnvironmentList,
  type ApigeeFlavour,
  type ApigeeProduct,
  type ApigeeProductBody,
  type ApigeeProductList,
  type ApigeeProxyList,
  type EdgeErrorBody,
  type XErrorBody,
} from './wire.ts';

export interface ApigeeClient {
  /** Every API product of the org, all pages. */
  listProducts(): Promise<ApigeeProduct[]>;
  /** Names of the org's API proxies. */
  listProxies(): Promise<string[]>;
  listEnvironments(): Promise<string[]>;
  createProduct(body: ApigeeProductBody): Promise<void>;
  /** A full replace: fields missing from `body` are cleared. */
  replaceProduct(name: string, body: ApigeeProductBody): Promise<void>;
  deleteProduct(name: string): Promise<void>;
}

export function flavourOf(target: TargetConfig): ApigeeFlavour | undefined {
  const flavour = target.settings.flavour;
  return FLAVOURS.find((known) => known === flavour);
}

export function orgOf(target: TargetConfig): string | undefined {
  const org = target.settings.org;
  return typeof org === 'string' && org !== '' ? org : undefined;
}

/** Edge `{code, message}` or gateway `{fault}`, X `{error: {message}}`; else the raw body. */
export function describeApigeeError(_status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as (EdgeErrorBody & XErrorBody) | null;
    const message = parsed?.error?.message ?? parsed?.message ?? parsed?.fault?.faultstring;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw body is all there is.
  }
  return body;
}

/** The value of the variable a setting names, read only when a request is made. */
function readVariable(target: TargetConfig, setting: string, holds: string): string {
  const variable = target.settings[setting];
  if (typeof variable !== 'string' || variable === '') {
    throw new ProviderError(`target ${target.name}: ${setting} is not set (the name of the environment variable holding ${holds})`);
  }
  const value = process.env[variable];
  if (value === undefined || value === '') {
    throw new ProviderError(`environment variable ${variable} is not set (it must hold ${holds})`);
  }
  return value;
}

interface Credentials {
  header: string;
  /** Every secret part, masked if a server ever echoes one back. */
  secrets: string[];
}

/**
 * Sandbox: Bearer with the emulator's secret. Edge: Bearer from tokenEnv, else Basic from
 * usernameEnv + passwordEnv. X: Bearer from tokenEnv only (reference §6).
 */
function readCredentials(target: TargetConfig, endpoint: Endpoint): Credentials {
  if (endpoint.secret !== undefined) return { header: `Bearer ${endpoint.secret}`, secrets: [endpoint.secret] };
  const { tokenEnv, usernameEnv, passwordEnv } = target.settings;
  const flavour = flavourOf(target);
  if (tokenEnv !== undefined || flavour === 'x' || (usernameEnv === undefined && passwordEnv === undefined)) {
    const token = readVariable(target, 'tokenEnv', `the Apigee ${flavour === 'x' ? 'X (Google Cloud)' : 'Edge'} OAuth access token`);
    return { header: `Bearer ${token}`, secrets: [token] };
  }
  const username = readVariable(target, 'usernameEnv', 'the Apigee Edge user name');
  const password = readVariable(target, 'passwordEnv', 'the Apigee Edge password');
  const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  return { header: `Basic ${encoded}`, secrets: [password, encoded] };
}

/** Names from `["a"]`, `[{name: "a"}]` or `{proxies: [{name: "a"}]}`: the flavours differ here. */
function names(list: ApigeeProxyList | ApigeeEnvironmentList | Record<string, unknown> | undefined): string[] {
  const items: unknown[] = Array.isArray(list) ? list : (Object.values(list ?? {}).find(Array.isArray) ?? []);
  return items
    .map((item) => (typeof item === 'string' ? item : (item as { name?: unknown } | null)?.name))
    .filter((name): name is string => typeof name === 'string');
}

export function createApigeeClient(target: TargetConfig, endpoint: Endpoint, timeoutMs?: number): ApigeeClient {
  const org = orgOf(target);
  let secrets: string[] = [];
  const http: HttpClient = createHttpClient({
    baseUrl: endpoint.url,
    headers: () => {
      const credentials = readCredentials(target, endpoint);
      secrets = credentials.secrets;
      return { authorization: credentials.header };
    },
    // The shared client masks whole header values; a server echoing only the token is masked here.
    describeError: (status, body) => oneLine(describeApigeeError(status, body), secrets),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const orgPath = (suffix: string): string => {
    if (!org) throw new ProviderError(`target ${target.name} has no org (the Apigee organization name)`);
    return `/v1/organizations/${encodeURIComponent(org)}${suffix}`;
  };
  const productPath = (name: string): string => orgPath(`/apiproducts/${encodeURIComponent(name)}`);

  return {
    async listProducts() {
      const path = orgPath('/apiproducts');
      const byName = new Map<string, ApigeeProduct>();
      let startKey: string | undefined;
      for (;;) {
        const page = await http.request<ApigeeProductList | unknown[] | undefined>('GET', path, {
          query: { expand: true, count: PAGE_SIZE, startKey },
        });
        if (Array.isArray(page)) {
          throw new ProviderError(`GET ${path} answered a list of names although expand=true was asked; this server cannot be observed`);
        }
        // X answers `{}` for an empty org.
        const items = page?.apiProduct ?? [];
        // startKey is inclusive: a follow-up page repeats the last item of the one before.
        const fresh = items.filter((item, index) => !(index === 0 && item.name === startKey) && !byName.has(item.name));
        for (const item of fresh) byName.set(item.name, item);
        // A short page is the last; a page with nothing new means the server ignores startKey.
        if (items.length < PAGE_SIZE || fresh.length === 0) break;
        startKey = items[items.length - 1]!.name;
      }
      return [...byName.values()];
    },
    listProxies: async () => names(await http.request<ApigeeProxyList>('GET', orgPath('/apis'))),
    listEnvironments: async () => names(await http.request<ApigeeEnvironmentList>('GET', orgPath('/environments'))),
    async createProduct(body) {
      await http.request<unknown>('POST', orgPath('/apiproducts'), { body });
    },
    async replaceProduct(name, body) {
      await http.request<unknown>('PUT', productPath(name), { body });
    },
    async deleteProduct(name) {
      await http.request<unknown>('DELETE', productPath(name));
    },
  };
}
