import { startApigeeEmulator, type ApigeeEmulator, type ApigeeEmulatorOptions } from '../../src/sandbox/apigee/server.ts';
import type { ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';

export const TOKEN = 'apigee-test-token';
export const USER = 'alice@example.com';
export const PASSWORD = 's3cret';
export const ORG = 'acme';
/** The pinned clock of every emulator started here, in unix milliseconds. */
export const NOW = 1800000000000;
export const FLAVOURS: readonly ApigeeFlavour[] = ['edge', 'x'];
export const ORG_PATH = `/v1/organizations/${ORG}`;
export const PRODUCTS = `${ORG_PATH}/apiproducts`;
export const product = (name: string): string => `${PRODUCTS}/${encodeURIComponent(name)}`;

/** Emulators started by one test file, each on a fresh seed, all closed by `closeAll`. */
export function emulatorPool() {
  const running: ApigeeEmulator[] = [];
  return {
    async start(flavour: ApigeeFlavour, options: Partial<ApigeeEmulatorOptions> = {}): Promise<ApigeeEmulator> {
      const credentials = flavour === 'edge' ? { token: TOKEN, username: USER, password: PASSWORD } : { token: TOKEN };
      const emulator = await startApigeeEmulator({ flavour, org: ORG, credentials, now: () => NOW, ...options });
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
  /** The Authorization header; `null` sends none. Defaults to `Bearer TOKEN`. */
  authorization?: string | null;
  /** Defaults to application/json; `null` sends none. */
  contentType?: string | null;
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** One request over real HTTP. */
export async function call(emulator: ApigeeEmulator, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const authorization = options.authorization === undefined ? `Bearer ${TOKEN}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  return { status: response.status, body: await response.json() };
}

/** A valid product body on seeded proxies and environments. */
export function productBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'payments',
    displayName: 'Payments API',
    description: 'Accept card payments.',
    approvalType: 'manual',
    attributes: [
      { name: 'access', value: 'public' },
      { name: 'managed-by', value: 'apiproducts' },
    ],
    apiResources: ['/charges/**', '/refunds'],
    environments: ['prod'],
    proxies: ['payments-v1'],
    scopes: ['payments.read'],
    quota: '100',
    quotaInterval: '1',
    quotaTimeUnit: 'minute',
    ...overrides,
  };
}

/** The Edge error code of an answer, whatever the flavour (X carries it in details, reference §5). */
export function edgeCode(answer: Answer): string | undefined {
  return answer.body.code ?? answer.body.error?.details?.[0]?.violations?.[0]?.type;
}

/** Checks the flavour's error envelope and returns its message. */
export function errorMessage(flavour: ApigeeFlavour, answer: Answer): string {
  if (flavour === 'edge') {
    if (typeof answer.body.code !== 'string' || !Array.isArray(answer.body.contexts)) throw new Error(`not an Edge error: ${JSON.stringify(answer.body)}`);
    return answer.body.message;
  }
  const error = answer.body.error;
  if (error?.code !== answer.status || typeof error.status !== 'string') throw new Error(`not an X error: ${JSON.stringify(answer.body)}`);
  return error.message;
}
