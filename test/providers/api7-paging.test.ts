/**
 * API7 paging you can trust (issue 14 item 4), over real HTTP against the emulator: a stable order
 * survives another client's edit between two page reads, and a server that refuses large pages is
 * still read whole, the size it accepted being kept for the rest of the run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApi7Client } from '../../src/providers/api7/client.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { expectPage, fetchAllPages, PageSizes, readFirstPage, type Page } from '../../src/providers/transport/paging.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { startApi7Emulator, type Api7Emulator, type Api7EmulatorOptions } from '../../src/sandbox/api7/server.ts';
import { portalId, seedApi7State } from '../../src/sandbox/api7/state.ts';
import { sandboxTarget, TOKEN } from './api7-fixtures.ts';

const PORTAL = portalId('default');
const SEEDED_AT = 1767225600;
const LATER = 1780000000;

/** The seed plus `count` hand-made products, created (and last updated) one minute apart. */
function stateWith(count: number): ReturnType<typeof seedApi7State> {
  const state = seedApi7State();
  for (let i = 0; i < count; i++) {
    const at = SEEDED_AT + i * 60;
    state.products[PORTAL]!.push({
      id: `prod-bulk-${String(i).padStart(3, '0')}`,
      name: `Bulk ${i}`,
      type: 'gateway',
      visibility: 'public',
      status: 'draft',
      labels: { team: 'bulk' },
      created_at: at,
      updated_at: at,
    });
  }
  return state;
}

