import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { storeProduct, type ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';
import { call, emulatorPool, FLAVOURS, product, productBody, PRODUCTS, TOKEN } from './apigee-harness.ts';

// The list's cached product views (src/sandbox/apigee/list-view.ts): the same bytes as a fresh
// rendering, and never stale after any write, through a handler or straight into the state.
const pool = emulatorPool();
test.after(pool.closeAll);

/** The raw text of one answer. */
async function text(emulator: ApigeeEmulator, path: string): Promise<string> {
  const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.is(response.status, 200, path);
  return response.text();
}

/** Every page of the expanded list, count=2, chained by the inclusive startKey: the raw bodies. */
async function pages(emulator: ApigeeEmulator): Promise<string[]> {
  const bodies: string[] = [];
  let startKey: string | undefined;
  for (;;) {
    const body = await text(emulator, `${PRODUCTS}?expand=true&count=2${startKey === undefined ? '' : `&startKey=${encodeURIComponent(startKey)}`}`);
    bodies.push(body);
    const items: { name: string }[] = JSON.parse(body).apiProduct ?? [];
    if (items.length < 2) return bodies;
    startKey = items[items.length - 1]!.name;
  }
}

/** The expanded list must hold exactly what a GET of each product answers now (GET renders afresh). */
async function assertListCurrent(emulator: ApigeeEmulator, flavour: ApigeeFlavour, after: string): Promise<unknown[]> {
  const listed: { name: string }[] = JSON.parse(await text(emulator, `${PRODUCTS}?expand=true`)).apiProduct ?? [];
  const names = Object.keys(emulator.state.products).sort();
  assert.equal(listed.map((p) => p.name), names, `${flavour}, after ${after}: the names`);
  for (const item of listed) {
    assert.equal(item, (await call(emulator, 'GET', product(item.name))).body, `${flavour}, after ${after}: ${item.name}`);
  }
  return listed;
}

function addBulk(emulator: ApigeeEmulator, count: number): void {
  for (let index = 0; index < count; index++) {
    const name = `bulk-${index}`;
    storeProduct(emulator.state, {
      name, displayName: name, approvalType: 'auto', attributes: [{ name: 'tier', value: 'bronze' }], apiResources: [], environments: ['test'], proxies: [], scopes: [],
      createdAt: 1, createdBy: 'seed@example.com', lastModifiedAt: 1, lastModifiedBy: 'seed@example.com',
    });
  }
}

test('pages served from cached views are byte for byte the pages of a fresh rendering', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    addBulk(emulator, 5);
    const cold = await pages(emulator);
    const warm = await pages(emulator);
    assert.equal(warm, cold, flavour);
    const expected = cold.map((body) => {
      const items: { name: string }[] = JSON.parse(body).apiProduct;
      return items.map((item) => item.name);
    });
    for (const [index, names] of expected.entries()) {
      const fresh = await Promise.all(names.map(async (name) => JSON.parse(await text(emulator, product(name))) as unknown));
      assert.is(warm[index], JSON.stringify({ apiProduct: fresh }), `${flavour}: page ${index + 1}`);
    }
  }
});

