/**
 * The emulators' shared fault layer (src/sandbox/faults.ts) over real HTTP, for both emulators:
 * rate limit with both Retry-After forms, 5xx and drops before or after processing on the Nth
 * request to a route, slow answers beyond a client timeout, latency, determinism under a seed,
 * counters; and the `sandbox serve` flags that expose it.
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFaultFlags } from '../../src/commands/fault-flags.ts';
import { UserError } from '../../src/model/diagnostic.ts';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { startApigeeEmulator, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState } from '../../src/sandbox/apigee/state.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { realClock, type FaultClock, type FaultOptions } from '../../src/sandbox/fault-options.ts';
import { CLOCK_START, manualClock, until } from '../helpers/clock.ts';
import { cliPath, copyExampleProject, runCli } from '../helpers/project.ts';

const TOKEN = 'faults-test-token-0001';
const PORTAL = 'portal-default';
const open: (Api7Emulator | ApigeeEmulator)[] = [];
test.after(async () => {
  await Promise.all(open.map((e) => e.close()));
});

async function api7(faults?: FaultOptions, faultClock?: FaultClock): Promise<Api7Emulator> {
  const emulator = await startApi7Emulator({ token: TOKEN, state: seedApi7State(), ...(faults ? { faults } : {}), ...(faultClock ? { faultClock } : {}) });
  open.push(emulator);
  return emulator;
}

async function apigee(flavour: 'edge' | 'x', faults?: FaultOptions, faultClock?: FaultClock): Promise<ApigeeEmulator> {
  const emulator = await startApigeeEmulator({ flavour, org: 'acme', credentials: { token: TOKEN }, state: seedApigeeState('acme'), ...(faults ? { faults } : {}), ...(faultClock ? { faultClock } : {}) });
  open.push(emulator);
  return emulator;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

/** One request; a dropped connection is status 0. */
async function call(url: string, method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<Answer> {
  try {
    const response = await fetch(url + path, {
      method,
      headers: { 'X-API-KEY': TOKEN, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { status: -1, retryAfter: null, body: undefined };
    return { status: 0, retryAfter: null, body: undefined };
  }
}

const API7_PRODUCTS = `/api/api_products?portal_id=${PORTAL}`;
const newProduct = (name: string) => ({ name, type: 'external', status: 'draft', visibility: 'public', labels: {}, raw_openapi: '{}', server_urls: ['https://x.example.com'] });

test('no faults: every request answered at once and counted, nothing refused', async () => {
  const a = await api7();
  const g = await apigee('edge');
  for (let i = 0; i < 5; i++) {
    assert.is((await call(a.url, 'GET', API7_PRODUCTS)).status, 200);
    assert.is((await call(g.url, 'GET', '/v1/organizations/acme/apiproducts')).status, 200);
  }
  for (const e of [a, g]) assert.equal({ ...e.counters, maxInFlight: 0 }, { requests: 5, rateLimited: 0, failed: 0, dropped: 0, slowed: 0, inFlight: 0, maxInFlight: 0 });
});

test('rate limit: the bucket empties, 429 with Retry-After in seconds or as an HTTP-date, in each emulator\'s error body', async () => {
  // On a manual clock: no time passes between the requests unless the test says so.
  const clock = manualClock();
  const a = await api7({ rateLimit: { perSecond: 1, burst: 3 } }, clock);
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push(await call(a.url, 'GET', API7_PRODUCTS));
  assert.equal(statuses.map((s) => s.status), [200, 200, 200, 429, 429]);
  assert.is(statuses[3]!.retryAfter, '1');
  assert.equal(statuses[3]!.body, { error_msg: 'rate limit exceeded: at most 1 requests per second' });
  assert.is(a.counters.rateLimited, 2);
  // Retry-After said one second: after it, exactly one request is granted.
  await clock.advance(1000);
  assert.equal([(await call(a.url, 'GET', API7_PRODUCTS)).status, (await call(a.url, 'GET', API7_PRODUCTS)).status], [200, 429]);

  const x = await apigee('x', { rateLimit: { perSecond: 0.5, burst: 1, retryAfter: 'http-date' } }, manualClock());
  await call(x.url, 'GET', '/v1/organizations/acme/apiproducts');
  const limited = await call(x.url, 'GET', '/v1/organizations/acme/apiproducts');
  assert.is(limited.status, 429);
  // An empty bucket at 0.5/s has its next token in 2 s: the date is the clock's now + 2 s.
  assert.is(limited.retryAfter, new Date(CLOCK_START + 2000).toUTCString());
  assert.is(limited.body.error.status, 'RESOURCE_EXHAUSTED');
});

test('the token bucket refills at its rate (fake clock)', () => {
  let now = 0;
  const injector = new FaultInjector({ rateLimit: { perSecond: 10, burst: 2 } }, { now: () => now, sleep: realClock.sleep });
  const take = () => (injector as unknown as { takeToken(): unknown }).takeToken() === undefined;
  assert.equal([take(), take(), take()], [true, true, false]);
  now += 100;
  assert.equal([take(), take()], [true, false]);
  now += 1000;
  assert.equal([take(), take(), take()], [true, true, false]);
});

test('the Nth request to a route: 503 before processing changes nothing; 500 after processing changes the state', async () => {
  const a = await api7({ rules: [{ method: 'POST', path: '/api/api_products', nth: 2, fault: 'fail' }, { method: 'POST', path: '/api/api_products', nth: 3, fault: 'fail', status: 500, phase: 'after' }] });
  const names = () => a.state.products[PORTAL]!.map((p) => p.name);
  const before = names().length;
  assert.is((await call(a.url, 'POST', API7_PRODUCTS, newProduct('one'))).status, 200);
  const refused = await call(a.url, 'POST', API7_PRODUCTS, newProduct('two'));
  assert.equal([refused.status, refused.body], [503, { error_msg: 'injected failure' }]);
  assert.not.ok(names().includes('two'));
  assert.is((await call(a.url, 'POST', API7_PRODUCTS, newProduct('three'))).status, 500);
  assert.ok(names().includes('three'), 'made, although the answer said 500');
  assert.is(names().length, before + 2);
  assert.equal(a.requests.slice(-3).map((r) => r.status), [200, 503, 500]);
});

test('dropped connections: before processing nothing changes; after processing the change is made and the answer lost', async () => {
  const g = await apigee('edge', { rules: [{ method: 'POST', body: '"name":"lost"', fault: 'drop' }, { method: 'POST', body: '"name":"made"', fault: 'drop', phase: 'after' }] });
  const product = (name: string) => ({ name, displayName: name, approvalType: 'auto', attributes: [], apiResources: [], environments: ['prod'], proxies: ['orders-v2'], scopes: [] });
  assert.is((await call(g.url, 'POST', '/v1/organizations/acme/apiproducts', product('lost'))).status, 0);
  assert.is((await call(g.url, 'POST', '/v1/organizations/acme/apiproducts', product('made'))).status, 0);
  assert.not.ok(g.state.products['lost']);
  assert.ok(g.state.products['made']);
  assert.is(g.counters.dropped, 2);
  assert.equal(g.requests.map((r) => r.status), [0, 0]);
});

test('slow answers outlast a client timeout; closing the emulator does not wait for them', async () => {
  // A manual clock that is never advanced: the slow answer would never come; close() must end it.
  const clock = manualClock();
  const a = await api7({ slowRate: 1, slowMs: 30_000 }, clock);
  assert.is((await call(a.url, 'GET', API7_PRODUCTS, undefined, 100)).status, -1);
  assert.is(a.counters.slowed, 1);
  assert.is(clock.sleeping, 1, 'the answer is held back');
  await a.close(); // resolves only because the pending wait was ended (else the runner's hang guard fails the file)
  assert.is(a.counters.inFlight, 0);
});

test('latency: fixed, or random within its range (on a manual clock)', async () => {
  const clock = manualClock();
  const a = await api7({ latencyMs: { min: 40, max: 80 } }, clock);
  for (let i = 0; i < 3; i++) {
    let answered = false;
    const answer = call(a.url, 'GET', API7_PRODUCTS).then((r) => ((answered = true), r));
    await until(() => clock.sleeping === 1);
    await clock.advance(39);
    assert.is(answered, false, `request ${i + 1} answered before the least latency`);
    await clock.advance(41);
    assert.is((await answer).status, 200, `request ${i + 1} not answered by the most latency`);
  }
});

test('deterministic under a seed: the same requests meet the same faults; another seed, other faults', async () => {
  const run = async (seed: number) => {
    const a = await api7({ failRate: 0.3, dropRate: 0.2, seed });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(a.url, 'GET', API7_PRODUCTS)).status);
    return statuses.join(',');
  };
  const first = await run(7);
  assert.is(await run(7), first);
  assert.is.not(await run(8), first);
  assert.match(first, /503/);
  assert.match(first, /(^|,)0(,|$)/);
});

test('faults can be changed on a running emulator; bad options are refused', async () => {
  const a = await api7({ failRate: 1 });
  assert.is((await call(a.url, 'GET', API7_PRODUCTS)).status, 503);
  a.faults.configure({});
  assert.is((await call(a.url, 'GET', API7_PRODUCTS)).status, 200);
  assert.throws(() => a.faults.configure({ failRate: 2 }), /failRate must be between 0 and 1/);
  assert.throws(() => a.faults.configure({ failStatus: 404 }), /failStatus must be a 5xx/);
});

test('sandbox serve flags map onto the fault options; bad values are usage errors', () => {
  assert.is(parseFaultFlags({}), undefined);
  assert.equal(parseFaultFlags({ latency: '50ms', 'rate-limit': '6000/min', burst: '20', 'retry-after': 'http-date', 'fail-rate': '0.1', 'drop-rate': '0.05', 'slow-ms': '45s', 'slow-rate': '0.01', seed: '9' }), {
    latencyMs: 50,
    rateLimit: { perSecond: 100, retryAfter: 'http-date', burst: 20 },
    failRate: 0.1,
    dropRate: 0.05,
    slowMs: 45_000,
    slowRate: 0.01,
    seed: 9,
  });
  assert.equal(parseFaultFlags({ latency: '20ms-80ms', 'slow-ms': '2s' }), { latencyMs: { min: 20, max: 80 }, slowMs: 2000, slowRate: 1 });
  assert.equal(parseFaultFlags({ 'fail-rate': '0.5', 'fail-status': '502', 'fail-phase': 'after', 'drop-rate': '1', 'drop-phase': 'before' }), {
    failRate: 0.5,
    failStatus: 502,
    failPhase: 'after',
    dropRate: 1,
    dropPhase: 'before',
  });
  for (const [flags, message] of [
    [{ 'rate-limit': 'fast' }, '--rate-limit must look like 100/s or 6000/min'],
    [{ 'fail-rate': '1.5' }, '--fail-rate must be a share between 0 and 1'],
    [{ latency: 'slow' }, '--latency must be a duration'],
    [{ burst: '3' }, '--burst and --retry-after go with --rate-limit'],
    [{ 'fail-status': '404' }, '--fail-status must be an integer of at least 500'],
    [{ 'drop-phase': 'during' }, '--drop-phase must be before, after or random'],
  ] as const) {
    assert.throws(() => parseFaultFlags(flags), (error: unknown) => error instanceof UserError && error.message.startsWith(message));
  }
});

test('apiproducts sandbox serve --rate-limit …: 429s over HTTP, counters printed on Ctrl-C', async () => {
  const cwd = copyExampleProject();
  const child = spawn(process.execPath, [cliPath, 'sandbox', 'serve', '--target', 'sandbox-api7', '--rate-limit', '1/s', '--burst', '2', '--latency', '5ms'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 10_000;
  while (!/Press Ctrl-C/.test(stdout)) {
    if (Date.now() > deadline) throw new Error(`serve did not start: ${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.match(stdout, 'Faults: latency 5 ms, rate limit 1/s (burst 2, Retry-After as seconds), seed 1');
  const url = /listening on (\S+)/.exec(stdout)![1]!;
  const token = /token: (\S+)/.exec(stdout)![1]!;
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${url}/api/portals`, { headers: { 'X-API-KEY': token } });
    await response.text();
    statuses.push(response.status);
  }
  assert.equal(statuses, [200, 200, 429]);
  child.kill('SIGINT');
  assert.is(await exited, 0);
  assert.match(stdout, 'sandbox-api7: 3 requests, 1 answered 429, 0 failed, 0 dropped, 0 slow, at most 1 at once');
  const reset = await runCli(['sandbox', 'reset', '--fail-rate', '0.5'], { cwd });
  assert.is(reset.code, 1);
  assert.match(reset.stderr, 'fault flags (--latency, --rate-limit, …) go with `sandbox serve`, not reset');
});

test.run();
