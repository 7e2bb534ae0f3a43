import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Traffic } from '../../src/providers/transport/traffic.ts';
import { createHttpClient, oneLine, type HttpClientOptions } from '../../src/providers/transport/http.ts';
import { expectPage, fetchAllPages } from '../../src/providers/transport/paging.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits++;
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

function client(url: string, options: Partial<HttpClientOptions> = {}) {
  return createHttpClient({ baseUrl: url, headers: () => ({ authorization: 'Bearer tok-123456789' }), describeError: (_s, body) => body, ...options });
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await failure(promise);
  assert.match(error.message, pattern);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a failure');
}

test('GETs are retried on 429 and 5xx, honouring Retry-After, through the gate; writes are not (the executor retries those)', async () => {
  let call = 0;
  const server = await serve((request, response) => {
    call++;
    if (request.method === 'GET' && call === 1) return void response.writeHead(429, { 'retry-after': '0' }).end('slow down');
    if (request.method === 'GET' && call === 2) return void response.writeHead(503).end('busy');
    if (request.method === 'POST') return void response.writeHead(503).end('busy');
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  try {
    const traffic = new Traffic(4);
    const http = client(server.url, { retry: FAST, traffic });
    assert.equal(await http.request('GET', '/list'), { ok: true });
    assert.equal({ ...traffic.snapshot(), waitMs: 0 }, { requests: 3, retries: 2, waitMs: 0, rateLimited: 1, lowestLimit: 1, limit: 2, ceiling: 4 });
    const write = await failure(http.request('POST', '/list', { body: {} }));
    assert.is(write.status, 503);
    assert.is(server.hits(), 4, 'the POST was sent once');
  } finally {
    await server.close();
  }
});

test('a GET that keeps failing gives up after its attempts with the last error', async () => {
  const server = await serve((_q, response) => void response.writeHead(502, { 'content-type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'));
  try {
    const error = await failure(client(server.url, { retry: FAST }).request('GET', '/api/x'));
    assert.is(error.message, "HTTP 502 from GET /api/x: 502 Bad Gateway (an HTML page, not the API's JSON: a proxy or load balancer answered)");
    assert.is(server.hits(), 3);
  } finally {
    await server.close();
  }
});

test('the timeout names the operation, the host and where the timeout is set', async () => {
  const server = await serve((_q, response) => void setTimeout(() => response.end('{}'), 400));
  try {
    const error = await failure(client(server.url, { timeoutMs: 50, timeoutSource: 'timeout: of target api7-prod in apiproducts.yaml' }).request('GET', '/slow'));
    assert.match(error.message, /^GET \/slow: 127\.0\.0\.1:\d+ did not answer within 0\.05s \(timeout: of target api7-prod in apiproducts\.yaml\)$/);
    assert.ok(error.retryable);
  } finally {
    await server.close();
  }
});

test('bodies over the cap are refused: streamed, or announced by Content-Length; not retried', async () => {
  const server = await serve((request, response) => {
    if (request.url === '/declared') return void response.writeHead(200, { 'content-length': 5000 }).write('{');
    response.writeHead(200);
    response.end('x'.repeat(5000));
  });
  try {
    const http = client(server.url, { maxBodyBytes: 1000, retry: FAST });
    for (const path of ['/streamed', '/declared']) {
      const error = await failure(http.request('GET', path));
      assert.match(error.message, new RegExp(`^GET ${path}: the answer from 127\\.0\\.0\\.1:\\d+ is larger than 1000 bytes; refused without reading it$`));
      assert.not.ok(error.retryable);
    }
    assert.is(server.hits(), 2);
  } finally {
    await server.close();
  }
});

test('a connection dropped mid-body is a retryable error saying so', async () => {
  const server = await serve((_q, response) => {
    response.writeHead(200, { 'content-length': 100 });
    response.write('{"list":');
    setTimeout(() => response.destroy(), 5);
  });
  try {
    const error = await failure(client(server.url).request('GET', '/cut'));
    assert.match(error.message, /^GET \/cut: the connection to 127\.0\.0\.1:\d+ was dropped before the answer was complete \(ECONNRESET\)$/);
    assert.ok(error.retryable);
  } finally {
    await server.close();
  }
});

test('envelopes are checked: a wrong one is an error naming what came, never an empty list', () => {
  assert.equal(expectPage({ list: [1], total: 1 }, 'GET /x'), { list: [1], total: 1 });
  assert.throws(() => expectPage({ value: [] }, 'GET /x'), /the answer to GET \/x is not a list: expected \{list, total\}, got an object with "value"/);
  assert.throws(() => expectPage({ list: [] }, 'GET /x'), /has no valid total/);
  assert.throws(() => expectPage([1, 2], 'GET /x'), /got an array of 2/);
  assert.throws(() => expectPage('<html>', 'GET /x'), /got a string/);
});

test('paging is bounded: a huge total, too many pages, or a repeated page is an error, not a loop', async () => {
  const page = (list: { id: string }[], total: number) => async () => ({ list, total });
  const hundred = Array.from({ length: 100 }, (_, i) => ({ id: `id-${i}` }));
  await rejects(fetchAllPages(page(hundred, 10_000_000), { pageSize: 100, what: 'GET /l' }), /GET \/l claims 10000000 items, more than apiproducts reads from one list \(200000\)/);
  await rejects(fetchAllPages(page(hundred.slice(0, 1), 5000), { pageSize: 100, maxPages: 100, what: 'GET /l' }), /would take 5000 pages of 1 items, more than apiproducts reads \(100\)/);
  let calls = 0;
  const same = async () => {
    calls++;
    return { list: hundred, total: 1000 };
  };
  await rejects(fetchAllPages(same, { pageSize: 100, concurrency: 1, identify: (item) => item.id, what: 'GET /l' }), /GET \/l served page 2 with nothing new/);
  assert.is(calls, 2);
});

test('masking: a header value, and the credential alone after its scheme', () => {
  assert.is(oneLine('got Bearer tok-123456789 and tok-123456789', ['Bearer tok-123456789']), 'got *** and ***');
  assert.is(oneLine('Basic dXNlcjpwYXNz echoed', ['Basic dXNlcjpwYXNz']), '*** echoed');
});

test.run();