test('a cached view is never stale after PUT, POST, DELETE or an attribute write', async () => {
  for (const flavour of FLAVOURS) {
    let now = 1_800_000_000_000;
    const emulator = await pool.start(flavour, { now: () => now++ });
    addBulk(emulator, 3);
    await assertListCurrent(emulator, flavour, 'nothing');
    const writes: [string, string, string, unknown][] = [
      ['PUT', product('bulk-0'), 'a full replace', { displayName: 'Bulk zero', approvalType: 'manual', environments: ['prod'], description: 'replaced' }],
      ['POST', PRODUCTS, 'a create', productBody({ name: 'fresh' })],
      ['DELETE', product('bulk-1'), 'a delete', undefined],
      ['POST', `${product('bulk-2')}/attributes/tier`, 'an attribute update', { name: 'tier', value: 'gold' }],
      ['POST', `${product('bulk-2')}/attributes/region`, 'an attribute added', { name: 'region', value: 'eu' }],
      ['DELETE', `${product('bulk-2')}/attributes/region`, 'an attribute deleted', undefined],
      ['POST', `${product('orders')}/attributes`, 'the attributes replaced', { attribute: [{ name: 'managed-by', value: 'apiproducts' }] }],
    ];
    for (const [method, path, what, body] of writes) {
      const answer = await call(emulator, method, path, body === undefined ? {} : { body });
      assert.ok(answer.status < 300, `${flavour} ${what}: ${JSON.stringify(answer.body)}`);
      await assertListCurrent(emulator, flavour, what);
    }
    const listed = (await assertListCurrent(emulator, flavour, 'all writes')) as { name: string; description?: string; attributes?: unknown }[];
    assert.is(listed.find((p) => p.name === 'bulk-0')?.description, 'replaced');
    assert.ok(listed.some((p) => p.name === 'fresh'));
    assert.not.ok(listed.some((p) => p.name === 'bulk-1'));
    assert.equal(listed.find((p) => p.name === 'bulk-2')?.attributes, [{ name: 'tier', value: 'gold' }]);
    if (flavour === 'x') {
      emulator.state.spaces = ['payments-team'];
      const move = await call(emulator, 'POST', `${product('bulk-0')}:move?space=payments-team`, { body: { space: 'payments-team' } });
      assert.is(move.status, 200, JSON.stringify(move.body));
      const moved = (await assertListCurrent(emulator, flavour, 'a move')) as { name: string; space?: string }[];
      assert.is(moved.find((p) => p.name === 'bulk-0')?.space, 'payments-team');
    }
  }
});

test('a cached view is never stale after a write straight into the state (an edit "in the UI")', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    addBulk(emulator, 2);
    await assertListCurrent(emulator, flavour, 'nothing');
    const edits: [string, () => void][] = [
      ['a field set in place', () => (emulator.state.products['bulk-0']!.description = 'edited in the UI')],
      ['a list item pushed in place', () => emulator.state.products['bulk-0']!.attributes.push({ name: 'region', value: 'eu' })],
      ['a nested value changed in place', () => (emulator.state.products['bulk-0']!.attributes[0]!.value = 'silver')],
      ['an unknown field added', () => (emulator.state.products['bulk-1']!.unmodelled = { futureField: { limit: 1 } })],
      ['an unknown nested field changed in place', () => ((emulator.state.products['bulk-1']!.unmodelled!.futureField as { limit: number }).limit = 2)],
      ['an unknown field named __proto__ added', () => (emulator.state.products['bulk-1']!.unmodelled = JSON.parse('{"__proto__": {"limit": 1}}'))],
      ['an unknown field named __proto__ changed in place', () => ((Object.getOwnPropertyDescriptor(emulator.state.products['bulk-1']!.unmodelled, '__proto__')!.value as { limit: number }).limit = 2)],
      ['a list emptied in place', () => (emulator.state.products['bulk-1']!.environments.length = 0)],
      ['a product replaced by an equal copy', () => (emulator.state.products['bulk-1'] = structuredClone(emulator.state.products['bulk-1']!))],
      ['a product deleted', () => delete emulator.state.products['bulk-1']],
    ];
    for (const [what, edit] of edits) {
      edit();
      await assertListCurrent(emulator, flavour, what);
    }
    const listed = (await assertListCurrent(emulator, flavour, 'every edit')) as { name: string; description?: string; attributes?: unknown }[];
    const edited = listed.find((p) => p.name === 'bulk-0');
    assert.is(edited?.description, 'edited in the UI');
    assert.equal(edited?.attributes, [{ name: 'tier', value: 'silver' }, { name: 'region', value: 'eu' }]);
  }
});

test.run();
