/**
 * Through a corporate proxy: a forwarding proxy on 127.0.0.1 (CONNECT piped to the emulator, and
 * absolute-form requests forwarded) must see every request. The targets are named `*.proxied.test`,
 * a name only the proxy resolves (to the emulators), as a portal behind a proxy is: without proxy
 * support nothing reaches them. HTTPS is verified inside the tunnel against the private CA.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startApi7Emulator, type Api7Emulator } from '../../src/sandbox/api7/server.ts';
import { seedApi7State } from '../../src/sandbox/api7/state.ts';
import { runCliInProcess } from '../helpers/cli-in-process.ts';
import { hasOpenssl, makeCertificates } from './certificates.ts';
import { closeAll, ENV, SECRETS, startApigee, writeLoadProject, type Emulator, type TargetSpec } from './harness.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const PROXY_USER = 'proxy-user-8c1d';
const PROXY_PASSWORD = 'SENTINEL-proxy-pass-e42b';

interface Seen {
  method: string;
  target: string;
  authorization?: string;
}

interface TestProxy {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/**
 * `hosts`: `name:port` → local port. `answer`: a status to refuse every request with. `credentials`:
 * the Basic credentials required (407 without them).
 */
async function startProxy(hosts: Record<string, number>, options: { answer?: number; credentials?: string; tls?: { key: string; cert: string } } = {}): Promise<TestProxy> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const refusal = (request: IncomingMessage): number | undefined =>
    options.answer ?? (expected !== undefined && request.headers['proxy-authorization'] !== expected ? 407 : undefined);
  const note = (request: IncomingMessage): void => {
    const authorization = request.headers['proxy-authorization'];
    seen.push({ method: request.method ?? '', target: request.url ?? '', ...(authorization ? { authorization } : {}) });
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    note(request);
    const refused = refusal(request);
    const url = new URL(request.url ?? '');
    const port = hosts[`${url.hostname}:${url.port || 80}`];
    if (refused || port === undefined) {
      response.writeHead(refused ?? 502, refused === 407 ? { 'proxy-authenticate': 'Basic realm="corp"' } : {}).end();
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: request.method, path: url.pathname + url.search, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket) => {
    note(request);
    const refused = refusal(request);
    const port = hosts[request.url ?? ''];
    if (refused || port === undefined) {
      client.end(`HTTP/1.1 ${refused ?? 502} Refused\r\n${refused === 407 ? 'Proxy-Authenticate: Basic realm="corp"\r\n' : ''}Content-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const portOf = (emulator: Emulator): number => Number(new URL(emulator.url).port);
const running: { close(): Promise<void> }[] = [];
test.after.each(async () => {
  await closeAll(running.splice(0));
});

/** The API7 emulator over https with a certificate for api7.proxied.test, and a project trusting its CA. */
async function api7OverTls(count: number): Promise<{ emulator: Api7Emulator; cwd: string; certs: string }> {
  const certs = makeCertificates(['api7.proxied.test']);
  const emulator = await startApi7Emulator({
    token: SECRETS.api7,
    state: seedApi7State(),
    tls: { key: readFileSync(join(certs, 'server.key'), 'utf8'), cert: readFileSync(join(certs, 'server.pem'), 'utf8') },
  });
  running.push(emulator);
  const spec: TargetSpec = { name: 'api7-prod', provider: 'api7', url: 'https://api7.proxied.test', extra: '    caFile: ca.pem' };
  const project = writeLoadProject([spec], count);
  writeFileSync(join(project.cwd, 'ca.pem'), readFileSync(join(certs, 'ca.pem')));
  return { emulator, cwd: project.cwd, certs };
}

const tlsTest = hasOpenssl() ? test : test.skip;

tlsTest('https through an authenticating proxy: CONNECT tunnels, TLS verified inside, connections reused, credentials never printed', async () => {
  const { emulator, cwd } = await api7OverTls(6);
  const proxy = await startProxy({ 'api7.proxied.test:443': portOf(emulator) }, { credentials: `${PROXY_USER}:${PROXY_PASSWORD}` });
  running.push(proxy);
  const env = { ...ENV, HTTPS_PROXY: `http://${PROXY_USER}:${PROXY_PASSWORD}@${proxy.url.slice('http://'.length)}` };

  const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd, env });
  assert.is(applied.code, 0, applied.stderr);
  assert.ok(emulator.requests.length > 6, 'the emulator answered through the tunnel');
  assert.ok(proxy.seen.length > 0 && proxy.seen.every((s) => s.method === 'CONNECT' && s.target === 'api7.proxied.test:443'));
  assert.ok(proxy.seen.every((s) => s.authorization === `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`));
  assert.ok(proxy.seen.length < emulator.requests.length, `keep-alive: ${proxy.seen.length} tunnels for ${emulator.requests.length} requests`);
  const replanned = await runCliInProcess(['plan', '--format', 'json'], { cwd, env });
  assert.is(replanned.code, 0, replanned.stderr);
  assert.equal((JSON.parse(replanned.stdout) as { changes: unknown[] }).changes, []);

  // Wrong credentials: the proxy's 407 is one line naming the proxy, never its user or password.
  const wrong = { ...ENV, https_proxy: `http://${PROXY_USER}:not-the-password@${proxy.url.slice('http://'.length)}` };
  const refused = await runCliInProcess(['plan'], { cwd, env: wrong });
  assert.is(refused.code, 1);
  assert.not.match(refused.stderr, STACK_FRAME);
  assert.match(refused.stderr, `GET /api/portals: proxy ${proxy.url} refused the tunnel to api7.proxied.test:443: HTTP 407 Proxy Authentication Required; the proxy wants credentials: put them in https_proxy as http://user:password@host:port`);
  for (const secret of [PROXY_USER, PROXY_PASSWORD, 'not-the-password', Buffer.from(`${PROXY_USER}:not-the-password`).toString('base64')]) {
    assert.not.ok((refused.stdout + refused.stderr + applied.stdout + applied.stderr).includes(secret), `printed ${secret}`);
  }
});

