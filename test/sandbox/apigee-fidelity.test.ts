/**
 * Fidelity of the Apigee Edge emulator against a published client: apigee-edge-js (DinoChiesa,
 * npm), pointed at the emulator with its `mgmtServer` option. The library must be satisfied (it
 * checks statuses itself: 201 on create, 200 elsewhere) and the answers must be the documented
 * ones (shared/reference/apigee-management-api.md §1–§6, §10). Where the library and the docs
 * disagree (update: the library POSTs, the docs PUT) both are exercised and the docs win.
 *
 * Hermetic: HOME is a fresh temp dir while the library is loaded and used (it reads ~/.netrc and
 * a token stash there), proxy variables are cleared, and every socket opened during the suite
 * must go to 127.0.0.1; anything else is refused and fails the suite.
 */
import { tempDir } from '../helpers/temp.ts';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getProviderKind } from '../../src/registry.ts';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { apigeeTarget } from '../providers/apigee-fixtures.ts';
import { basic, call, edgeCode, emulatorPool, ORG, ORG_PATH, PASSWORD, product, PRODUCTS, TOKEN, USER } from './apigee-harness.ts';

/** The part of apigee-edge-js this suite uses (the package ships no types). */
type Json = Record<string, any>;
interface EdgeJsOrg {
  conn: { orgProperties?: Record<string, string> };
  products: {
    create(options: Json): Promise<Json>;
    get(options: { name?: string; expand?: boolean }): Promise<any>;
    update(product: Json): Promise<Json>;
    del(options: { name: string }): Promise<Json>;
  };
}
interface EdgeJs {
  connect(options: Json): Promise<EdgeJsOrg>;
}
/** How the library rejects: `bad status: <n>`, with the parsed error body in `result`. */
type EdgeJsError = Error & { result?: any };

const pool = emulatorPool();
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'NO_PROXY', 'no_proxy'];
const savedEnv = new Map<string, string | undefined>();
const originalConnect = net.Socket.prototype.connect;
/** Every host a socket was opened to while the suite ran. */
const hosts: string[] = [];
let home = '';
let edge: EdgeJs;

test.before(() => {
  for (const name of ['HOME', ...PROXY_VARIABLES]) savedEnv.set(name, process.env[name]);
  for (const name of PROXY_VARIABLES) delete process.env[name];
  home = tempDir('apiproducts-edgejs-home-');
  process.env.HOME = home;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() hands over its normalised arguments as one array: [options, callback].
    const [first, second] = (Array.isArray(args[0]) ? args[0] : args) as [unknown, unknown];
    const options = typeof first === 'object' && first !== null ? (first as { host?: string; path?: string }) : undefined;
    if (options?.path === undefined) {
      const host = options ? (options.host ?? 'localhost') : typeof second === 'string' ? second : 'localhost';
      hosts.push(host);
      if (host !== '127.0.0.1') {
        process.nextTick(() => this.destroy(new Error(`the fidelity suite is hermetic: connection to ${host} refused`)));
        return this;
      }
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  // Loaded only now: it reads ~/.netrc and fixes its token stash path when first required.
  edge = (createRequire(import.meta.url)('apigee-edge-js') as { apigee: EdgeJs }).apigee;
});

test.after(async () => {
  await pool.closeAll();
  net.Socket.prototype.connect = originalConnect;
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(home, { recursive: true, force: true });
});

/**
 * The library throws some errors inside its HTTP callbacks, where no promise catches them (e.g. an
 * answer it cannot read). They become this call's failure instead of the test runner's crash.
 */
function guarded<T>(promise: Promise<T>): Promise<T> {
  let onCrash: (error: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    onCrash = (error) => reject(new Error(`apigee-edge-js crashed on the emulator's answer: ${error.message}`));
    process.once('uncaughtException', onCrash);
  });
  return Promise.race([promise, crashed]).finally(() => process.off('uncaughtException', onCrash));
}

async function rejection(promise: Promise<unknown>): Promise<EdgeJsError> {
  try {
    await guarded(promise);
  } catch (error) {
    return error as EdgeJsError;
  }
  throw new Error('expected apigee-edge-js to reject');
}

/** Connected the way a Private Cloud user would: Basic (email:password), no OAuth token. */
async function connectBasic(emulator: ApigeeEmulator, password = PASSWORD): Promise<EdgeJsOrg> {
  return guarded(edge.connect({ mgmtServer: emulator.url, org: ORG, user: USER, password, no_token: true }));
}

