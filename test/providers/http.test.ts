import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, parseRetryAfter, type HttpClient } from '../../src/providers/transport/http.ts';
import { fetchAllPages } from '../../src/providers/transport/paging.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';

const SECRET = 'a7ee-SENTINEL-http-secret-77';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real server answering what each test needs: faults the emulator does not model. */
async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function client(url: string, timeoutMs?: number): HttpClient {
  return createHttpClient({
    baseUrl: url,
    headers: () => ({ 'X-API-KEY': SECRET }),
    describeError: (_status, body) => {
      try {
        return (JSON.parse(body) as { error_msg?: string }).error_msg ?? body;
      } catch {
        return body;
      }
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected the request to fail');
}

test('JSON in and out, query encoded, key header sent', async () => {
  const server = await serve((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ url: request.url, key: request.headers['x-api-key'], type: request.headers['content-type'], body: JSON.parse(body) }));
    });
  });
  try {
    const answer = await client(server.url).request<Record<string, unknown>>('POST', '/api/x', { query: { a: 'b c', n: 2, skip: undefined }, body: { k: 1 } });
    assert.equal(answer, { url: '/api/x?a=b+c&n=2', key: SECRET, type: 'application/json', body: { k: 1 } });
  } finally {
    await server.close();
  }
});

test('a non-2xx is one line naming status, method and path; 4xx not retryable; echoed secrets masked', async () => {
  const server = await serve((_request, response) => {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error_msg: `bad key ${SECRET}\nsecond line` }));
  });
  try {
    const error = await failure(client(server.url).request('PUT', '/api/api_products/p1', { query: { portal_id: 'x' }, body: {} }));
    assert.is(error.message, 'HTTP 400 from PUT /api/api_products/p1: bad key *** second line');
    assert.is(error.status, 400);
    assert.is(error.retryable, false);
  } finally {
    await server.close();
  }
});

test('429 and 5xx are retryable with Retry-After in seconds or as an HTTP-date; huge bodies are cut', async () => {
  let call = 0;
  const server = await serve((_request, response) => {
    call++;
    if (call === 1) response.writeHead(429, { 'retry-after': '7' }).end('{"error_msg":"slow down"}');
    else if (call === 2) response.writeHead(503, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).end(`<html>\n${'x'.repeat(5000)}\n</html>`);
    else response.writeHead(200).end('');
  });
  try {
    const http = client(server.url);
    const limited = await failure(http.request('GET', '/a'));
    assert.is(limited.message, 'HTTP 429 from GET /a: slow down');
    assert.ok(limited.retryable);
    assert.is(limited.retryAfterSeconds, 7);
    const down = await failure(http.request('GET', '/b'));
    assert.ok(down.retryable);
    assert.ok(down.retryAfterSeconds! >= 28 && down.retryAfterSeconds! <= 31, String(down.retryAfterSeconds));
    assert.ok(down.message.length < 400);
    assert.not.match(down.message, '\n');
    assert.is(await http.request('DELETE', '/c'), undefined);
  } finally {
    await server.close();
  }
});

test('a refused connection names the host and is retryable', async () => {
  const server = await serve(() => undefined);
  const url = server.url;
  await server.close();
  const error = await failure(client(url).request('GET', '/api/portals'));
  assert.match(error.message, /^GET \/api\/portals: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  assert.ok(error.retryable);
  assert.is(error.status, undefined);
});

test('a request slower than the timeout fails retryably', async () => {
  const server = await serve((_request, response) => setTimeout(() => response.end('{}'), 500));
  try {
    const error = await failure(client(server.url, 50).request('GET', '/slow'));
    assert.match(error.message, /did not answer within 0\.05s/);
    assert.ok(error.retryable);
  } finally {
    await server.close();
  }
});

test('Retry-After parsing', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.is(parseRetryAfter('120', now), 120);
  assert.is(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10);
  assert.is(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  assert.is(parseRetryAfter('soon', now), undefined);
  assert.is(parseRetryAfter(null, now), undefined);
});

/** A paged list of `total` numbers whose server serves at most `cap` per page. */
function pagedSource(total: number, cap: number) {
  const calls: { page: number; pageSize: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const items = Array.from({ length: total }, (_, i) => i);
  const fetchPage = async (page: number, pageSize: number) => {
    calls.push({ page, pageSize });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    const size = Math.min(pageSize, cap);
    return { list: items.slice((page - 1) * size, page * size), total };
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight, items };
}

test('paging: ⌈total/size⌉ requests, the rest concurrently but bounded', async () => {
  const source = pagedSource(1050, 500);
  const all = await fetchAllPages(source.fetchPage, { pageSize: 100, concurrency: 4 });
  assert.equal(all, source.items);
  assert.is(source.calls.length, 11);
  assert.is(source.maxInFlight(), 4);
});

test('paging: a silently capped page size is followed from page 1', async () => {
  const source = pagedSource(95, 20);
  assert.equal(await fetchAllPages(source.fetchPage, { pageSize: 100 }), source.items);
  assert.is(source.calls.length, 5);
});

test('paging: a short page ends the list even if total said more; one page when all fit', async () => {
  const shrunk = pagedSource(30, 10);
  const lying = async (page: number, size: number) => ({ ...(await shrunk.fetchPage(page, size)), total: 100 });
  assert.equal(await fetchAllPages(lying, { pageSize: 10, concurrency: 1 }), shrunk.items);
  assert.is(shrunk.calls.length, 4);
  const small = pagedSource(7, 500);
  assert.equal(await fetchAllPages(small.fetchPage, { pageSize: 100 }), small.items);
  assert.is(small.calls.length, 1);
});

test.run();
