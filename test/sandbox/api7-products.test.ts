import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, emulatorPool, externalBody, gatewayBody, NOW, PRODUCTS, product } from './api7-harness.ts';
import { activeSubscriptions } from '../../src/sandbox/api7/subscriptions.ts';

// API products: create, read, replace, delete, validation and the vendor's lifecycle rules.
const pool = emulatorPool();
test.after(pool.closeAll);

async function expect400(body: Record<string, unknown>, message: string | RegExp, method = 'POST', path = PRODUCTS) {
  const emulator = await pool.start();
  const answer = await call(emulator, method, path, { body });
  assert.is(answer.status, 400, JSON.stringify(answer.body));
  if (typeof message === 'string') assert.is(answer.body.error_msg, message);
  else assert.match(answer.body.error_msg, message);
}

test('POST creates with 200 {value}, a server id and integer timestamps', async () => {
  const emulator = await pool.start();
  const created = await call(emulator, 'POST', PRODUCTS, { body: gatewayBody({ id: 'mine', created_at: 1 }) });
  assert.is(created.status, 200);
  assert.equal(created.body.value, { id: 'prod-payments-api', ...gatewayBody(), can_view_unsubscribed: true, created_at: NOW, updated_at: NOW });
  assert.equal(await call(emulator, 'GET', product('prod-payments-api')), created);
  assert.is(activeSubscriptions(emulator.state, 'prod-payments-api'), 0);
  const again = await call(emulator, 'POST', PRODUCTS, { body: externalBody({ name: 'Payments API' }) });
  assert.is(again.body.value.id, 'prod-payments-api-2', 'ids stay unique when names repeat');
});

test('POST defaults status to draft and visibility to public, and stores only what was sent', async () => {
  const emulator = await pool.start();
  const body = { name: 'Loyalty', type: 'gateway' };
  const created = await call(emulator, 'POST', PRODUCTS, { body });
  assert.equal(created.body.value, { id: 'prod-loyalty', ...body, visibility: 'public', status: 'draft', can_view_unsubscribed: true, created_at: NOW, updated_at: NOW });
});

test('POST accepts an external product', async () => {
  const created = await call(await pool.start(), 'POST', PRODUCTS, { body: externalBody() });
  assert.is(created.status, 200);
  assert.is(created.body.value.server_urls[0], 'https://api.weather-partner.example.com/v2');
});

test('GET of an unknown product id is 404', async () => {
  const emulator = await pool.start();
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const answer = await call(emulator, method, product('prod-nothing'), { body: method === 'PUT' ? gatewayBody() : undefined });
    assert.equal(answer, { status: 404, body: { error_msg: 'api product not found' } }, method);
  }
});

test('PUT replaces every writable field, keeps id and created_at, bumps updated_at; what it leaves out is gone', async () => {
  let clock = NOW;
  const emulator = await pool.start({ now: () => clock });
  const before = (await call(emulator, 'GET', product('prod-orders'))).body.value;
  clock = NOW + 60;
  const body = { name: 'Orders API', type: 'gateway', status: 'published', auth: { 'basic-auth': {} }, visibility: 'logged_in' };
  const replaced = await call(emulator, 'PUT', product('prod-orders'), { body: { ...body, id: 'other', updated_at: 5 } });
  assert.is(replaced.status, 200);
  assert.equal(replaced.body.value, { id: 'prod-orders', ...body, can_view_unsubscribed: true, created_at: before.created_at, updated_at: NOW + 60 });
  assert.equal((await call(emulator, 'GET', product('prod-orders'))).body, replaced.body);
  assert.is(activeSubscriptions(emulator.state, 'prod-orders'), 3, 'staying published keeps subscriptions');
});

test('DELETE returns 200 {} and the product is gone', async () => {
  const emulator = await pool.start();
  assert.equal(await call(emulator, 'DELETE', product('prod-legacy-billing')), { status: 200, body: {} });
  assert.is((await call(emulator, 'GET', product('prod-legacy-billing'))).status, 404);
  assert.is((await call(emulator, 'GET', PRODUCTS)).body.total, 1);
  assert.is(activeSubscriptions(emulator.state, 'prod-legacy-billing'), 0);
});

