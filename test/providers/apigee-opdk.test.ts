/**
 * Apigee Edge for Private Cloud (OPDK): the management server at `http://ms:8080/v1`, product
 * lists answered whole without paging (the emulator's privateCloud mode, src/sandbox/apigee/opdk.ts),
 * Basic or OAuth from the SSO module, and the server's own `{code, message, contexts}` errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apigee } from '../../src/providers/apigee/index.ts';
import { startApigeeEmulator, type ApigeeCredentials, type ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { seedApigeeState, storeProduct, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import { startTokenEndpoint } from '../../src/sandbox/apigee/token-endpoint.ts';
import { apigeeSandbox } from '../../src/sandbox/apigee/sandbox.ts';
import { tempDir } from '../helpers/temp.ts';
import { join } from 'node:path';
import { apigeeTarget } from './apigee-fixtures.ts';
import { apigeeProduct, changeFor, ORG } from './apigee-fixtures.ts';
import { byKey, createFailureLog, realTarget } from './apigee-harness.ts';

const USER = 'opdk-admin@example.com';
const PASSWORD = 'opdk-SENTINEL-password';
const basicEnv = { OPDK_USER: USER, OPDK_PASSWORD: PASSWORD };
const { failure } = createFailureLog();

async function withPrivateCloud(run: (emulator: ApigeeEmulator) => Promise<void>, state: ApigeeState = seedApigeeState(ORG), credentials: ApigeeCredentials = { username: USER, password: PASSWORD }): Promise<void> {
  const emulator = await startApigeeEmulator({ flavour: 'edge', org: ORG, credentials, state, privateCloud: true, now: () => 1767225600000 });
  try {
    await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** As written for a management server: the url with `/v1`, Basic credentials. */
function opdkTarget(emulator: ApigeeEmulator, settings: Record<string, unknown> = { usernameEnv: 'OPDK_USER', passwordEnv: 'OPDK_PASSWORD' }) {
  const target = realTarget(emulator, 'edge', settings);
  const url = `${emulator.url}/v1`;
  return { ...target, url, settings: { ...target.settings, url } };
}
const listRequests = (emulator: ApigeeEmulator): number => emulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/apiproducts')).length;

test('the emulator in privateCloud mode ignores count and startKey and says CPS is off', async () => {
  await withPrivateCloud(async (emulator) => {
    const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
    const page = (await (await fetch(`${emulator.url}/v1/organizations/${ORG}/apiproducts?expand=true&count=1&startKey=zzz`, { headers: auth })).json()) as { apiProduct: unknown[] };
    assert.is(page.apiProduct.length, 2);
    const org = (await (await fetch(`${emulator.url}/v1/organizations/${ORG}`, { headers: auth })).json()) as { properties: { property: { name: string; value: string }[] } };
    assert.equal(org.properties.property, [{ name: 'features.isCpsEnabled', value: 'false' }]);
  });
  let refused: unknown;
  await startApigeeEmulator({ flavour: 'x', org: ORG, credentials: { token: 't' }, privateCloud: true }).catch((error: unknown) => (refused = error));
  assert.match(String(refused), 'an Apigee Edge mode');
});

test('url http://ms:8080/v1 and Basic: observe, then create, update and delete', async () => {
  await withPrivateCloud(async (emulator) => {
    const target = opdkTarget(emulator);
    const provider = apigee.connect(target, { url: target.url, env: basicEnv });
    const live = await provider.observe();
    assert.is(live.length, 2);
    assert.ok(emulator.requests.every((request) => request.path.startsWith(`/v1/organizations/${ORG}`)), 'no /v1/v1');
    const [identity] = apigee.toDesired(apigeeProduct('identity'), target);
    assert.is((await provider.apply(changeFor('create', identity!))).error, undefined);
    const after = await provider.observe();
    const created = byKey(after, identity!.key)!;
    const update = { ...identity!, state: { ...identity!.state, description: 'Now on Private Cloud.' } };
    assert.is((await provider.apply(changeFor('update', update, created))).error, undefined);
    assert.is(emulator.state.products[identity!.key]!.description, 'Now on Private Cloud.');
    assert.is((await provider.apply(changeFor('delete', undefined, created))).error, undefined);
    assert.is(emulator.state.products[identity!.key], undefined);
  });
});

