/**
 * The Apigee product pager (product-pager.ts) against simulated servers: answers come in rounds
 * (one round = one latency: every request asked so far is answered, in a seeded random order),
 * so round trips are counted, not timed. Whatever the guesses and the order their answers come
 * in, the list must be what paging one page after another gives.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GUESSES_IN_FLIGHT, pageProducts, type ProductPager } from '../../src/providers/apigee/product-pager.ts';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import type { ApigeeProduct } from '../../src/providers/apigee/wire.ts';
import { seededRandom as random } from '../../src/sandbox/faults.ts';

const WHAT = 'GET /v1/organizations/o/apiproducts';

interface Server {
  /** The list in the server's order. */
  order: string[];
  /** `seek`: a start key must be a product (Edge's 404); `lowerBound`: the first name ≥ it (X, in name order). */
  startKeys: 'seek' | 'lowerBound';
  /** What a page answers instead, for the requests this picks (a stale or broken answer). */
  answer?: (startKey: string | undefined, page: string[]) => string[] | Error;
}

function pageOf(server: Server, startKey: string | undefined, count: number): string[] {
  if (startKey === undefined) return server.order.slice(0, count);
  const at = server.startKeys === 'seek' ? server.order.indexOf(startKey) : server.order.findIndex((name) => name >= startKey);
  if (at < 0 && server.startKeys === 'seek') throw new ProviderError(`404: ${startKey} does not exist`, 404);
  return at < 0 ? [] : server.order.slice(at, at + count);
}

interface Listed {
  names: string[];
  onPage: string[];
  rounds: number;
  requests: number;
  guessed: number;
}

/**
 * Lists `server` with pages of `pageSize`, telling the pager `expected` once `expectAfter` rounds
 * have been answered (0: before the first answer; undefined: never).
 */
async function list(server: Server, pageSize: number, options: { expected?: string[]; expectAfter?: number; seed?: number; maxPages?: number } = {}): Promise<Listed> {
  const next = random(options.seed ?? 1);
  const asked: { startKey: string | undefined; settle: () => void }[] = [];
  let requests = 0;
  let guessed = 0;
  const onPage: string[] = [];
  // A request not starting at the last name of a page answered before is a guess.
  const lastNames = new Set<string | undefined>([undefined]);
  const pager: ProductPager = pageProducts(
    (startKey) =>
      new Promise<ApigeeProduct[]>((resolve, reject) => {
        requests++;
        asked.push({
          startKey,
          settle: () => {
            try {
              const page = pageOf(server, startKey, pageSize);
              const answered = server.answer ? server.answer(startKey, page) : page;
              if (answered instanceof Error) reject(answered);
              else {
                if (answered.length > 0) lastNames.add(answered[answered.length - 1]);
                resolve(answered.map((name) => ({ name }) as ApigeeProduct));
              }
            } catch (error) {
              reject(error);
            }
          },
        });
      }),
    { pageSize, maxPages: options.maxPages ?? 10_000, what: WHAT, onPage: (products) => onPage.push(...products.map((p) => p.name)) },
  );
  let done = false;
  const settled = pager.products.then(
    () => void (done = true),
    () => void (done = true),
  );
  let rounds = 0;
  for (;;) {
    if (options.expected && options.expectAfter === rounds) pager.expect(options.expected);
    await tick();
    if (done) break;
    const batch = asked.splice(0);
    if (batch.length === 0) throw new Error('the pager waits for nothing: no request is outstanding');
    rounds++;
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [batch[i], batch[j]] = [batch[j]!, batch[i]!];
    }
    for (const request of batch) {
      if (!lastNames.has(request.startKey)) guessed++;
      request.settle();
      await tick();
    }
  }
  await settled;
  return { names: (await pager.products).map((p) => p.name), onPage, rounds, requests, guessed };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What one page after another gives: the reference every listing is checked against. */
async function sequential(server: Server, pageSize: number): Promise<Listed> {
  return list(server, pageSize);
}

function names(count: number, prefix = 'p'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
}

test('no expected names: one page after another, as before (11 pages of 1,000 for 10,000 products)', async () => {
  const listed = await list({ order: names(10_000), startKeys: 'lowerBound' }, 1000);
  assert.is(listed.names.length, 10_000);
  assert.is(listed.requests, 11);
  assert.is(listed.rounds, 11);
  assert.equal(listed.onPage, listed.names);
});

test('a no-change plan of 10,000: the pages after the expected names are known come in parallel, same list', async () => {
  const server: Server = { order: names(10_000), startKeys: 'lowerBound' };
  const reference = await sequential(server, 1000);
  const listed = await list(server, 1000, { expected: server.order, expectAfter: 4 });
  assert.equal(listed.names, reference.names);
  assert.equal(listed.onPage, reference.names);
  // 4 pages one after another, then the next page and the guesses together, and at most one more.
  assert.ok(listed.rounds <= 6, `rounds ${listed.rounds}`);
  assert.ok(listed.requests <= reference.requests + GUESSES_IN_FLIGHT, `requests ${listed.requests}`);
});

test('100,000 products in pages of 1,000, expected from the start: about a sixth of the round trips', async () => {
  const server: Server = { order: names(100_000), startKeys: 'lowerBound' };
  const listed = await list(server, 1000, { expected: server.order, expectAfter: 0 });
  assert.equal(listed.names, server.order);
  assert.ok(listed.rounds <= 25, `rounds ${listed.rounds} against 101`);
  assert.ok(listed.requests <= 125, `requests ${listed.requests}`);
});

