import { startApi7Emulator, type Api7Emulator, type Api7EmulatorOptions } from '../../src/sandbox/api7/server.ts';

export const TOKEN = 'a7ee-test-token';
/** The pinned clock of every emulator started here, in unix seconds. */
export const NOW = 1800000000;
export const PORTAL = 'portal-default';
export const PRODUCTS = `/api/api_products?portal_id=${PORTAL}`;
export const product = (id: string): string => `/api/api_products/${id}?portal_id=${PORTAL}`;

/** Emulators started by one test file, each on a fresh seed, all closed by `closeAll`. */
export function emulatorPool() {
  const running: Api7Emulator[] = [];
  return {
    async start(options: Partial<Api7EmulatorOptions> = {}): Promise<Api7Emulator> {
      const emulator = await startApi7Emulator({ token: TOKEN, now: () => NOW, ...options });
      running.push(emulator);
      return emulator;
    },
    async closeAll(): Promise<void> {
      await Promise.all(running.map((emulator) => emulator.close()));
    },
  };
}

export interface Answer {
  status: number;
  // Tests index freely into whatever JSON came back.
  body: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent verbatim instead of `body`, for malformed requests. */
  rawBody?: string;
  /** `null` sends no X-API-KEY at all. */
  token?: string | null;
}

/** One request over real HTTP. */
export async function call(emulator: Api7Emulator, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers['X-API-KEY'] = token;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  return { status: response.status, body: await response.json() };
}

/** A valid gateway product body on a seeded service nobody links yet. */
export function gatewayBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Payments API',
    desc: 'Accept card payments.',
    type: 'gateway',
    visibility: 'public',
    status: 'published',
    labels: { 'managed-by': 'apiproducts', 'apiproducts-name': 'payments' },
    auth: { 'key-auth': {} },
    linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-payments', linked_hosts: ['pay.example.com'] }],
    ...overrides,
  };
}

/** A valid external product body. */
export function externalBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Weather Partner API',
    type: 'external',
    status: 'published',
    raw_openapi: 'openapi: 3.0.3\ninfo: {title: Weather, version: "2"}\npaths: {}\n',
    server_urls: ['https://api.weather-partner.example.com/v2'],
    ...overrides,
  };
}