const trace = (emulator: ApigeeEmulator): string[] => emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

const WEATHER = {
  name: 'weather-basic',
  displayName: 'Weather Basic',
  description: 'Basic weather',
  proxies: ['payments-v1', 'orders-v2'],
  environments: ['test', 'prod'],
  apiResources: ['/forecasts/**'],
  scopes: ['read', 'write'],
  approvalType: 'auto',
  attributes: [{ name: 'access', value: 'public' }],
  quota: '100',
  quotaInterval: '1',
  quotaTimeUnit: 'minute',
};

test('Basic credentials: connect reads the organization, which answers with its documented properties', async () => {
  const emulator = await pool.start('edge');
  const org = await connectBasic(emulator);
  assert.equal(trace(emulator), [`GET ${ORG_PATH}/ 200`]);
  // apigee-client-php's Edge fixture of GET organization: properties.property is a [{name, value}] list.
  const { body } = await call(emulator, 'GET', ORG_PATH);
  assert.is(body.name, ORG);
  assert.ok(Array.isArray(body.properties?.property), JSON.stringify(body));
  assert.type(org.conn.orgProperties, 'object');
});

test('a wrong password is a 401 with an Edge error body, and the password is not in it', async () => {
  const emulator = await pool.start('edge');
  const error = await rejection(connectBasic(emulator, 'wrong-SENTINEL'));
  // connect() hands the caller its org object, not the error body, so the body is read directly.
  assert.is(error.message, 'bad status: 401');
  assert.equal(trace(emulator), [`GET ${ORG_PATH}/ 401`]);
  const { status, body } = await call(emulator, 'GET', `${ORG_PATH}/`, { authorization: basic(USER, 'wrong-SENTINEL') });
  assert.is(status, 401);
  assert.equal(Object.keys(body).sort(), ['code', 'contexts', 'message']);
  assert.not.match(JSON.stringify(body), 'SENTINEL');
});

test('create: 201 with the stored product, read-only fields filled in; a second create is a 409', async () => {
  const emulator = await pool.start('edge');
  const org = await connectBasic(emulator);
  const created = await guarded(org.products.create({ ...WEATHER, attributes: [...WEATHER.attributes] }));
  assert.is(trace(emulator).at(-1), `POST ${PRODUCTS} 201`);
  const { attributes, createdAt, lastModifiedAt, createdBy, lastModifiedBy, ...fields } = created;
  const { attributes: sent, ...expected } = WEATHER;
  assert.equal(fields, expected, 'every field as sent, quota values as strings');
  assert.equal(attributes[0], sent[0]);
  assert.match(attributes.find((a: Json) => a.name === 'tool')?.value ?? '', /^nodejs /, 'the attribute the library adds is kept');
  assert.type(createdAt, 'number', 'Edge timestamps are numbers');
  assert.is(lastModifiedAt, createdAt);
  assert.is(createdBy, USER);
  assert.is(lastModifiedBy, USER);

  // The library's own defaults: approvalType manual, displayName = name, proxies [].
  const minimal = await guarded(org.products.create({ name: 'minimal', environments: ['test'] }));
  assert.is(minimal.approvalType, 'manual');
  assert.is(minimal.displayName, 'minimal');
  assert.equal([minimal.proxies, minimal.apiResources, minimal.scopes], [[], [], []], 'Edge returns empty lists');

  const duplicate = await rejection(org.products.create({ ...WEATHER, attributes: [] }));
  assert.is(duplicate.message, 'bad status: 409');
  assert.match(edgeCode({ status: 409, body: duplicate.result }) ?? '', /^keymanagement\.service\./);
  assert.is(duplicate.result.message, `API Product [${WEATHER.name}] already exists for tenant [${ORG}]`);
});

