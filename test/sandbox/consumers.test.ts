/** The emulators' consumers: API7 subscriptions, Apigee developers and apps (their routes and vendor rules). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as api7 from './api7-harness.ts';
import * as apigee from './apigee-harness.ts';

const api7Pool = api7.emulatorPool();
const apigeePool = apigee.emulatorPool();
test.after(async () => {
  await Promise.all([api7Pool.closeAll(), apigeePool.closeAll()]);
});

const SUBSCRIPTIONS = '/api/subscriptions';

test('api7: subscriptions are listed per product and status, paged as {list, total}; bad queries are 400', async () => {
  const emulator = await api7Pool.start();
  const all = await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?api_product_id=prod-orders`);
  assert.is(all.status, 200);
  assert.is(all.body.total, 4);
  const active = await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?api_product_id=prod-orders&status=subscribed&page=1&page_size=1`);
  assert.is(active.body.total, 3);
  assert.is(active.body.list.length, 1);
  assert.is(active.body.list[0].api_product_id, 'prod-orders');
  const pending = await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?api_product_id=prod-orders&status=wait_for_approval`);
  assert.is(pending.body.total, 1);
  const byDeveloper = await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?developer_id=dev-1`);
  assert.equal(byDeveloper.body.list.map((s: { api_product_id: string }) => s.api_product_id).sort(), ['prod-legacy-billing', 'prod-orders']);
  assert.is((await api7.call(emulator, 'GET', SUBSCRIPTIONS)).status, 400);
  assert.is((await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?api_product_id=prod-orders&status=active`)).status, 400);
});

test('api7: unpublishing and deleting a product delete its subscription records; staying published keeps them', async () => {
  const emulator = await api7Pool.start();
  const count = async (id: string) => (await api7.call(emulator, 'GET', `${SUBSCRIPTIONS}?api_product_id=${id}`)).body.total;
  const orders = (await api7.call(emulator, 'GET', api7.product('prod-orders'))).body.value;
  const { id: _id, created_at: _c, updated_at: _u, ...body } = orders;
  assert.is((await api7.call(emulator, 'PUT', api7.product('prod-orders'), { body: { ...body, desc: 'edited' } })).status, 200);
  assert.is(await count('prod-orders'), 4);
  assert.is((await api7.call(emulator, 'PUT', api7.product('prod-orders'), { body: { ...body, status: 'draft' } })).status, 200);
  assert.is(await count('prod-orders'), 0);
  assert.is((await api7.call(emulator, 'DELETE', api7.product('prod-legacy-billing'))).status, 200);
  assert.is(await count('prod-legacy-billing'), 0);
});

test('x: apps by apiProduct, paged by pageSize/pageToken; an empty answer is {}', async () => {
  const emulator = await apigeePool.start('x');
  const apps = `${apigee.ORG_PATH}/apps`;
  const orders = await apigee.call(emulator, 'GET', `${apps}?apiProduct=orders`);
  assert.equal(orders.body, { app: [{ appId: 'app-mobile-checkout' }, { appId: 'app-shop-frontend' }, { appId: 'app-warehouse-sync' }] });
  const first = await apigee.call(emulator, 'GET', `${apps}?apiProduct=orders&pageSize=2`);
  assert.is(first.body.app.length, 2);
  const rest = await apigee.call(emulator, 'GET', `${apps}?apiProduct=orders&pageSize=2&pageToken=${first.body.nextPageToken}`);
  assert.equal(rest.body, { app: [{ appId: 'app-warehouse-sync' }] });
  assert.equal((await apigee.call(emulator, 'GET', `${apps}?apiProduct=nothing`)).body, {});
  assert.equal((await apigee.call(emulator, 'GET', `${apps}?apiProduct=orders&status=revoked`)).body, {});
  assert.is((await apigee.call(emulator, 'GET', `${apps}?pageSize=0`)).status, 400);
  const developers = await apigee.call(emulator, 'GET', `${apigee.ORG_PATH}/developers`);
  assert.equal(developers.body.developer.map((d: { email: string }) => d.email), ['ana@partner.example.com', 'raj@partner.example.com']);
});

test('edge: query=list&entity=apps on a product lists the ids of the apps holding it; /apps has no product filter', async () => {
  const emulator = await apigeePool.start('edge');
  const listed = await apigee.call(emulator, 'GET', `${apigee.product('orders')}?query=list&entity=apps`);
  assert.equal(listed.body, ['app-mobile-checkout', 'app-shop-frontend', 'app-warehouse-sync']);
  assert.is((await apigee.call(emulator, 'GET', `${apigee.product('nothing')}?query=list&entity=apps`)).status, 404);
  assert.is((await apigee.call(emulator, 'GET', `${apigee.product('orders')}?query=count&entity=keys`)).status, 400);
  const everyApp = await apigee.call(emulator, 'GET', `${apigee.ORG_PATH}/apps?apiProduct=orders`);
  assert.is(everyApp.body.length, 4, 'Edge ignores apiProduct: a client counting with it over-counts');
  assert.equal((await apigee.call(emulator, 'GET', `${apigee.ORG_PATH}/developers`)).body, ['ana@partner.example.com', 'raj@partner.example.com']);
  const product = await apigee.call(emulator, 'GET', apigee.product('orders'));
  assert.is(product.body.name, 'orders', 'without a query the product itself');
});

test.run();