test('validation: name and type are required, enums are checked', async () => {
  await expect400(gatewayBody({ name: undefined }), 'name is required');
  await expect400(gatewayBody({ name: '  ' }), 'name is required');
  // reference Round 2 [OAS]: name maxLength 100 (code points), label values non-empty.
  await expect400(gatewayBody({ name: 'Ä'.repeat(101) }), 'name must be at most 100 characters');
  await expect400(gatewayBody({ labels: { tier: '' } }), 'labels.tier must not be empty');
  await expect400(gatewayBody({ type: undefined }), /^type is required/);
  await expect400(gatewayBody({ type: 'proxy' }), /^type must be one of gateway, external/);
  await expect400(gatewayBody({ visibility: 'logged-in' }), /^visibility must be one of public, logged_in/);
  await expect400(gatewayBody({ status: 'live' }), /^status must be one of draft, published/);
});

test('validation: wrongly typed fields and an empty auth are refused', async () => {
  await expect400(gatewayBody({ auth: {} }), /^invalid request body: auth: must have at least 1 property/);
  await expect400(gatewayBody({ logo: 1 }), /^logo must be a string/);
  await expect400(gatewayBody({ auth: { 'key-auth': { hide_credentials: 'yes' } } }), /^auth.key-auth.hide_credentials must be a boolean/);
  await expect400(gatewayBody({ labels: { tier: 1 } }), /^labels/);
  await expect400(gatewayBody({ subscription_auto_approval: 'yes' }), /^subscription_auto_approval/);
  await expect400(gatewayBody({ auth: { oauth: {} } }), /unknown authentication method "oauth"/);
  await expect400(gatewayBody({ linked_gateway_services: [{ gateway_group_id: 'gg-production' }] }), /service_id is required/);
});

test('validation: PUT checks the body like POST', async () => {
  await expect400(gatewayBody({ type: undefined }), /^type is required/, 'PUT', product('prod-legacy-billing'));
  await expect400(gatewayBody({ status: 'draft', auth: {} }), /^invalid request body: auth/, 'PUT', product('prod-legacy-billing'));
});

test('fields the emulator does not know are kept and returned, like a newer server', async () => {
  const emulator = await pool.start();
  const created = await call(emulator, 'POST', PRODUCTS, { body: gatewayBody({ x_future: { a: 1 }, logo: 'https://l' }) });
  assert.is(created.status, 200);
  assert.equal(created.body.value.x_future, { a: 1 });
  assert.is(created.body.value.logo, 'https://l');
  const listed = (await call(emulator, 'GET', PRODUCTS)).body.list.find((p: { id: string }) => p.id === created.body.value.id);
  assert.equal(listed.x_future, { a: 1 });
});

test('the seed has a dashboard logo and a key-auth with a custom header', async () => {
  const legacy = (await call(await pool.start(), 'GET', product('prod-legacy-billing'))).body.value;
  assert.ok(legacy.logo);
  assert.equal(legacy.auth, { 'key-auth': { header: 'X-Billing-Key' } });
});

test('validation: linked gateway groups and services must exist', async () => {
  const link = (gateway_group_id: string, service_id: string) => gatewayBody({ linked_gateway_services: [{ gateway_group_id, service_id }] });
  await expect400(link('gg-nowhere', 'svc-payments'), 'gateway group gg-nowhere not found');
  await expect400(link('gg-staging', 'svc-identity'), 'service svc-identity not found in gateway group gg-staging');
});

