import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { manualClock, until } from '../helpers/clock.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { call, emulatorPool, gatewayBody, PRODUCTS, product } from './api7-harness.ts';

// The protocol: auth, envelopes, paging, filters, routing, recording and hooks.
const pool = emulatorPool();
test.after(pool.closeAll);

test('listens on 127.0.0.1 with a free port', async () => {
  const emulator = await pool.start();
  assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('refuses a missing or wrong X-API-KEY with 401', async () => {
  const emulator = await pool.start();
  const expected = { error_msg: 'unauthorized: invalid or missing X-API-KEY' };
  for (const token of [null, 'a7ee-wrong']) {
    const answer = await call(emulator, 'GET', '/api/version', { token });
    assert.is(answer.status, 401);
    assert.equal(answer.body, expected);
  }
});

test('serves the version as {value}', async () => {
  const answer = await call(await pool.start(), 'GET', '/api/version');
  assert.equal(answer, { status: 200, body: { value: '3.9.14' } });
});

test('unknown routes are 404, other methods on known routes 405', async () => {
  const emulator = await pool.start();
  assert.equal(await call(emulator, 'GET', '/api/nothing'), { status: 404, body: { error_msg: 'not found' } });
  assert.is((await call(emulator, 'GET', '/api/api_products/x/y')).status, 404);
  const response = await fetch(`${emulator.url}/api/portals`, { method: 'DELETE', headers: { 'X-API-KEY': 'a7ee-test-token' } });
  assert.is(response.status, 405);
  assert.is(response.headers.get('allow'), 'GET');
  assert.type(((await response.json()) as { error_msg: unknown }).error_msg, 'string');
});

test('lists are {list,total}, updated_at desc by default like the server, or as order_by/direction ask', async () => {
  const emulator = await pool.start();
  const answer = await call(emulator, 'GET', '/api/gateway_groups');
  assert.is(answer.status, 200);
  assert.is(answer.body.total, 2);
  assert.equal(
    answer.body.list.map((group: { id: string }) => group.id),
    ['gg-staging', 'gg-production'],
  );
  const ascending = await call(emulator, 'GET', '/api/gateway_groups?order_by=created_at&direction=asc');
  assert.equal(
    ascending.body.list.map((group: { id: string }) => group.id),
    ['gg-production', 'gg-staging'],
  );
});

test('the order of one listing follows products changed in place between its pages', async () => {
  const emulator = await pool.start();
  const ids = async () => (await call(emulator, 'GET', PRODUCTS)).body.list.map((listed: { id: string }) => listed.id);
  const products = emulator.state.products['portal-default']!;
  const [newest, oldest] = await ids();
  const edited = products.find((listed) => listed.id === oldest)!;
  edited.updated_at = Math.max(...products.map((listed) => listed.updated_at ?? 0)) + 1; // an edit moves it to page 1
  assert.equal(await ids(), [oldest, newest]);
  products.splice(products.indexOf(edited), 1);
  assert.equal(await ids(), [newest]);
});

test('a listing checks its cached order against the items on page 1; later pages trust it until a handler changes the state', async () => {
  const emulator = await pool.start();
  const seeded = emulator.state.products['portal-default']!;
  for (let i = 0; i < 28; i++) seeded.push({ ...seeded[0]!, id: `prod-bulk-${String(i).padStart(2, '0')}`, name: `bulk ${i}`, linked_gateway_services: [], updated_at: 100 + i });
  let itemReads = 0;
  emulator.state.products['portal-default'] = new Proxy(seeded, {
    get: (target, key, receiver) => (typeof key === 'string' && /^[0-9]+$/.test(key) && itemReads++, Reflect.get(target, key, receiver)),
  });
  const page = async (n: number) => (await call(emulator, 'GET', `${PRODUCTS}&page=${n}&page_size=5`)).body.list.map((listed: { id: string }) => listed.id);
  const first = await page(1);
  assert.ok(itemReads >= 30, 'page 1 compares every item');
  itemReads = 0;
  const rest = [await page(2), await page(3), await page(4), await page(5), await page(6)].flat();
  assert.is(itemReads, 0, 'pages 2–6 reuse the order without reading the items');
  assert.is(new Set([...first, ...rest]).size, 30);
  // An edit in place straight into the state shows from the next listing on.
  seeded.find((listed) => listed.id === rest.at(-1))!.updated_at = Math.max(...seeded.map((listed) => listed.updated_at ?? 0)) + 1;
  assert.equal(await page(6), rest.slice(-5));
  assert.is((await page(1))[0], rest.at(-1));
  // A change through the API shows on the very next page of a listing.
  const edited = rest.at(-2)!;
  const { value } = (await call(emulator, 'GET', `/api/api_products/${edited}?portal_id=portal-default`)).body;
  const put = await call(emulator, 'PUT', `/api/api_products/${edited}?portal_id=portal-default`, { body: { ...value, desc: 'edited' } });
  assert.is(put.status, 200, JSON.stringify(put.body));
  assert.not.ok((await page(6)).includes(edited), 'moved to page 1 by its new updated_at');
});

test('paging: page and page_size pick a slice, total counts everything', async () => {
  const emulator = await pool.start();
  const path = '/apisix/admin/services?gateway_group_id=gg-production&order_by=created_at&direction=asc';
  const firstPage = await call(emulator, 'GET', `${path}&page_size=2`);
  assert.equal(firstPage.body.list.map((s: { id: string }) => s.id), ['svc-payments', 'svc-orders']);
  assert.is(firstPage.body.total, 5);
  const lastPage = await call(emulator, 'GET', `${path}&page=3&page_size=2`);
  assert.equal(lastPage.body.list.map((s: { id: string }) => s.id), ['svc-billing']);
  const beyond = await call(emulator, 'GET', `${path}&page=9&page_size=2`);
  assert.equal(beyond.body, { list: [], total: 5 });
  const maximum = await call(emulator, 'GET', `${path}&page_size=500`);
  assert.is(maximum.body.list.length, 5);
});

test('paging: the default page size is 10', async () => {
  const emulator = await pool.start();
  for (let index = 0; index < 12; index++) emulator.state.dcrProviders.push({ id: `dcr-${index}`, name: `idp-${index}` });
  const answer = await call(emulator, 'GET', '/api/dcr_providers');
  assert.is(answer.body.list.length, 10);
  assert.is(answer.body.total, 13);
});

test('paging: out-of-range or non-integer page and page_size are 400', async () => {
  const emulator = await pool.start();
  for (const query of ['page_size=501', 'page_size=0', 'page_size=2.5', 'page_size=ten', 'page=0', 'page=-1', 'page=']) {
    const answer = await call(emulator, 'GET', `/api/portals?${query}`);
    assert.is(answer.status, 400, query);
    assert.type(answer.body.error_msg, 'string');
  }
});

test('portals: search filters by name substring', async () => {
  const emulator = await pool.start();
  emulator.state.portals.push({ id: 'portal-partners', name: 'partners', created_at: 1, updated_at: 1 });
  const found = await call(emulator, 'GET', '/api/portals?search=defa');
  assert.equal(found.body.list.map((p: { id: string }) => p.id), ['portal-default']);
  assert.is(found.body.total, 1);
  assert.equal((await call(emulator, 'GET', '/api/portals?search=none')).body, { list: [], total: 0 });
  assert.is((await call(emulator, 'GET', '/api/portals')).body.total, 2);
});

test('gateway groups: name is an exact filter, search a substring one', async () => {
  const emulator = await pool.start();
  const byName = await call(emulator, 'GET', '/api/gateway_groups?name=staging');
  assert.equal(byName.body.list.map((g: { id: string }) => g.id), ['gg-staging']);
  assert.is((await call(emulator, 'GET', '/api/gateway_groups?name=stag')).body.total, 0);
  assert.is((await call(emulator, 'GET', '/api/gateway_groups?search=ion')).body.list[0].id, 'gg-production');
});

test('services: gateway_group_id is required and must exist', async () => {
  const emulator = await pool.start();
  const missing = await call(emulator, 'GET', '/apisix/admin/services');
  assert.is(missing.status, 400);
  assert.match(missing.body.error_msg, 'gateway_group_id');
  const unknown = await call(emulator, 'GET', '/apisix/admin/services?gateway_group_id=gg-nowhere');
  assert.equal(unknown, { status: 404, body: { error_msg: 'gateway group not found' } });
  const staging = await call(emulator, 'GET', '/apisix/admin/services?gateway_group_id=gg-staging&order_by=created_at&direction=asc');
  assert.equal(staging.body.list[0].hosts, ['pay.staging.example.com']);
});

test('dcr providers are listed', async () => {
  const answer = await call(await pool.start(), 'GET', '/api/dcr_providers');
  assert.equal(answer.body, { list: [{ id: 'dcr-corp-idp', name: 'corp-idp' }], total: 1 });
});

test('products: portal_id is required and must exist', async () => {
  const emulator = await pool.start();
  const missing = await call(emulator, 'GET', '/api/api_products');
  assert.is(missing.status, 400);
  assert.match(missing.body.error_msg, 'portal_id');
  for (const [method, path] of [
    ['GET', '/api/api_products?portal_id=portal-nowhere'],
    ['POST', '/api/api_products?portal_id=portal-nowhere'],
    ['GET', '/api/api_products/prod-orders?portal_id=portal-nowhere'],
  ] as const) {
    const answer = await call(emulator, method, path, { body: method === 'POST' ? gatewayBody() : undefined });
    assert.equal(answer, { status: 404, body: { error_msg: 'portal not found' } }, `${method} ${path}`);
  }
});

test('the seed: one drifted product of ours and one unmanaged product', async () => {
  const answer = await call(await pool.start(), 'GET', PRODUCTS);
  assert.is(answer.body.total, 2);
  const [orders, billing] = answer.body.list;
  assert.is(orders.name, 'Orders API');
  assert.is(orders.labels['managed-by'], 'apiproducts');
  assert.is(orders.visibility, 'public');
  assert.is(billing.name, 'Legacy Billing');
  assert.is(billing.labels['managed-by'], undefined);
  assert.equal(seedApi7State(), seedApi7State(), 'the seed is deterministic');
});

test('malformed JSON bodies are 400', async () => {
  const emulator = await pool.start();
  for (const rawBody of ['{"name": ', '[]', '"text"', '']) {
    const answer = await call(emulator, 'POST', PRODUCTS, { rawBody });
    assert.is(answer.status, 400, rawBody);
    assert.type(answer.body.error_msg, 'string');
  }
});

test('every request is recorded with its pathname and status', async () => {
  const emulator = await pool.start();
  await call(emulator, 'GET', '/api/version');
  await call(emulator, 'GET', PRODUCTS, { token: null });
  await call(emulator, 'DELETE', product('prod-nothing'));
  assert.equal(emulator.requests, [
    { method: 'GET', path: '/api/version', status: 200 },
    { method: 'GET', path: '/api/api_products', status: 401 },
    { method: 'DELETE', path: '/api/api_products/prod-nothing', status: 404 },
  ]);
});

test('recordRequests: false keeps no request log (a serve left running), and still counts every request', async () => {
  const emulator = await pool.start({ recordRequests: false });
  for (let i = 0; i < 5; i++) await call(emulator, 'GET', '/api/version');
  await call(emulator, 'GET', PRODUCTS, { token: null });
  assert.equal(emulator.requests, []);
  assert.is(emulator.counters.requests, 6);
});

test('onMutation sees the state after each successful change only', async () => {
  const seen: number[] = [];
  const emulator = await pool.start({ onMutation: (state) => seen.push(Object.values(state.products).flat().length) });
  await call(emulator, 'GET', PRODUCTS);
  await call(emulator, 'POST', PRODUCTS, { body: { name: 'No type' } });
  await call(emulator, 'POST', PRODUCTS, { body: gatewayBody() });
  await call(emulator, 'DELETE', product('prod-orders'));
  assert.equal(seen, [3, 2]);
});

test('latencyMs delays every response (on a manual clock: not answered at 39 ms, answered at 40)', async () => {
  const clock = manualClock();
  const emulator = await pool.start({ latencyMs: 40, faultClock: clock });
  let answered = false;
  const answer = call(emulator, 'GET', '/api/version').then((a) => ((answered = true), a));
  await until(() => clock.sleeping === 1);
  await clock.advance(39);
  assert.is(answered, false, 'answered before its latency');
  await clock.advance(1);
  assert.is((await answer).status, 200);
});

test.run();
