import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../src/providers/transport/http.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { tallyTries } from '../../src/providers/transport/retry.ts';

/** A server that answers the n-th request (1-based) as `answers[n - 1]` says, the last one after that. */
async function scripted(answers: ((response: ServerResponse, request: IncomingMessage) => void)[]) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.method!);
    request.resume();
    request.on('end', () => answers[Math.min(seen.length, answers.length) - 1]!(response, request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const waits: number[] = [];
  const http = createHttpClient({
    baseUrl: `http://127.0.0.1:${port}`,
    headers: () => ({}),
    describeError: (_status, body) => body,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
    sleep: async (ms) => void waits.push(ms),
  });
  const close = () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
  return { http, seen, waits, close };
}

const ok = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
const unavailable = (response: ServerResponse) => response.writeHead(503).end('busy');
const limited = (response: ServerResponse) => response.writeHead(429, { 'retry-after': '0' }).end('slow down');
const notFound = (response: ServerResponse) => response.writeHead(404).end('no such product');
const dropped = (response: ServerResponse) => response.socket!.destroy();

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

test('a PUT whose answer was a 5xx is sent again: it replaces, so twice is once', async () => {
  const { http, seen, close } = await scripted([unavailable, ok]);
  try {
    await http.request('PUT', '/p/1', { body: { a: 1 } });
    assert.equal(seen, ['PUT', 'PUT']);
  } finally {
    await close();
  }
});

test('a POST whose answer was lost is not sent again blindly: without confirm it fails after one try', async () => {
  const { http, seen, close } = await scripted([unavailable, ok]);
  try {
    const error = await refusal(http.request('POST', '/p', { body: {} }));
    assert.is(error.status, 503);
    assert.not.ok(error.retryable);
    assert.equal(seen, ['POST']);
  } finally {
    await close();
  }
});

test('a POST refused with 429 was never processed and is sent again without asking', async () => {
  const { http, seen, close } = await scripted([limited, ok]);
  try {
    await http.request('POST', '/p', { body: {}, confirm: async () => assert.unreachable('confirm after a 429') as never });
    assert.equal(seen, ['POST', 'POST']);
  } finally {
    await close();
  }
});

test('a POST dropped mid-answer is looked up before it is sent again, and not sent when the lost try created it', async () => {
  for (const [created, expected] of [[true, ['POST']], [false, ['POST', 'POST']]] as const) {
    const { http, seen, close } = await scripted([dropped, ok]);
    let asked = 0;
    try {
      await http.request('POST', '/p', { body: {}, confirm: async () => (asked++, created) });
      assert.is(asked, 1);
      assert.equal(seen, expected);
    } finally {
      await close();
    }
  }
});

test('a resent create that meets a 409 looks again: the lost try may have landed after the first look', async () => {
  const conflict = (response: ServerResponse) => response.writeHead(409).end('already exists');
  const { http, seen, close } = await scripted([unavailable, conflict]);
  const looks: boolean[] = [false, true];
  try {
    await http.request('POST', '/p', { body: {}, confirm: async () => looks.shift()! });
    assert.equal(seen, ['POST', 'POST']);
    assert.equal(looks, []);
  } finally {
    await close();
  }
});

test('a DELETE that finds nothing after a lost answer was done by the lost try; a first-try 404 is still an error', async () => {
  const lost = await scripted([unavailable, notFound]);
  try {
    await lost.http.request('DELETE', '/p/1');
    assert.equal(lost.seen, ['DELETE', 'DELETE']);
  } finally {
    await lost.close();
  }
  const missing = await scripted([notFound]);
  try {
    assert.is((await refusal(missing.http.request('DELETE', '/p/1'))).status, 404);
    assert.equal(missing.seen, ['DELETE']);
  } finally {
    await missing.close();
  }
});

test('one retry layer: a change whose read keeps failing costs the policy\'s tries, and reports them', async () => {
  const { http, seen, waits, close } = await scripted([unavailable]);
  try {
    const attempted = await tallyTries(async () => {
      await http.request('GET', '/directory');
      await http.request('PUT', '/p/1', { body: {} });
    });
    assert.is((attempted.error as ProviderError).status, 503);
    assert.equal(seen, ['GET', 'GET', 'GET']);
    assert.equal({ attempts: attempted.attempts, waitedMs: attempted.waitedMs }, { attempts: 3, waitedMs: waits[0]! + waits[1]! });
  } finally {
    await close();
  }
});

test('a write found done after a lost answer is reported as confirmed, not failed; a first-try success is not', async () => {
  const create = await scripted([dropped, ok]);
  const lostDelete = await scripted([unavailable, notFound]);
  const plain = await scripted([ok]);
  try {
    const created = await tallyTries(async () => void (await create.http.request('POST', '/p', { body: {}, confirm: async () => true })));
    assert.equal({ error: created.error, confirmed: created.confirmedAfterLostAnswer }, { error: undefined, confirmed: true });
    const deleted = await tallyTries(async () => void (await lostDelete.http.request('DELETE', '/p/1')));
    assert.is(deleted.confirmedAfterLostAnswer, true);
    const put = await tallyTries(async () => void (await plain.http.request('PUT', '/p/1', { body: {} })));
    assert.is(put.confirmedAfterLostAnswer, undefined);
  } finally {
    await Promise.all([create.close(), lostDelete.close(), plain.close()]);
  }
});

test('a write that fails after a lost answer says it may have taken effect; a plain refusal does not', async () => {
  const lost = await scripted([dropped, unavailable]);
  const refused = await scripted([unavailable]);
  try {
    const afterLoss = await refusal(lost.http.request('PUT', '/p/1', { body: {} }));
    assert.match(afterLoss.message, 'the write may have taken effect');
    const read = await refusal(refused.http.request('GET', '/p/1'));
    assert.not.match(read.message, 'may have taken effect');
  } finally {
    await Promise.all([lost.close(), refused.close()]);
  }
});

test.run();
