import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApigeeFlavour } from '../../src/sandbox/apigee/state.ts';
import { basic, call, edgeCode, emulatorPool, errorMessage, FLAVOURS, NOW, PASSWORD, PRODUCTS, product, productBody, USER } from './apigee-harness.ts';

// One product: create, read, full replace, delete, validation, per flavour.
const pool = emulatorPool();
test.after(pool.closeAll);

async function expect400(flavour: ApigeeFlavour, body: Record<string, unknown>, message: string | RegExp, code?: string) {
  const answer = await call(await pool.start(flavour), 'POST', PRODUCTS, { body });
  assert.is(answer.status, 400, `${flavour} ${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
  assert.match(errorMessage(flavour, answer), message);
  if (code) assert.is(edgeCode(answer), code);
}

test('Edge: POST is 201 with the stored product: numeric timestamps, createdBy, every list', async () => {
  const emulator = await pool.start('edge');
  const created = await call(emulator, 'POST', PRODUCTS, { body: productBody({ scopes: [] }), authorization: basic(USER, PASSWORD) });
  assert.is(created.status, 201);
  const audit = { createdAt: NOW, createdBy: USER, lastModifiedAt: NOW, lastModifiedBy: USER };
  assert.equal(created.body, { ...productBody({ scopes: [] }), ...audit });
  assert.equal(await call(emulator, 'GET', product('payments')), { status: 200, body: created.body });
});

test('X: POST is 200 with string timestamps, no createdBy and empty fields omitted', async () => {
  const emulator = await pool.start('x');
  const created = await call(emulator, 'POST', PRODUCTS, { body: productBody({ scopes: [], description: '' }) });
  assert.is(created.status, 200);
  const { scopes: _scopes, description: _description, ...rest } = productBody();
  assert.equal(created.body, { ...rest, createdAt: String(NOW), lastModifiedAt: String(NOW) });
  assert.equal((await call(emulator, 'GET', product('payments'))).body, created.body);
});

test('a taken name is 409 in the flavour envelope', async () => {
  for (const flavour of FLAVOURS) {
    const answer = await call(await pool.start(flavour), 'POST', PRODUCTS, { body: productBody({ name: 'orders' }) });
    assert.is(answer.status, 409, flavour);
    assert.is(errorMessage(flavour, answer), 'API Product [orders] already exists for tenant [acme]');
    assert.is(edgeCode(answer), 'keymanagement.service.apiproduct_already_exists');
    if (flavour === 'x') assert.is(answer.body.error.status, 'ALREADY_EXISTS');
  }
});

test('names: the documented charset, URL-encoded in paths, __proto__ and constructor included', async () => {
  const emulator = await pool.start('edge');
  for (const name of ['has space', '50% off', 'a.b_c-d$e', '__proto__', 'constructor']) {
    assert.is((await call(emulator, 'POST', PRODUCTS, { body: productBody({ name }) })).status, 201, name);
    assert.is((await call(emulator, 'GET', product(name))).body.name, name);
  }
  assert.is(Object.getPrototypeOf(emulator.state.products), Object.prototype, 'the map keeps its prototype');
  assert.is((await call(emulator, 'GET', product('toString'))).status, 404);
  assert.is((await call(emulator, 'GET', `${PRODUCTS}/has+space`)).status, 404, '+ is not a space in a path');
  assert.is((await call(emulator, 'GET', `${PRODUCTS}/%E0%A4%A`)).status, 404);
});

test('validation: name, displayName and approvalType', async () => {
  for (const flavour of FLAVOURS) {
    await expect400(flavour, productBody({ name: undefined }), 'name', 'keymanagement.service.apiproduct_name_invalid');
    await expect400(flavour, productBody({ name: 'slash/name' }), 'is invalid', 'keymanagement.service.apiproduct_name_invalid');
    await expect400(flavour, productBody({ name: 'colon:move' }), 'is invalid');
    await expect400(flavour, productBody({ displayName: ' ' }), 'displayName', 'keymanagement.service.apiproduct_invalid_displayname');
    await expect400(flavour, productBody({ approvalType: 'automatic' }), 'approvalType must be one of auto, manual');
  }
  await expect400('edge', productBody({ approvalType: undefined }), 'approvalType is required');
  const x = await call(await pool.start('x'), 'POST', PRODUCTS, { body: productBody({ approvalType: undefined }) });
  assert.is(x.status, 200, 'X documents no required approvalType');
});

test('validation: apiResources syntax, quota triple, attributes', async () => {
  for (const flavour of FLAVOURS) {
    for (const resource of ['charges', '/a/**/b', '/a b', '/a*', '/x?y=1']) {
      await expect400(flavour, productBody({ apiResources: [resource] }), 'is not a resource path');
    }
    await expect400(flavour, productBody({ quotaTimeUnit: undefined }), 'must be set together');
    await expect400(flavour, productBody({ quota: '1e3' }), 'quota must be a whole number');
    await expect400(flavour, productBody({ quotaTimeUnit: 'week' }), 'quotaTimeUnit must be one of minute, hour, day, month');
    const many = Array.from({ length: 19 }, (_, index) => ({ name: `a${index}`, value: 'v' }));
    await expect400(flavour, productBody({ attributes: many }), 'at most 18 attributes');
    await expect400(flavour, productBody({ attributes: [{ name: 'x', value: '1' }, { name: 'x', value: '2' }] }), 'twice');
    await expect400(flavour, productBody({ attributes: [{ value: '1' }] }), 'attributes[0].name is required');
    await expect400(flavour, productBody({ scopes: 'read' }), 'scopes must be an array of strings');
  }
  const emulator = await pool.start('edge');
  const ok = ['/', '/**', '/*', '/orders/*/items', '/orders/'];
  const numeric = await call(emulator, 'POST', PRODUCTS, { body: productBody({ apiResources: ok, quota: 100, quotaInterval: 1 }) });
  assert.is(numeric.status, 201);
  assert.equal([numeric.body.quota, numeric.body.quotaInterval, numeric.body.apiResources], ['100', '1', ok], 'JSON integers are stored as strings');
});

test('validation: proxies and environments must exist in the org', async () => {
  for (const flavour of FLAVOURS) {
    await expect400(flavour, productBody({ proxies: ['payments-v9'] }), 'API proxy [payments-v9] does not exist');
    await expect400(flavour, productBody({ environments: ['staging'] }), 'environment [staging] does not exist');
  }
});

test('validation: unknown fields; X-only fields on Edge; createdBy on X; read-only fields ignored', async () => {
  await expect400('edge', productBody({ colour: 'blue' }), 'unknown field "colour"');
  await expect400('edge', productBody({ operationGroup: { operationConfigs: [] } }), 'unknown field "operationGroup"');
  await expect400('x', productBody({ createdBy: 'me' }), 'Invalid JSON payload received. Unknown name "createdBy": Cannot find field.');
  const emulator = await pool.start('edge');
  const echoed = productBody({ createdAt: 1, createdBy: 'someone@else', lastModifiedAt: 2, lastModifiedBy: 'x' });
  const created = await call(emulator, 'POST', PRODUCTS, { body: echoed });
  assert.equal([created.body.createdAt, created.body.createdBy], [NOW, USER], 'a bearer caller is the configured username');
});

test('X: operationGroup is checked and may not be combined with apiResources', async () => {
  const operationGroup = { operationConfigs: [{ apiSource: 'payments-v1', operations: [{ resource: '/charges', methods: ['GET'] }], quota: { limit: '10', interval: '1', timeUnit: 'minute' } }] };
  await expect400('x', productBody({ operationGroup }), 'apiResources cannot be combined with operationGroup');
  await expect400('x', productBody({ apiResources: [], operationGroup: { operationConfigs: [{ operations: [] }] } }), 'apiSource is required');
  await expect400('x', productBody({ apiResources: [], operationGroup: { operationConfigs: [{ apiSource: 'p', operations: [{ methods: [] }] }] } }), 'resource is required');
  await expect400('x', productBody({ apiResources: [], quotaCounterScope: 'GLOBAL' }), 'quotaCounterScope');
  const emulator = await pool.start('x');
  const created = await call(emulator, 'POST', PRODUCTS, { body: productBody({ apiResources: [], operationGroup, quotaCounterScope: 'OPERATION' }) });
  assert.is(created.status, 200);
  assert.equal(created.body.operationGroup, operationGroup);
});

test('PUT is a full replace: omitted fields are gone, the name is fixed, createdAt kept', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour, { now: () => NOW + 5 });
    const body = { displayName: 'Orders', approvalType: 'manual', environments: ['prod'] };
    const replaced = await call(emulator, 'PUT', product('orders'), { body });
    assert.is(replaced.status, 200, JSON.stringify(replaced.body));
    const stored = emulator.state.products.orders;
    assert.equal(stored, {
      name: 'orders', ...body, attributes: [], apiResources: [], proxies: [], scopes: [],
      createdAt: stored?.createdAt ?? 0, createdBy: 'apiproducts@acme.example.com', lastModifiedAt: NOW + 5, lastModifiedBy: flavour === 'edge' ? USER : 'apiproducts-sandbox@example.com',
    });
    assert.is(stored?.description, undefined, `${flavour}: the description left out is removed`);
    assert.equal((await call(emulator, 'GET', product('orders'))).body, replaced.body);
    const renamed = await call(emulator, 'PUT', product('orders'), { body: { ...body, name: 'orders-v2' } });
    assert.is(renamed.status, 400);
    assert.match(errorMessage(flavour, renamed), 'cannot be changed');
    assert.is((await call(emulator, 'PUT', product('orders'), { body: { ...body, name: 'orders' } })).status, 200);
    const missing = await call(emulator, 'PUT', product('nothing'), { body });
    assert.is(missing.status, 404);
    assert.is(edgeCode(missing), 'keymanagement.service.apiproduct_doesnot_exist');
  }
});

test('Edge also updates with POST on the product (apigee-edge-js); X answers 405', async () => {
  const edge = await pool.start('edge');
  const read = (await call(edge, 'GET', product('orders'))).body;
  const updated = await call(edge, 'POST', product('orders'), { body: { ...read, description: 'Restored.' } });
  assert.is(updated.status, 200);
  assert.is(updated.body.description, 'Restored.');
  assert.is(updated.body.createdAt, read.createdAt);
  const x = await call(await pool.start('x'), 'POST', product('orders'), { body: productBody({ name: 'orders' }) });
  assert.is(x.status, 405);
});

test('DELETE answers 200 with the deleted product; then it is gone', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    const before = (await call(emulator, 'GET', product('legacy-billing-product'))).body;
    assert.equal(await call(emulator, 'DELETE', product('legacy-billing-product')), { status: 200, body: before });
    const gone = await call(emulator, 'GET', product('legacy-billing-product'));
    assert.is(gone.status, 404);
    assert.is(errorMessage(flavour, gone), 'API Product [legacy-billing-product] does not exist for tenant [acme]');
    if (flavour === 'x') assert.is(gone.body.error.status, 'NOT_FOUND');
    assert.is((await call(emulator, 'DELETE', product('legacy-billing-product'))).status, 404);
  }
});

test.run();
