/**
 * Writes per second that `apiproducts sandbox serve` sustains: the built CLI serves an API7
 * sandbox whose state holds `products` products, and a client replaces `writes` of them (PUT)
 * with `concurrency` requests in flight over keep-alive connections. The state file is checked
 * afterwards: every write is in it once serve has stopped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { portalId, seedApi7State } from '../src/sandbox/api7/state.ts';
import type { Api7Product } from '../src/sandbox/api7/wire.ts';
import { seedApigeeState, type ApigeeStoredProduct } from '../src/sandbox/apigee/state.ts';
import type { ServeFigures } from './figures.ts';
import { spread } from './process-run.ts';

export interface ServeWritesOptions {
  build: string;
  provider: 'api7' | 'apigee';
  products: number;
  writes: number;
  concurrency: number;
}

export interface ServeWritesRun {
  perSecond: number;
  wallMs: number;
  failed: number;
  /** Writes found in the state file after serve stopped. */
  saved: number;
}

const MARK = 'written by the bench';

/** How to fill one vendor's sandbox with `products` products and replace one of them. */
interface ServeVendor {
  target: string;
  /** The target's lines of apiproducts.yaml after `provider:` and `sandbox: true`. */
  settings: string;
  /** The state file's content, and the products' ids in it. */
  state(products: number): { state: object; ids: string[] };
  path(id: string): string;
  headers(token: string): Record<string, string>;
  /** The body of a replace of product `id`: the stored product with the bench's description. */
  body(state: object, id: string): object;
  /** How many products of a saved state carry the bench's description. */
  written(state: object): number;
}

const VENDORS: Record<ServeWritesOptions['provider'], ServeVendor> = {
  api7: {
    target: 'sandbox-api7',
    settings: '    portal: default\n',
    state(products) {
      const state = seedApi7State();
      // None linked to a service: a service backs one product only.
      const { linked_gateway_services: _links, ...unlinked } = state.products[portalId('default')]![0]!;
      const ids = Array.from({ length: products }, (_, i) => `prod-bench-${i}`);
      state.products[portalId('default')] = ids.map((id, i) => ({ ...unlinked, id, name: `bench-${i}`, labels: {} }) as Api7Product);
      return { state, ids };
    },
    path: (id) => `/api/api_products/${encodeURIComponent(id)}?portal_id=${portalId('default')}`,
    headers: (token) => ({ 'x-api-key': token }),
    body(state, id) {
      const product = (state as ReturnType<typeof seedApi7State>).products[portalId('default')]!.find((p) => p.id === id)!;
      const { id: _id, created_at: _c, updated_at: _u, ...fields } = product;
      return { ...fields, desc: MARK };
    },
    written: (state) => (state as ReturnType<typeof seedApi7State>).products[portalId('default')]!.filter((p) => p.desc === MARK).length,
  },
  apigee: {
    target: 'sandbox-apigee',
    settings: '    flavour: edge\n    org: sandbox\n',
    state(products) {
      const state = seedApigeeState('sandbox', 'edge');
      const template = state.products.orders!;
      const ids = Array.from({ length: products }, (_, i) => `bench-${i}`);
      state.products = Object.fromEntries(ids.map((name) => [name, { ...template, name, displayName: name, attributes: [] } as ApigeeStoredProduct]));
      return { state, ids };
    },
    path: (id) => `/v1/organizations/sandbox/apiproducts/${encodeURIComponent(id)}`,
    headers: (token) => ({ authorization: `Bearer ${token}` }),
    body(state, id) {
      const { createdAt: _a, createdBy: _b, lastModifiedAt: _c, lastModifiedBy: _d, ...fields } = (state as ReturnType<typeof seedApigeeState>).products[id]!;
      return { ...fields, description: MARK };
    },
    written: (state) => Object.values((state as ReturnType<typeof seedApigeeState>).products).filter((p) => p.description === MARK).length,
  },
};

function put(agent: Agent, url: URL, path: string, headers: Record<string, string>, body: object): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      new URL(path, url),
      { method: 'PUT', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on('error', reject);
    sent.end(text);
  });
}

/** Starts serve, waits for its URL and token, runs the writes, stops it with SIGINT, reads the state file. */
export async function runServeWrites(options: ServeWritesOptions): Promise<ServeWritesRun> {
  const cwd = mkdtempSync(join(tmpdir(), 'apiproducts-bench-serve-'));
  try {
    mkdirSync(join(cwd, 'products'));
    const vendor = VENDORS[options.provider];
    writeFileSync(join(cwd, 'apiproducts.yaml'), `targets:\n  ${vendor.target}:\n    provider: ${options.provider}\n    sandbox: true\n${vendor.settings}`);
    const stateFile = join(cwd, '.apiproducts', 'sandbox', `${vendor.target}.json`);
    mkdirSync(join(cwd, '.apiproducts', 'sandbox'), { recursive: true });
    const { state, ids } = vendor.state(options.products);
    // Bodies made before the clock starts: the client's own JSON work is not the server's.
    const bodies = ids.slice(0, options.writes).map((id) => ({ path: vendor.path(id), body: vendor.body(state, id) }));
    writeFileSync(stateFile, JSON.stringify(state));
    const child = spawn(process.execPath, [join(options.build, 'dist', 'src', 'cli.js'), 'sandbox', 'serve', '--chdir', cwd], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    const { url, token } = await new Promise<{ url: URL; token: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on (\S+)\n\s+token: (\S+)/.exec(out);
        if (match) resolve({ url: new URL(match[1]!), token: match[2]! });
      });
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('exit', (code) => reject(new Error(`sandbox serve exited ${code} before listening: ${err.slice(0, 500)}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const headers = vendor.headers(token);
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: options.concurrency }, async () => {
      while (next < options.writes) {
        const { path, body } = bodies[next++ % bodies.length]!;
        if ((await put(agent, url, path, headers, body)) !== 200) failed++;
      }
    }));
    const wallMs = performance.now() - started;
    agent.destroy();
    child.kill('SIGINT');
    await exited;
    const saved = vendor.written(JSON.parse(readFileSync(stateFile, 'utf8')) as object);
    return { perSecond: options.writes / (wallMs / 1000), wallMs, failed, saved };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** `runs` runs of each vendor's `sandbox serve` writes, by this checkout's build. */
export async function servePart(build: string, providers: readonly string[], options: { runs: number; writes: number; products: number; concurrency: number; log: (line: string) => void }): Promise<ServeFigures[]> {
  const figures: ServeFigures[] = [];
  for (const provider of providers) {
    if (!(provider in VENDORS)) continue;
    const runs: ServeWritesRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      options.log(`serve: ${provider}: ${options.writes} PUTs, ${options.concurrency} in flight, ${options.products} products, run ${run + 1} of ${options.runs}`);
      runs.push(await runServeWrites({ build, provider: provider as ServeWritesOptions['provider'], products: options.products, writes: options.writes, concurrency: options.concurrency }));
    }
    figures.push({
      provider,
      products: options.products,
      writes: options.writes,
      concurrency: options.concurrency,
      runs: options.runs,
      perSecond: spread(runs.map((r) => r.perSecond)),
      failed: runs.reduce((n, r) => n + r.failed, 0),
      allSaved: runs.every((r) => r.saved === options.writes),
    });
  }
  return figures;
}