/** The seeded org with `count` more products, copies of one seeded product. */
function withBulkProducts(count: number): ReturnType<typeof seedApigeeState> {
  const state = seedApigeeState(ORG);
  const template = state.products['legacy-billing-product']!;
  for (let i = 0; i < count; i++) storeProduct(state, { ...template, name: `bulk-${String(i).padStart(4, '0')}` });
  return state;
}

test('more products than a page: read whole in ONE request, never paged past', async () => {
  const state = withBulkProducts(1500);
  await withPrivateCloud(async (emulator) => {
    const target = opdkTarget(emulator);
    assert.is((await apigee.connect(target, { url: target.url, env: basicEnv }).observe()).length, 1502);
    assert.is(listRequests(emulator), 1);
  }, state);
});

test('exactly a page of products: refused as ambiguous (whole list or stuck pager), never guessed', async () => {
  const state = withBulkProducts(998);
  await withPrivateCloud(async (emulator) => {
    const target = opdkTarget(emulator);
    const error = await failure(apigee.connect(target, { url: target.url, env: basicEnv }).observe());
    assert.match(error.message, 'a Private Cloud org without paging that holds exactly 1000 products looks the same');
    assert.is(listRequests(emulator), 2);
  }, state);
});

test('the management server\'s own error body: its message, not the JSON', async () => {
  await withPrivateCloud(async (emulator) => {
    const target = opdkTarget(emulator);
    const provider = apigee.connect(target, { url: target.url, env: basicEnv });
    const orders = byKey(await provider.observe(), 'orders')!;
    // Deleted behind our back after observe: the PUT gets the server's 404.
    delete emulator.state.products['orders'];
    const result = await provider.apply(changeFor('update', apigee.toDesired(apigeeProduct('orders'), target)[0]!, orders));
    const message = (result.error as Error).message;
    assert.match(message, 'HTTP 404 from PUT /v1/organizations/sandbox/apiproducts/orders: API Product [orders] does not exist for tenant [sandbox]');
    assert.not.match(message, 'contexts');
  });
});

test('OAuth on Private Cloud: tokens from the SSO module (tokenUrl), renewed mid-run', async () => {
  const tokens = await startTokenEndpoint({ users: { [USER]: PASSWORD }, requestsPerToken: 1 });
  try {
    await withPrivateCloud(async (emulator) => {
      const target = opdkTarget(emulator, { auth: 'oauth', usernameEnv: 'OPDK_USER', passwordEnv: 'OPDK_PASSWORD', tokenUrl: tokens.edgeTokenUrl });
      const provider = apigee.connect(target, { url: target.url, env: basicEnv });
      for (let run = 0; run < 3; run++) assert.is((await provider.observe()).length, 2);
      assert.equal(tokens.grants.map((grant) => grant.grant), ['password', 'refresh_token', 'refresh_token']);
    }, seedApigeeState(ORG), { issuer: tokens.issuer });
  } finally {
    await tokens.close();
  }
});

test('an Edge sandbox target with privateCloud: true serves the Private Cloud mode; plan and apply work on it', async () => {
  for (const privateCloud of [true, false]) {
    const target = apigeeTarget('edge', { privateCloud });
    const started = await apigeeSandbox.start(target, join(tempDir('apigee-opdk-sandbox-'), 'state.json'));
    try {
      const provider = apigee.connect(target, started.endpoint);
      const org = (await (await fetch(`${started.endpoint.url}/v1/organizations/${ORG}`, { headers: { authorization: `Bearer ${started.endpoint.secret}` } })).json()) as { properties: { property: { value: string }[] } };
      assert.is(org.properties.property[0]!.value, privateCloud ? 'false' : 'true');
      const [weather] = apigee.toDesired(apigeeProduct('weather'), target);
      assert.is((await provider.apply(changeFor('create', weather!))).error, undefined);
      assert.ok(byKey(await provider.observe(), weather!.key));
    } finally {
      await started.close();
    }
  }
});

test.run();
