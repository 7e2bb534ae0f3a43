import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { removeProduct, seedApigeeState, storeProduct, type ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';
import { renderProduct } from '../../src/sandbox/apigee/view.ts';
import { call, edgeCode, emulatorPool, errorMessage, FLAVOURS, PRODUCTS } from './apigee-harness.ts';

// GET …/apiproducts: shapes per flavour, the seed, inclusive startKey paging, filters.
const pool = emulatorPool();
test.after(pool.closeAll);

const names = (flavour: ApigeeFlavour, body: any): string[] =>
  flavour === 'edge' && Array.isArray(body) ? body : (body.apiProduct ?? []).map((p: { name: string }) => p.name);

/** Adds `count` minimal products named `bulk-0000`, `bulk-0001`, … straight into the state. */
function addBulk(emulator: ApigeeEmulator, count: number): void {
  for (let index = 0; index < count; index++) {
    const name = `bulk-${String(index).padStart(4, '0')}`;
    storeProduct(emulator.state, {
      name, displayName: name, approvalType: 'auto', attributes: [], apiResources: [], environments: [], proxies: [], scopes: [],
      createdAt: 1, createdBy: 'seed@example.com', lastModifiedAt: 1, lastModifiedBy: 'seed@example.com',
    });
  }
}

test('the seed: one drifted product of ours, one unmanaged; deterministic', async () => {
  const answer = await call(await pool.start('edge'), 'GET', `${PRODUCTS}?expand=true`);
  const [billing, orders] = answer.body.apiProduct;
  assert.is(orders.name, 'orders');
  assert.ok(orders.attributes.some((a: { name: string; value: string }) => a.name === 'managed-by' && a.value === 'apiproducts'));
  assert.equal(orders.environments, ['prod', 'test']);
  assert.is(billing.name, 'legacy-billing-product');
  assert.not.ok(billing.attributes.some((a: { name: string }) => a.name === 'managed-by'));
  assert.equal(seedApigeeState('acme'), seedApigeeState('acme'));
});

test('Edge: an array of names; expand=true {apiProduct: [...]} with numeric timestamps, createdBy, empty lists', async () => {
  const emulator = await pool.start('edge');
  assert.equal((await call(emulator, 'GET', PRODUCTS)).body, ['legacy-billing-product', 'orders']);
  assert.equal((await call(emulator, 'GET', `${PRODUCTS}?expand=false`)).body, ['legacy-billing-product', 'orders']);
  const orders = (await call(emulator, 'GET', `${PRODUCTS}?expand=true`)).body.apiProduct[1];
  assert.equal(orders, emulator.state.products.orders, 'Edge serves the stored shape');
  assert.type(orders.createdAt, 'number');
  assert.is(orders.createdBy, 'apiproducts@acme.example.com');
  assert.equal(orders.scopes, []);
  assert.equal(Object.keys(orders), [...Object.keys(orders)].sort(), 'keys come sorted');
});

test('X: {apiProduct: [{name}]}; expand=true full products, string timestamps, no createdBy, no empties', async () => {
  const emulator = await pool.start('x');
  assert.equal((await call(emulator, 'GET', PRODUCTS)).body, { apiProduct: [{ name: 'legacy-billing-product' }, { name: 'orders' }] });
  const orders = (await call(emulator, 'GET', `${PRODUCTS}?expand=true`)).body.apiProduct[1];
  assert.is(orders.createdAt, String(emulator.state.products.orders?.createdAt));
  assert.type(orders.lastModifiedAt, 'string');
  assert.is(orders.createdBy, undefined);
  assert.is(orders.lastModifiedBy, undefined);
  assert.is(orders.scopes, undefined, 'an empty list is omitted');
  assert.equal(orders.proxies, ['orders-v2']);
});

test('an empty org: Edge [] and {apiProduct: []}, X {} either way', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    emulator.state.products = {};
    const plain = (await call(emulator, 'GET', PRODUCTS)).body;
    const expanded = (await call(emulator, 'GET', `${PRODUCTS}?expand=true`)).body;
    if (flavour === 'edge') assert.equal([plain, expanded], [[], { apiProduct: [] }]);
    else assert.equal([plain, expanded], [{}, {}]);
  }
});