tlsTest('a tunnel does not weaken verification: another CA is refused inside it', async () => {
  const { emulator, cwd } = await api7OverTls(1);
  writeFileSync(join(cwd, 'ca.pem'), readFileSync(join(makeCertificates(), 'ca.pem')));
  const proxy = await startProxy({ 'api7.proxied.test:443': portOf(emulator) });
  running.push(proxy);
  const result = await runCliInProcess(['plan'], { cwd, env: { ...ENV, HTTPS_PROXY: proxy.url } });
  assert.is(result.code, 1);
  assert.match(result.stderr, 'the TLS certificate of api7.proxied.test is not trusted');
  assert.is(emulator.requests.length, 0);
});

tlsTest('an https:// proxy, trusted through caFile too: a tunnel to an https portal, absolute form to an http one', async () => {
  const { emulator, cwd, certs } = await api7OverTls(2);
  // The proxy's own CA and certificate (for 127.0.0.1 only): each TLS hop is checked against its own name.
  const proxyCerts = makeCertificates();
  const tls = { key: readFileSync(join(proxyCerts, 'server.key'), 'utf8'), cert: readFileSync(join(proxyCerts, 'server.pem'), 'utf8') };
  const bothCas = readFileSync(join(certs, 'ca.pem'), 'utf8') + readFileSync(join(proxyCerts, 'ca.pem'), 'utf8');
  writeFileSync(join(cwd, 'ca.pem'), bothCas);
  const proxy = await startProxy({ 'api7.proxied.test:443': portOf(emulator) }, { tls });
  running.push(proxy);
  assert.match(proxy.url, /^https:/);
  const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd, env: { ...ENV, HTTPS_PROXY: proxy.url } });
  assert.is(applied.code, 0, applied.stderr);
  assert.ok(proxy.seen.length > 0 && proxy.seen.every((s) => s.method === 'CONNECT'));
  assert.ok(emulator.requests.length > 2);

  // An http:// portal through the same https:// proxy: absolute-form requests over TLS to the proxy.
  const apigee = await startApigee('edge');
  running.push(apigee);
  const plain = await startProxy({ 'apigee.proxied.test:80': portOf(apigee) }, { tls });
  running.push(plain);
  const project = writeLoadProject([{ name: 'apigee-prod', provider: 'apigee', url: 'http://apigee.proxied.test', extra: '    insecure: true\n    caFile: ca.pem' }], 1);
  writeFileSync(join(project.cwd, 'ca.pem'), readFileSync(join(proxyCerts, 'ca.pem')));
  const planned = await runCliInProcess(['plan'], { cwd: project.cwd, env: { ...ENV, HTTP_PROXY: plain.url } });
  assert.is(planned.code, 0, planned.stderr);
  assert.ok(plain.seen.length > 0 && plain.seen.every((s) => s.target.startsWith('http://apigee.proxied.test/')));
});