test('validation: services of one template (one service_id) cannot be linked from two gateway groups of one product', async () => {
  const both = gatewayBody({ linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-payments' }, { gateway_group_id: 'gg-staging', service_id: 'svc-payments' }] });
  await expect400(both, 'service svc-payments is linked from two gateway groups; services of one template cannot be in one api product');
});

test('validation: linked_hosts must be hosts of the service', async () => {
  const body = gatewayBody({
    linked_gateway_services: [{ gateway_group_id: 'gg-production', service_id: 'svc-payments', linked_hosts: ['pay.example.com', 'evil.example.com'] }],
  });
  await expect400(body, 'host evil.example.com is not a host of service svc-payments in gateway group gg-production');
});

test('validation: the dcr provider must exist', async () => {
  await expect400(gatewayBody({ auth: { dcr: { dcr_provider_id: 'dcr-nowhere' } } }), 'dcr provider dcr-nowhere not found');
  await expect400(gatewayBody({ auth: { dcr: {} } }), 'auth.dcr.dcr_provider_id is required');
  const created = await call(await pool.start(), 'POST', PRODUCTS, { body: gatewayBody({ auth: { dcr: { dcr_provider_id: 'dcr-corp-idp' } } }) });
  assert.is(created.status, 200);
});

test('validation: external products need raw_openapi and server_urls, and take no auth or services', async () => {
  await expect400(externalBody({ raw_openapi: undefined }), 'raw_openapi is required for external api products');
  await expect400(externalBody({ server_urls: [] }), 'server_urls must list at least one URL for external api products');
  await expect400(externalBody({ auth: { 'key-auth': {} } }), 'external api products do not support auth');
  const services = [{ gateway_group_id: 'gg-production', service_id: 'svc-payments' }];
  await expect400(externalBody({ linked_gateway_services: services }), 'external api products cannot link gateway services');
});

test('one product per service: a second link is refused, the owner may keep it', async () => {
  const emulator = await pool.start();
  const orders = [{ gateway_group_id: 'gg-production', service_id: 'svc-orders' }];
  const second = await call(emulator, 'POST', PRODUCTS, { body: gatewayBody({ linked_gateway_services: orders }) });
  assert.equal(second, { status: 400, body: { error_msg: 'service svc-orders is already linked to api product Orders API' } });
  const staging = [{ gateway_group_id: 'gg-staging', service_id: 'svc-orders' }];
  assert.is((await call(emulator, 'POST', PRODUCTS, { body: gatewayBody({ linked_gateway_services: staging }) })).status, 200);
  const keep = { name: 'Orders API', type: 'gateway', status: 'published', auth: { 'basic-auth': {} }, linked_gateway_services: orders };
  assert.is((await call(emulator, 'PUT', product('prod-orders'), { body: keep })).status, 200);
  assert.is((await call(emulator, 'DELETE', product('prod-orders'))).status, 200);
  assert.is((await call(emulator, 'POST', PRODUCTS, { body: gatewayBody({ linked_gateway_services: orders }) })).status, 200);
});

test('auth is locked while a product stays published', async () => {
  const emulator = await pool.start();
  const body = { name: 'Legacy Billing', type: 'gateway', status: 'published', auth: { 'basic-auth': {} } };
  const refused = await call(emulator, 'PUT', product('prod-legacy-billing'), { body });
  assert.equal(refused, {
    status: 400,
    body: { error_msg: 'the authentication of a published api product cannot be changed; unpublish it first' },
  });
  const withoutAuth = await call(emulator, 'PUT', product('prod-legacy-billing'), { body: { ...body, auth: undefined } });
  assert.is(withoutAuth.status, 400, 'removing auth is a change too');
  const unchanged = await call(emulator, 'GET', product('prod-legacy-billing'));
  assert.equal(unchanged.body.value.auth, { 'key-auth': { header: 'X-Billing-Key' } });
  const defaultsOverCustom = await call(emulator, 'PUT', product('prod-legacy-billing'), { body: { ...body, auth: { 'key-auth': {} } } });
  assert.is(defaultsOverCustom.status, 400, 'dropping the custom header is an auth change');
});

test('unpublish, change auth, republish: allowed, and unpublishing cancels every subscription', async () => {
  const emulator = await pool.start();
  const body = { name: 'Legacy Billing', type: 'gateway', auth: { 'key-auth': {} } };
  assert.is(activeSubscriptions(emulator.state, 'prod-legacy-billing'), 12);
  assert.is((await call(emulator, 'PUT', product('prod-legacy-billing'), { body: { ...body, status: 'draft' } })).status, 200);
  assert.is(activeSubscriptions(emulator.state, 'prod-legacy-billing'), 0);
  const changed = { ...body, auth: { 'basic-auth': {} } };
  assert.is((await call(emulator, 'PUT', product('prod-legacy-billing'), { body: { ...changed, status: 'draft' } })).status, 200);
  const republished = await call(emulator, 'PUT', product('prod-legacy-billing'), { body: { ...changed, status: 'published' } });
  assert.is(republished.status, 200);
  assert.equal(republished.body.value.auth, { 'basic-auth': {} });
});

test('a PUT without status is a full replace too: it unpublishes', async () => {
  const emulator = await pool.start();
  const body = { name: 'Orders API', type: 'gateway', auth: { 'basic-auth': {} } };
  const answer = await call(emulator, 'PUT', product('prod-orders'), { body });
  assert.is(answer.body.value.status, 'draft');
  assert.is(activeSubscriptions(emulator.state, 'prod-orders'), 0);
});

test.run();
