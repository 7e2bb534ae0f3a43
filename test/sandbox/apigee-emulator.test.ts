import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { manualClock, until } from '../helpers/clock.ts';
import { startApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { basic, call, emulatorPool, errorMessage, FLAVOURS, ORG_PATH, PASSWORD, PRODUCTS, product, productBody, TOKEN, USER } from './apigee-harness.ts';

// The protocol, per flavour: auth, routing, error envelopes, side lists, recording and hooks.
const pool = emulatorPool();
test.after(pool.closeAll);

test('listens on 127.0.0.1 with a free port; the url is the host root', async () => {
  const emulator = await pool.start('edge');
  assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('refuses to start without credentials the flavour accepts', async () => {
  const edge = startApigeeEmulator({ flavour: 'edge', org: 'o', credentials: { username: USER } });
  await edge.then(() => assert.unreachable('edge needs a token or a username and password'), (error: Error) => assert.match(error.message, 'credentials'));
  const x = startApigeeEmulator({ flavour: 'x', org: 'o', credentials: { username: USER, password: PASSWORD } });
  await x.then(() => assert.unreachable('x needs a token'), (error: Error) => assert.match(error.message, 'bearer tokens only'));
});

test('Edge: Bearer token or Basic email:password; anything else 401 {code, message, contexts}', async () => {
  const emulator = await pool.start('edge');
  assert.is((await call(emulator, 'GET', PRODUCTS)).status, 200);
  assert.is((await call(emulator, 'GET', PRODUCTS, { authorization: basic(USER, PASSWORD) })).status, 200);
  assert.is((await call(emulator, 'GET', PRODUCTS, { authorization: `bearer ${TOKEN}` })).status, 200, 'scheme is case-insensitive');
  for (const authorization of [null, 'Bearer wrong', `Bearer ${TOKEN} extra`, basic(USER, 'wrong'), basic('bob@example.com', PASSWORD), 'Basic !!!', TOKEN]) {
    const answer = await call(emulator, 'GET', PRODUCTS, { authorization });
    assert.is(answer.status, 401, String(authorization));
    assert.equal(Object.keys(answer.body), ['code', 'message', 'contexts']);
    assert.is(answer.body.code, 'security.unauthorized');
  }
});

test('X: Bearer only; even a correct Basic pair is 401 UNAUTHENTICATED in the Google envelope', async () => {
  const emulator = await startApigeeEmulator({ flavour: 'x', org: 'acme', credentials: { token: TOKEN, username: USER, password: PASSWORD } });
  try {
    assert.is((await call(emulator, 'GET', PRODUCTS)).status, 200);
    for (const authorization of [basic(USER, PASSWORD), null, 'Bearer wrong']) {
      const answer = await call(emulator, 'GET', PRODUCTS, { authorization });
      assert.is(answer.status, 401);
      assert.is(answer.body.error.code, 401);
      assert.is(answer.body.error.status, 'UNAUTHENTICATED');
      assert.match(answer.body.error.message, 'invalid authentication credentials');
    }
  } finally {
    await emulator.close();
  }
});

test('Edge accepts the /v1/o/{org} short form; X does not', async () => {
  const edge = await pool.start('edge');
  assert.equal((await call(edge, 'GET', '/v1/o/acme/apiproducts')).body, ['legacy-billing-product', 'orders']);
  const x = await pool.start('x');
  const answer = await call(x, 'GET', '/v1/o/acme/apiproducts');
  assert.is(answer.status, 404);
  assert.is(answer.body.error.status, 'NOT_FOUND');
});

test('another org is 403 on both flavours', async () => {
  for (const flavour of FLAVOURS) {
    const answer = await call(await pool.start(flavour), 'GET', '/v1/organizations/other/apiproducts');
    assert.is(answer.status, 403, flavour);
    assert.match(errorMessage(flavour, answer), 'organizations/other');
    if (flavour === 'x') assert.is(answer.body.error.status, 'PERMISSION_DENIED');
  }
});

test('unknown routes are 404, other methods on known routes 405 with Allow', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    for (const path of ['/v1/nothing', `${ORG_PATH}/companies`, `${PRODUCTS}/orders/x/y/z`, '/']) {
      const answer = await call(emulator, 'GET', path);
      assert.is(answer.status, 404, `${flavour} ${path}`);
      errorMessage(flavour, answer);
    }
    const response = await fetch(`${emulator.url}${ORG_PATH}/apis`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.is(response.status, 405);
    assert.is(response.headers.get('allow'), 'GET');
    errorMessage(flavour, { status: 405, body: await response.json() });
  }
});

test('malformed JSON is 400 in the flavour envelope', async () => {
  for (const flavour of FLAVOURS) {
    const emulator = await pool.start(flavour);
    for (const rawBody of ['{"name": ', '[]', '"text"', '']) {
      const answer = await call(emulator, 'POST', PRODUCTS, { rawBody });
      assert.is(answer.status, 400, `${flavour} ${rawBody}`);
      const message = errorMessage(flavour, answer);
      if (flavour === 'x') assert.match(message, 'Invalid JSON payload received.');
    }
  }
});

test('Edge requires Content-Type: application/json on bodies (415); X does not', async () => {
  const edge = await pool.start('edge');
  for (const contentType of [null, 'text/xml']) {
    const answer = await call(edge, 'POST', PRODUCTS, { body: productBody(), contentType });
    assert.is(answer.status, 415, String(contentType));
    assert.is(answer.body.code, 'messaging.adaptors.http.unsupported_media_type');
  }
  assert.is((await call(edge, 'POST', PRODUCTS, { body: productBody(), contentType: 'application/json; charset=utf-8' })).status, 201);
  assert.is((await call(edge, 'DELETE', product('payments'), { contentType: null })).status, 200, 'no body, no check');
  assert.is((await call(await pool.start('x'), 'POST', PRODUCTS, { body: productBody(), contentType: null })).status, 200);
});

test('proxies: Edge an array of names, X {proxies: [{name}]} and {} when there are none', async () => {
  const names = ['payments-v1', 'orders-v2', 'identity-v1', 'loyalty-v1', 'legacy-billing'];
  assert.equal((await call(await pool.start('edge'), 'GET', `${ORG_PATH}/apis`)).body, names);
  const x = await pool.start('x');
  assert.equal((await call(x, 'GET', `${ORG_PATH}/apis`)).body, { proxies: names.map((name) => ({ name })) });
  x.state.proxies = [];
  assert.equal((await call(x, 'GET', `${ORG_PATH}/apis`)).body, {});
});

test('environments: an array of names on both flavours', async () => {
  for (const flavour of FLAVOURS) {
    assert.equal(await call(await pool.start(flavour), 'GET', `${ORG_PATH}/environments`), { status: 200, body: ['test', 'prod'] });
  }
});

test('the organization itself answers, with or without a trailing slash', async () => {
  const emulator = await pool.start('edge');
  const expected = { status: 200, body: { name: 'acme', displayName: 'acme', environments: ['test', 'prod'], properties: { property: [{ name: 'features.isCpsEnabled', value: 'true' }] } } };
  assert.equal(await call(emulator, 'GET', `${ORG_PATH}/`), expected);
  assert.equal(await call(emulator, 'GET', ORG_PATH), expected);
  assert.is((await call(emulator, 'GET', `${PRODUCTS}/`)).status, 200);
});

test('every request is recorded with its pathname, status and query string', async () => {
  const emulator = await pool.start('edge');
  await call(emulator, 'GET', `${PRODUCTS}?expand=true`);
  await call(emulator, 'GET', PRODUCTS, { authorization: null });
  await call(emulator, 'DELETE', product('nothing'));
  assert.equal(emulator.requests, [
    { method: 'GET', path: PRODUCTS, status: 200, query: '?expand=true' },
    { method: 'GET', path: PRODUCTS, status: 401 },
    { method: 'DELETE', path: `${PRODUCTS}/nothing`, status: 404 },
  ]);
});

test('recordRequests: false keeps no request log (a serve left running), and still counts every request', async () => {
  const emulator = await pool.start('x', { recordRequests: false });
  for (let i = 0; i < 5; i++) await call(emulator, 'GET', PRODUCTS);
  await call(emulator, 'DELETE', product('nothing'));
  assert.equal(emulator.requests, []);
  assert.is(emulator.counters.requests, 6);
});

test('onMutation sees the state after each successful change only', async () => {
  const seen: number[] = [];
  const emulator = await pool.start('x', { onMutation: (state) => seen.push(Object.keys(state.products).length) });
  await call(emulator, 'GET', PRODUCTS);
  await call(emulator, 'POST', PRODUCTS, { body: { name: 'no display name' } });
  await call(emulator, 'POST', PRODUCTS, { body: productBody() });
  await call(emulator, 'POST', `${product('orders')}/attributes/tier`, { body: { value: 'gold' } });
  await call(emulator, 'DELETE', product('orders'));
  assert.equal(seen, [3, 3, 2]);
});

test('latencyMs delays every response (on a manual clock: not answered at 39 ms, answered at 40)', async () => {
  const clock = manualClock();
  const emulator = await pool.start('x', { latencyMs: 40, faultClock: clock });
  let answered = false;
  const answer = call(emulator, 'GET', `${ORG_PATH}/environments`).then((a) => ((answered = true), a));
  await until(() => clock.sleeping === 1);
  await clock.advance(39);
  assert.is(answered, false, 'answered before its latency');
  await clock.advance(1);
  assert.is((await answer).status, 200);
});

test.run();