test('get one, list names, list expanded: the documented Edge shapes', async () => {
  const emulator = await pool.start('edge');
  const org = await connectBasic(emulator);
  const created = await guarded(org.products.create({ ...WEATHER, attributes: [...WEATHER.attributes] }));
  assert.equal(await guarded(org.products.get({ name: WEATHER.name })), created);
  const names = await guarded(org.products.get({}));
  // The order of a list is not documented (reference §3): compared as sets.
  assert.ok(Array.isArray(names) && names.every((n: unknown) => typeof n === 'string'), 'Edge without expand: an array of names');
  assert.equal([...names].sort(), ['legacy-billing-product', 'orders', WEATHER.name].sort());
  const expanded = await guarded(org.products.get({ expand: true }));
  assert.equal(Object.keys(expanded), ['apiProduct'], 'Edge with expand: {apiProduct: [...]}');
  assert.equal(expanded.apiProduct.map((p: Json) => p.name).sort(), [...names].sort());
  assert.equal(expanded.apiProduct.find((p: Json) => p.name === WEATHER.name), created);
  assert.equal(trace(emulator).slice(-3), [`GET ${product(WEATHER.name)} 200`, `GET ${PRODUCTS} 200`, `GET ${PRODUCTS} 200`]);
});

test('update: the library POSTs the whole product back, the docs PUT it; both are full replaces', async () => {
  const emulator = await pool.start('edge');
  const org = await connectBasic(emulator);
  const created = await guarded(org.products.create({ ...WEATHER, attributes: [...WEATHER.attributes] }));
  const edited = { ...created, description: 'Edited through apigee-edge-js', scopes: ['read'] };
  const updated = await guarded(org.products.update(edited));
  assert.is(trace(emulator).at(-1), `POST ${product(WEATHER.name)} 200`);
  assert.is(updated.description, 'Edited through apigee-edge-js');
  assert.equal(updated.scopes, ['read']);
  assert.is(updated.createdAt, created.createdAt, 'createdAt is kept although the body echoes it');
  assert.is(updated.createdBy, USER);

  // The documented update (reference §4): PUT, and every optional field left out is cleared.
  const { scopes: _scopes, apiResources: _resources, ...withoutLists } = updated;
  const put = await call(emulator, 'PUT', product(WEATHER.name), { body: { ...withoutLists, description: 'Edited by PUT' } });
  assert.is(put.status, 200);
  assert.is(put.body.description, 'Edited by PUT');
  assert.equal([put.body.scopes, put.body.apiResources], [[], []]);
  assert.equal(await guarded(org.products.get({ name: WEATHER.name })), put.body, 'the library reads what PUT stored');
});

test('delete: 200 with the deleted product; afterwards get and delete are 404 with the documented code', async () => {
  const emulator = await pool.start('edge');
  const org = await connectBasic(emulator);
  const created = await guarded(org.products.create({ ...WEATHER, attributes: [...WEATHER.attributes] }));
  assert.equal(await guarded(org.products.del({ name: WEATHER.name })), created);
  for (const gone of [org.products.get({ name: WEATHER.name }), org.products.del({ name: WEATHER.name })]) {
    const error = await rejection(gone);
    assert.is(error.message, 'bad status: 404');
    assert.is(error.result.code, 'keymanagement.service.apiproduct_doesnot_exist');
    assert.is(error.result.message, `API Product [${WEATHER.name}] does not exist for tenant [${ORG}]`);
  }
  assert.equal(trace(emulator).slice(-3), [`DELETE ${product(WEATHER.name)} 200`, `GET ${product(WEATHER.name)} 404`, `DELETE ${product(WEATHER.name)} 404`]);
});

test('a Bearer token needs no probe; what the library wrote, apiproducts observes as unowned', async () => {
  const emulator = await pool.start('edge');
  const org = await guarded(edge.connect({ mgmtServer: emulator.url, org: ORG, token: TOKEN }));
  assert.equal(emulator.requests, []);
  await guarded(org.products.create({ ...WEATHER, attributes: [...WEATHER.attributes] }));
  const target = apigeeTarget('edge', { org: ORG });
  const live = await getProviderKind('apigee')!.connect(target, { url: emulator.url, secret: TOKEN }).observe();
  const weather = live.find((object) => object.key === WEATHER.name);
  assert.ok(weather);
  assert.not.ok(weather.owned, 'no ownership marker: apiproducts leaves it alone');
  assert.is(weather.status, 'published');
  assert.is(weather.state.displayName, WEATHER.displayName);
  assert.equal(weather.state.quota, { limit: 100, interval: 1, timeUnit: 'minute' });
  assert.match(String((weather.state.attributes as Json).tool), /^nodejs /);
});

test('hermetic: every socket went to 127.0.0.1 and nothing was written to HOME', () => {
  assert.ok(hosts.length > 0);
  assert.equal([...new Set(hosts)], ['127.0.0.1']);
  assert.equal(readdirSync(home), []);
});

test.run();