test('http through a proxy: absolute-form requests, a 407 named as the proxy\'s, plan and apply against the Apigee emulator', async () => {
  const emulator = await startApigee('edge');
  running.push(emulator);
  const proxy = await startProxy({ 'apigee.proxied.test:80': portOf(emulator) }, { credentials: `${PROXY_USER}:${PROXY_PASSWORD}` });
  running.push(proxy);
  const project = writeLoadProject([{ name: 'apigee-prod', provider: 'apigee', url: 'http://apigee.proxied.test', extra: '    insecure: true' }], 3);
  // The proxy's 407 is its own answer, not the portal's.
  const anonymous = await runCliInProcess(['plan'], { cwd: project.cwd, env: { ...ENV, http_proxy: proxy.url } });
  assert.is(anonymous.code, 1);
  assert.match(anonymous.stderr, `proxy ${proxy.url} refused the request: HTTP 407 Proxy Authentication Required; the proxy wants credentials: put them in http_proxy`);
  assert.is(emulator.requests.length, 0);
  proxy.seen.length = 0;

  const env = { ...ENV, http_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@${proxy.url.slice('http://'.length)}` };
  const applied = await runCliInProcess(['apply', '--auto-approve'], { cwd: project.cwd, env });
  assert.is(applied.code, 0, applied.stderr);
  assert.ok(proxy.seen.some((s) => s.method === 'POST'), 'the creates went through the proxy');
  assert.ok(proxy.seen.every((s) => s.target.startsWith('http://apigee.proxied.test/v1/organizations/')), proxy.seen.map((s) => s.target).join(' '));
  assert.is(proxy.seen.length, emulator.requests.length);
});

test('a proxy refusal is one line; a 502 is retried like a connection error, a 403 is not', async () => {
  const project = writeLoadProject([{ name: 'api7-prod', provider: 'api7', url: 'https://api7.proxied.test' }], 1);
  for (const status of [403, 502]) {
    const proxy = await startProxy({}, { answer: status });
    running.push(proxy);
    const result = await runCliInProcess(['plan'], { cwd: project.cwd, env: { ...ENV, HTTPS_PROXY: proxy.url } });
    assert.is(result.code, 1);
    assert.not.match(result.stderr, STACK_FRAME);
    assert.match(result.stderr, `proxy ${proxy.url} refused the tunnel to api7.proxied.test:443: HTTP ${status} ${status === 403 ? 'Forbidden' : 'Bad Gateway'}`);
    // A plan's first reads (the product list and the directory's lists: portal, gateway groups,
    // DCR providers) may leave together before the first refusal is back: each is tried once on
    // a 403, and retried (5 tries each) on a 502.
    assert.ok(status === 403 ? proxy.seen.length <= 4 : proxy.seen.length >= 5, `HTTP ${status}: ${proxy.seen.length} tries`);
  }
});

test('NO_PROXY and loopback go direct: the proxy sees nothing', async () => {
  const proxy = await startProxy({});
  running.push(proxy);
  const emulator = await startApigee('edge');
  running.push(emulator);
  // Loopback is never proxied, with or without NO_PROXY (a proxy's 127.0.0.1 is not ours).
  const local = writeLoadProject([{ name: 'apigee-prod', provider: 'apigee', url: emulator.url }], 1);
  const direct = await runCliInProcess(['plan'], { cwd: local.cwd, env: { ...ENV, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
  assert.is(direct.code, 0, direct.stderr);
  assert.ok(emulator.requests.length > 0);

  // A listed domain goes direct too: here to a name only the proxy knows, so it cannot be reached.
  const listed = writeLoadProject([{ name: 'api7-prod', provider: 'api7', url: 'https://api7.proxied.test' }], 1);
  const bypassed = await runCliInProcess(['plan'], { cwd: listed.cwd, env: { ...ENV, HTTPS_PROXY: proxy.url, NO_PROXY: 'internal.example, proxied.test' } });
  assert.is(bypassed.code, 1);
  assert.match(bypassed.stderr, /GET \/api\/\S+: cannot reach api7\.proxied\.test \(/);
  assert.not.match(bypassed.stderr, 'through proxy');
  assert.equal(proxy.seen, []);
});

test.run();