test('paging 2,502 products with count=1000: inclusive startKey repeats the first item of each next page', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    addBulk(emulator, 2500);
    const all = Object.keys(emulator.state.products).sort();
    const pages: string[][] = [];
    let startKey: string | undefined;
    for (;;) {
      const query = `expand=true&count=1000${startKey === undefined ? '' : `&startKey=${encodeURIComponent(startKey)}`}`;
      const page = names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?${query}`)).body);
      pages.push(page);
      if (page.length < 1000) break;
      startKey = page.at(-1);
    }
    assert.equal(pages.map((page) => page.length), [1000, 1000, 504], flavour);
    assert.is(pages[1]?.[0], pages[0]?.[999]);
    assert.is(pages[2]?.[0], pages[1]?.[999]);
    const collected = pages.flatMap((page, index) => (index === 0 ? page : page.slice(1)));
    assert.equal(collected, all, `${flavour}: dropping each repeat yields every product once, in name order`);
  }
});

test('count: 1000 by default and at most; anything but a positive integer is 400', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    addBulk(emulator, 1200);
    assert.is(names(flavour, (await call(emulator, 'GET', PRODUCTS)).body).length, 1000);
    assert.is(names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?count=5000`)).body).length, 1000);
    assert.equal(names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?count=2`)).body), ['bulk-0000', 'bulk-0001']);
    for (const count of ['0', '-1', '2.5', 'ten', '']) {
      const answer = await call(emulator, 'GET', `${PRODUCTS}?count=${count}`);
      assert.is(answer.status, 400, `${flavour} count=${count}`);
      assert.match(errorMessage(flavour, answer), 'count');
    }
  }
});

test('startKey is inclusive; a page of one means the end', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    assert.equal(names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?startKey=orders`)).body), ['orders']);
    const both = names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?startKey=legacy-billing-product&count=2`)).body);
    assert.equal(both, ['legacy-billing-product', 'orders']);
  }
});

test('an unknown startKey: Edge 404 apiproduct_doesnot_exist; X starts at the next name', async () => {
  const edge = await call(await pool.start('edge'), 'GET', `${PRODUCTS}?startKey=m`);
  assert.is(edge.status, 404);
  assert.equal(edge.body, {
    code: 'keymanagement.service.apiproduct_doesnot_exist',
    message: 'API Product [m] does not exist for tenant [acme]',
    contexts: [],
  });
  const x = await pool.start('x');
  assert.equal((await call(x, 'GET', `${PRODUCTS}?startKey=m`)).body, { apiProduct: [{ name: 'orders' }] });
  assert.equal((await call(x, 'GET', `${PRODUCTS}?startKey=zzz`)).body, {});
});

test('attributename and attributevalue filter before paging', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    const ours = await call(emulator, 'GET', `${PRODUCTS}?attributename=managed-by&attributevalue=apiproducts`);
    assert.equal(names(flavour, ours.body), ['orders']);
    assert.equal(names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?attributename=team`)).body), ['legacy-billing-product', 'orders']);
    assert.equal(names(flavour, (await call(emulator, 'GET', `${PRODUCTS}?attributename=team&attributevalue=none`)).body), []);
  }
});

test('names with spaces and % list in code-unit order and round-trip through startKey', async () => {
  const emulator = await pool.start('edge');
  for (const name of ['Zeta 1', 'a%b', 'has space']) {
    const created = await call(emulator, 'POST', PRODUCTS, { body: { name, displayName: name, approvalType: 'auto' } });
    assert.is(created.status, 201, JSON.stringify(created.body));
  }
  assert.equal((await call(emulator, 'GET', PRODUCTS)).body, ['Zeta 1', 'a%b', 'has space', 'legacy-billing-product', 'orders']);
  const page = await call(emulator, 'GET', `${PRODUCTS}?startKey=${encodeURIComponent('has space')}&count=2`);
  assert.equal(page.body, ['has space', 'legacy-billing-product']);
  assert.is(edgeCode(await call(emulator, 'GET', `${PRODUCTS}?startKey=has+spice`)), 'keymanagement.service.apiproduct_doesnot_exist');
});