test('Edge: a guessed start key that is not a product (404) is dropped and the chain fills the gap', async () => {
  const live = names(3000);
  const expected = [...live.filter((_, i) => i % 3 !== 0), ...names(3000, 'q')].sort();
  const server: Server = { order: live, startKeys: 'seek' };
  const listed = await list(server, 100, { expected, expectAfter: 1 });
  assert.equal(listed.names, live);
});

test('random lists, expected names, answer orders and expect times: always the sequential list, in its order', async () => {
  const next = random(42);
  for (let run = 0; run < 150; run++) {
    const pageSize = 3 + Math.floor(next() * 30);
    const size = Math.floor(next() * 40 * pageSize);
    const all = names(size + 50, 'n').filter(() => next() < 0.8);
    const order = all.slice(0, size);
    const expected = all.filter((name) => (order.includes(name) ? next() < 0.9 : next() < 0.2)).filter(() => next() < 0.95);
    const server: Server = { order, startKeys: next() < 0.5 ? 'seek' : 'lowerBound' };
    const reference = await sequential(server, pageSize);
    const listed = await list(server, pageSize, { expected, expectAfter: Math.floor(next() * 4), seed: run });
    assert.equal(listed.names, reference.names, `run ${run}`);
    assert.equal(listed.onPage, reference.names, `run ${run}`);
    // A failed guess (an Edge 404) can cost the round it was waited for; a lower bound never fails.
    if (server.startKeys === 'lowerBound') assert.ok(listed.rounds <= reference.rounds, `run ${run}: ${listed.rounds} rounds against ${reference.rounds}`);
  }
});

test('a server not in name order: no guess is taken, and the list is still whole and in its order', async () => {
  const next = random(7);
  for (let run = 0; run < 30; run++) {
    const order = names(400 + Math.floor(next() * 400));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const server: Server = { order, startKeys: 'seek' };
    const reference = await sequential(server, 50);
    const listed = await list(server, 50, { expected: [...order].sort(), expectAfter: 0, seed: run });
    assert.equal(listed.names, order);
    assert.is(listed.guessed, 0, 'the first page is not ascending, so nothing is guessed');
    assert.is(listed.requests, reference.requests);
  }
});

test('a server in name order on its first pages only: the list is whole and in its order', async () => {
  const sorted = names(2000);
  // Ascending for 500 names, then descending: the pager must notice and stop taking guesses.
  const order = [...sorted.slice(0, 500), ...sorted.slice(500).reverse()];
  const server: Server = { order, startKeys: 'seek' };
  const listed = await list(server, 100, { expected: sorted, expectAfter: 0 });
  assert.equal(listed.names, order);
});

test('a guessed page that disagrees with the chain where they overlap (a stale answer) is not taken', async () => {
  // Pages of 100 from 300 names, all expected after the first page: guesses 89 names apart from
  // p-00188; the chain's second page (from p-00099) holds p-00188 at 89, overlapping its first 11.
  const order = names(300);
  const server: Server = {
    order,
    startKeys: 'lowerBound',
    answer: (startKey, page) => (startKey === 'p-00188' ? page.filter((name) => name !== 'p-00189') : page),
  };
  const listed = await list(server, 100, { expected: order, expectAfter: 1 });
  assert.ok(listed.guessed > 0);
  assert.equal(listed.names, order);
});

test('a guess that fails (a 500 after its retries) or answers more than a page is dropped', async () => {
  const order = names(1500);
  // Without a join the chain's start keys are every 99th name; every other key is a guess here.
  const guess = (startKey: string): boolean => Number(startKey.slice(2)) % 99 !== 0;
  const server: Server = {
    order,
    startKeys: 'lowerBound',
    answer: (startKey, page) => {
      if (startKey === undefined || !guess(startKey)) return page;
      return Number(startKey.slice(2)) % 2 === 0 ? new ProviderError('500 from the server', 500) : [...page, ...order.slice(0, 200)];
    },
  };
  const listed = await list(server, 100, { expected: order, expectAfter: 1 });
  assert.ok(listed.guessed > 0);
  assert.equal(listed.names, order);
});

test('the checks of a sequential pager still hold with expected names', async () => {
  const whole: Server = { order: names(150), startKeys: 'lowerBound', answer: () => names(150) };
  const listedWhole = await list(whole, 100, { expected: names(150), expectAfter: 0 });
  assert.is(listedWhole.names.length, 150, 'more than a page at once is the whole list of a server that does not page');

  const stuck: Server = { order: names(100), startKeys: 'lowerBound', answer: () => names(100) };
  try {
    await list({ ...stuck, order: names(300) }, 100, { expected: names(300), expectAfter: 0 });
    assert.unreachable('a server that ignores startKey must be refused');
  } catch (error) {
    assert.match((error as Error).message, /paging loop/);
  }

  try {
    await list({ order: names(1000), startKeys: 'lowerBound' }, 10, { expected: names(1000), expectAfter: 0, maxPages: 20 });
    assert.unreachable('a list longer than the page limit must be refused');
  } catch (error) {
    assert.match((error as Error).message, /still not done after 20 pages/);
  }
});

test.run();