async function withEmulator(count: number, options: Partial<Api7EmulatorOptions>, run: (emulator: Api7Emulator) => Promise<void>): Promise<void> {
  const emulator = await startApi7Emulator({ token: TOKEN, state: stateWith(count), now: () => LATER, ...options });
  try {
    await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** Another client (the dashboard, say), over HTTP. */
async function call(emulator: Api7Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(emulator.url + path, {
    method,
    headers: { 'X-API-KEY': TOKEN, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** Another client edits `id` (its description) through the emulator's HTTP API. */
async function editElsewhere(emulator: Api7Emulator, id: string): Promise<void> {
  const path = `/api/api_products/${id}?portal_id=${PORTAL}`;
  const { value } = (await call(emulator, 'GET', path)).body as { value: Api7Product };
  const answer = await call(emulator, 'PUT', path, { ...value, desc: 'edited in the dashboard' });
  assert.is(answer.status, 200, JSON.stringify(answer.body));
}

/**
 * Holds every product list page after the first until another client has edited `id`: the edit
 * lands strictly between page 1 and the rest, whatever the timing.
 */
function editAfterFirstPage(id: string, emulator: () => Api7Emulator): NonNullable<Api7EmulatorOptions['beforeAnswer']> {
  let pages = 0;
  let edit: Promise<void> | undefined;
  return async ({ method, path }) => {
    if (method !== 'GET' || path !== '/api/api_products') return;
    if (++pages >= 2) await (edit ??= editElsewhere(emulator(), id));
  };
}

const allIds = (emulator: Api7Emulator): string[] => emulator.state.products[PORTAL]!.map((p) => p.id).sort();
const listRequests = (emulator: Api7Emulator, path: string): string[] =>
  emulator.requests.filter((r) => r.method === 'GET' && r.path === path).map((r) => `${r.status}`);

// 47 products (45 + the seed's 2), pages of 20: the edited product (the oldest) is on page 3 by
// the default order and jumps to page 1 when edited, after page 1 was read.
const EDITED = 'prod-bulk-000';

test('an edit between two page reads neither skips nor repeats a product (stable order)', async () => {
  let emulator!: Api7Emulator;
  await withEmulator(45, { maxPageSize: 20, beforeAnswer: editAfterFirstPage(EDITED, () => emulator) }, async (started) => {
    emulator = started;
    const client = createApi7Client(sandboxTarget(), { url: emulator.url, secret: TOKEN });
    const products = await client.listProducts();
    const ids = products.map((p) => p.id);
    assert.is(new Set(ids).size, ids.length, 'no product twice');
    assert.equal([...ids].sort(), allIds(emulator));
    assert.is(emulator.state.products[PORTAL]!.find((p) => p.id === EDITED)!.desc, 'edited in the dashboard', 'the edit happened');
    // 500 and 100 refused once on the portal lookup, then 20 for every page: 3 pages, no refusal.
    assert.equal(listRequests(emulator, '/api/portals'), ['400', '400', '200']);
    assert.equal(listRequests(emulator, '/api/api_products'), ['200', '200', '200']);
  });
});

test('the same edit under the default order (updated_at desc) skips one product and repeats another', async () => {
  // The control: the shared pager over HTTP, without order_by, shows the emulator exposes the risk.
  let emulator!: Api7Emulator;
  await withEmulator(45, { maxPageSize: 20, beforeAnswer: editAfterFirstPage(EDITED, () => emulator) }, async (started) => {
    emulator = started;
    const read = await fetchAllPages<Api7Product>(
      async (page, pageSize) => expectPage((await call(emulator, 'GET', `/api/api_products?portal_id=${PORTAL}&page=${page}&page_size=${pageSize}`)).body, 'GET'),
      { pageSize: 20 },
    );
    const ids = read.map((p) => p.id);
    assert.is(ids.length, 47);
    assert.not.ok(ids.includes(EDITED), 'the edited product is skipped');
    assert.is(new Set(ids).size, 46, 'and another one is read twice');
  });
});

/** Another client deletes a product of page 1 once page 1 was answered, before the later pages, `times` reads in a row. */
function deleteAfterFirstPage(emulator: () => Api7Emulator, times: number): NonNullable<Api7EmulatorOptions['beforeAnswer']> {
  let pages = 0;
  let deletes = 0;
  let deleting: Promise<unknown> | undefined;
  return async ({ method, path, query }) => {
    if (method !== 'GET' || path !== '/api/api_products') return;
    pages++;
    if (query.get('page') === '2' && deletes < times) {
      deletes++;
      // Page 1 under the client's order (created_at asc): the seed's products first, then bulk-000.
      const victim = `prod-bulk-${String(deletes - 1).padStart(3, '0')}`;
      deleting = call(emulator(), 'DELETE', `/api/api_products/${victim}?portal_id=${PORTAL}`);
    }
    await deleting;
  };
}

test('a product deleted elsewhere while the later pages are read: the list is read again, and no product is missing', async () => {
  let emulator!: Api7Emulator;
  await withEmulator(45, { maxPageSize: 20, beforeAnswer: deleteAfterFirstPage(() => emulator, 1) }, async (started) => {
    emulator = started;
    const client = createApi7Client(sandboxTarget(), { url: emulator.url, secret: TOKEN });
    const ids = (await client.listProducts()).map((p) => p.id);
    assert.is(emulator.state.products[PORTAL]!.length, 46, 'the delete happened');
    assert.not.ok(ids.includes('prod-bulk-000'));
    // Read once more from the start: every product that is there (one of them the first of page 2 before the delete).
    assert.equal([...ids].sort(), allIds(emulator));
    assert.equal(listRequests(emulator, '/api/api_products'), ['200', '200', '200', '200', '200', '200']);
  });
});

test('a list that changes on every read is refused after 3 reads, never returned incomplete', async () => {
  let emulator!: Api7Emulator;
  await withEmulator(45, { maxPageSize: 20, beforeAnswer: deleteAfterFirstPage(() => emulator, Infinity) }, async (started) => {
    emulator = started;
    const client = createApi7Client(sandboxTarget(), { url: emulator.url, secret: TOKEN });
    const error = await client.listProducts().then(() => undefined, (caught: unknown) => caught);
    assert.instance(error, ProviderError);
    assert.match((error as Error).message, /changed while it was read, 3 times in a row \(its total went 47 → 46 → 45 → 44\): refusing to plan from an incomplete list/);
    assert.is(listRequests(emulator, '/api/api_products').length, 9);
  });
});

test('an empty first page that claims items is read again, then refused; a list that is empty is empty', async () => {
  let reads = 0;
  const claimsFive = async (): Promise<Page<string>> => {
    reads++;
    return { list: [], total: 5 };
  };
  const error = await fetchAllPages(claimsFive, { pageSize: 20, what: 'GET /api/api_products' }).then(() => undefined, (caught: unknown) => caught);
  assert.match((error as Error).message, 'GET /api/api_products changed while it was read, 3 times in a row (its total went 5 → 0)');
  assert.is(reads, 3);
  assert.equal(await fetchAllPages(async () => ({ list: [], total: 0 }), { pageSize: 20 }), []);
});

test('a server capping page_size at 100 is read whole, and the size it took is kept for the run', async () => {
  await withEmulator(250, { maxPageSize: 100 }, async (emulator) => {
    const client = createApi7Client(sandboxTarget(), { url: emulator.url, secret: TOKEN });
    const products = await client.listProducts();
    assert.is(products.length, 252);
    assert.equal(products.map((p) => p.id).sort(), allIds(emulator));
    // The portal lookup pays the one refusal (500), then 100 serves it and every later list.
    assert.equal(listRequests(emulator, '/api/portals'), ['400', '200']);
    assert.equal(listRequests(emulator, '/api/api_products'), ['200', '200', '200']);
    assert.is((await client.listGatewayGroups()).length, 2);
    assert.equal(listRequests(emulator, '/api/gateway_groups'), ['200']);
    assert.is(emulator.requests.filter((r) => r.status === 400).length, 1);
  });
});

test('the emulator orders like the server: updated_at desc by default, and refuses an unknown order_by', async () => {
  await withEmulator(3, {}, async (emulator) => {
    const list = async (query: string): Promise<string[]> =>
      ((await call(emulator, 'GET', `/api/api_products?portal_id=${PORTAL}&page_size=100${query}`)).body.list as Api7Product[]).map((p) => p.id);
    await editElsewhere(emulator, 'prod-bulk-000');
    assert.is((await list(''))[0], 'prod-bulk-000', 'the last edited comes first');
    assert.equal((await list('&order_by=created_at&direction=asc')).slice(0, 3), ['prod-bulk-000', 'prod-bulk-001', 'prod-bulk-002']);
    assert.equal(await call(emulator, 'GET', `/api/api_products?portal_id=${PORTAL}&order_by=name`), {
      status: 400,
      body: { error_msg: 'order_by must be one of created_at, updated_at, got "name"' },
    });
    assert.is((await call(emulator, 'GET', `/api/gateway_groups?direction=up`)).status, 400);
  });
});

test('a 400 no page size cures is thrown as first answered and leaves the size alone', async () => {
  const sizes = new PageSizes([500, 100, 20]);
  const tried: number[] = [];
  const refused = (size: number): Promise<never> => {
    tried.push(size);
    return Promise.reject(new ProviderError(`HTTP 400 at ${size}`, 400));
  };
  try {
    await readFirstPage(sizes, refused);
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, 'HTTP 400 at 500');
  }
  assert.equal(tried, [500, 100, 20]);
  assert.is(sizes.current, 500);
});

test.run();
