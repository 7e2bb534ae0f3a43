import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, edgeCode, emulatorPool, errorMessage, FLAVOURS, NOW, product } from './apigee-harness.ts';

// …/apiproducts/{name}/attributes and …/attributes/{attr}, per flavour.
const pool = emulatorPool();
test.after(pool.closeAll);

const ORDERS_ATTRIBUTES = [
  { name: 'access', value: 'public' },
  { name: 'managed-by', value: 'apiproducts' },
  { name: 'apiproducts-name', value: 'orders' },
  { name: 'team', value: 'commerce' },
];
const attributes = (name: string): string => `${product(name)}/attributes`;
const attribute = (name: string, attr: string): string => `${attributes(name)}/${encodeURIComponent(attr)}`;

test('GET attributes is {attribute: [...]}; X omits an empty list', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    assert.equal(await call(emulator, 'GET', attributes('orders')), { status: 200, body: { attribute: ORDERS_ATTRIBUTES } });
    emulator.state.products.orders!.attributes = [];
    assert.equal((await call(emulator, 'GET', attributes('orders'))).body, flavour === 'edge' ? { attribute: [] } : {});
  }
});

test('POST attributes replaces the whole list and bumps lastModifiedAt', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour, { now: () => NOW + 7 });
    const attribute = [{ name: 'managed-by', value: 'apiproducts' }, { name: 'tier', value: 'gold' }];
    const answer = await call(emulator, 'POST', attributes('orders'), { body: { attribute } });
    assert.equal(answer, { status: 200, body: { attribute } }, flavour);
    const stored = emulator.state.products.orders;
    assert.equal(stored?.attributes, attribute);
    assert.is(stored?.lastModifiedAt, NOW + 7);
    assert.equal((await call(emulator, 'GET', product('orders'))).body.attributes, attribute);
  }
});

test('POST attributes validates like a product body', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    const many = Array.from({ length: 19 }, (_, index) => ({ name: `a${index}`, value: 'v' }));
    for (const [body, message] of [
      [{ attribute: many }, 'at most 18 attributes'],
      [{ attribute: [{ name: 'x', value: 1 }] }, 'attribute[0].value must be a string'],
      [{ attributes: [] }, 'unknown field "attributes"'],
    ] as const) {
      const answer = await call(emulator, 'POST', attributes('orders'), { body });
      assert.is(answer.status, 400, `${flavour} ${JSON.stringify(body)}`);
      assert.match(errorMessage(flavour, answer), message);
    }
    assert.equal(emulator.state.products.orders?.attributes, ORDERS_ATTRIBUTES, 'a refused list changes nothing');
  }
});

test('one attribute: GET {name, value}, POST sets it (or adds it), DELETE answers the removed one', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    assert.equal(await call(emulator, 'GET', attribute('orders', 'team')), { status: 200, body: { name: 'team', value: 'commerce' } });
    const set = await call(emulator, 'POST', attribute('orders', 'team'), { body: { value: 'retail' } });
    assert.equal(set, { status: 200, body: { name: 'team', value: 'retail' } });
    const xStyle = await call(emulator, 'POST', attribute('orders', 'owner'), { body: { name: 'owner', value: 'ann' } });
    assert.equal(xStyle.body, { name: 'owner', value: 'ann' });
    assert.equal(emulator.state.products.orders?.attributes.slice(3), [{ name: 'team', value: 'retail' }, { name: 'owner', value: 'ann' }]);
    assert.equal(await call(emulator, 'DELETE', attribute('orders', 'owner')), { status: 200, body: { name: 'owner', value: 'ann' } });
    assert.is(emulator.state.products.orders?.attributes.length, 4);
  }
});

test('one attribute: refusals', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    const missing = await call(emulator, 'GET', attribute('orders', 'nothing'));
    assert.is(missing.status, 404);
    assert.is(errorMessage(flavour, missing), 'Attribute [nothing] does not exist for API Product [orders]');
    assert.is((await call(emulator, 'DELETE', attribute('orders', 'nothing'))).status, 404);
    const noProduct = await call(emulator, 'GET', attribute('nothing', 'team'));
    assert.is(edgeCode(noProduct), 'keymanagement.service.apiproduct_doesnot_exist');
    assert.is((await call(emulator, 'POST', attribute('orders', 'team'), { body: { value: 7 } })).status, 400);
    assert.is((await call(emulator, 'POST', attribute('orders', 'team'), { body: { name: 'other', value: 'x' } })).status, 400);
    emulator.state.products.orders!.attributes = Array.from({ length: 18 }, (_, index) => ({ name: `a${index}`, value: 'v' }));
    const full = await call(emulator, 'POST', attribute('orders', 'one-more'), { body: { value: 'v' } });
    assert.is(full.status, 400);
    assert.match(errorMessage(flavour, full), 'at most 18');
    assert.is((await call(emulator, 'POST', attribute('orders', 'a0'), { body: { value: 'w' } })).status, 200, 'updating one of 18 is fine');
    assert.is((await call(emulator, 'PUT', attribute('orders', 'a0'), { body: { value: 'w' } })).status, 405);
  }
});

test.run();