test('pages follow products added and deleted between them by the state\'s writers (storeProduct, removeProduct, HTTP)', async () => {
  const emulator = await pool.start('x');
  addBulk(emulator, 5);
  const page = async (startKey: string) => names('x', (await call(emulator, 'GET', `${PRODUCTS}?count=3&startKey=${startKey}`)).body);
  assert.equal(await page('bulk-0001'), ['bulk-0001', 'bulk-0002', 'bulk-0003']);
  removeProduct(emulator.state, 'bulk-0002');
  storeProduct(emulator.state, { ...emulator.state.products['bulk-0001']!, name: 'bulk-0002a' });
  assert.equal(await page('bulk-0001'), ['bulk-0001', 'bulk-0002a', 'bulk-0003']);
  addBulk(emulator, 3); // bulk-0000…0002 again: bulk-0002 is back
  assert.equal(await page('bulk-0002'), ['bulk-0002', 'bulk-0002a', 'bulk-0003']);
  assert.equal((await call(emulator, 'DELETE', `${PRODUCTS}/bulk-0002a`)).status, 200);
  assert.equal(await page('bulk-0002'), ['bulk-0002', 'bulk-0003', 'bulk-0004']);
  assert.equal(await page('zzz'), []);
});

test('products written straight into the state show from the next listing\'s first page', async () => {
  const emulator = await pool.start('x');
  addBulk(emulator, 5);
  const page = async (query: string) => names('x', (await call(emulator, 'GET', `${PRODUCTS}?count=3${query}`)).body);
  assert.equal(await page(''), ['bulk-0000', 'bulk-0001', 'bulk-0002']);
  delete emulator.state.products['bulk-0001'];
  emulator.state.products['bulk-0001a'] = { ...emulator.state.products['bulk-0000']!, name: 'bulk-0001a' };
  // The listing under way keeps its order (of its first page); a name deleted since is skipped.
  assert.equal(await page('&startKey=bulk-0000'), ['bulk-0000', 'bulk-0002', 'bulk-0003']);
  assert.equal(await page(''), ['bulk-0000', 'bulk-0001a', 'bulk-0002']);
  assert.equal(await page('&startKey=bulk-0001'), ['bulk-0001a', 'bulk-0002', 'bulk-0003']);
});

test('a listing enumerates the products once, on its first page, not once per page', async () => {
  const emulator = await pool.start('x');
  addBulk(emulator, 25);
  let enumerations = 0;
  emulator.state.products = new Proxy(emulator.state.products, { ownKeys: (target) => (enumerations++, Reflect.ownKeys(target)) });
  let listed: string[] = [];
  for (let startKey: string | undefined; ; ) {
    const page = names('x', (await call(emulator, 'GET', `${PRODUCTS}?count=5${startKey ? `&startKey=${startKey}` : ''}`)).body);
    listed = [...listed, ...(startKey ? page.slice(1) : page)];
    if (page.length < 5) break;
    startKey = page.at(-1);
  }
  assert.is(listed.length, 27, 'the seed\'s 2 and 25 more, each once');
  assert.is(enumerations, 1);
});

test('X rendering keeps an unmodelled `__proto__` field as a field and drops empties at every depth', () => {
  const stored = JSON.parse('{"name":"p","displayName":"","attributes":[],"apiResources":["/a"],"environments":[],"proxies":[],"scopes":[],"approvalType":"auto","createdAt":1,"createdBy":"a","lastModifiedAt":2,"lastModifiedBy":"b","unmodelled":{"__proto__":{"deep":"","kept":"x"},"extra":[{"empty":[],"full":[1]}]}}');
  const rendered = renderProduct(stored, 'x') as Record<string, unknown>;
  assert.equal(Object.keys(rendered), ['__proto__', 'apiResources', 'approvalType', 'createdAt', 'extra', 'lastModifiedAt', 'name']);
  assert.equal(Object.getPrototypeOf(rendered), Object.prototype);
  assert.equal(JSON.parse(JSON.stringify(rendered)), JSON.parse('{"__proto__":{"kept":"x"},"apiResources":["/a"],"approvalType":"auto","createdAt":"1","extra":[{"full":[1]}],"lastModifiedAt":"2","name":"p"}'));
});

test.run();
