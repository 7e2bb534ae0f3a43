/**
 * Broken server answers, for both providers: a hostile proxy in front of a real emulator breaks one
 * route at a time (test/helpers/hostile-server.ts). Each case gives a clear error naming the target
 * and the request, exit 1, no stack trace, in bounded time, and nothing written: no request but
 * GETs reached the server, and no plan file was saved. Every case runs `plan --out` and `apply` in
 * this process (the commands' own code); a representative set also runs through the built CLI,
 * which is where exit codes and the absence of stack traces are decided.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerWith, endlessBody, startHostileServer, type Breaker, type HostileServer } from '../helpers/hostile-server.ts';
import { runCli } from '../helpers/project.ts';
import { applyHere, closeAll, ENV, ORG, planHere, startApi7, startApigee, writeLoadProject, type Emulator } from './harness.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const API7_LIST = '/api/api_products';
const APIGEE_LIST = `/v1/organizations/${ORG}/apiproducts`;
const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const emulators: Emulator[] = [];
const proxies: HostileServer[] = [];
test.after(async () => {
  await closeAll(proxies);
  await closeAll(emulators);
});

interface Case {
  name: string;
  provider: 'api7' | 'apigee';
  /** The request that is broken (others pass through). */
  route: string;
  answer: Breaker;
  /** What the error line must say after `<METHOD> <route>`. */
  expect: RegExp;
  /** Also through the built CLI. */
  cli?: boolean;
}

const on = (route: string, answer: Breaker): Breaker => (request, response) => request.method === 'GET' && request.path === route && answer(request, response);
const fakeApi7 = (count: number, prefix = 'fake') => Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, name: `Fake ${i}` }));
const fakeApigee = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `loop-${String(i).padStart(4, '0')}` }));

const CASES: Case[] = [
  // Both providers.
  ...(['api7', 'apigee'] as const).flatMap((provider): Case[] => {
    const route = provider === 'api7' ? API7_LIST : APIGEE_LIST;
    return [
      { name: 'an HTML 502 page from a proxy (after retries)', cli: true, provider, route, answer: (_q, r) => answerWith(r, 502, HTML_502, 'text/html'), expect: /HTTP 502 from GET \S+: 502 Bad Gateway \(an HTML page, not the API's JSON/ },
      { name: 'a connection dropped in the middle of the body (after retries)', provider, route, answer: (_q, r) => (r.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 }), r.write('{"list":[{"id":'), setTimeout(() => r.destroy(), 5), true), expect: /the connection to 127\.0\.0\.1:\d+ was dropped before the answer was complete/ },
      { name: 'a body that is not JSON', cli: true, provider, route, answer: (_q, r) => answerWith(r, 200, 'OK: 3 products follow', 'text/plain'), expect: /the HTTP 200 answer to GET \S+ is not JSON/ },
      { name: 'truncated JSON', provider, route, answer: (_q, r) => answerWith(r, 200, provider === 'api7' ? '{"list":[{"id":"a","name":"A"},{"id":"b"' : '{"apiProduct":[{"name":"a"},{"na'), expect: /the HTTP 200 answer to GET \S+ is not JSON/ },
      { name: 'an HTML login page with status 200', provider, route, answer: (_q, r) => answerWith(r, 200, '<!DOCTYPE html><html><head><title>Sign in</title></head><body>SSO</body></html>', 'text/html'), expect: /the HTTP 200 answer to GET \S+ is an HTML page; is url the root of the management API\?/ },
      { name: 'an enormous body (streamed past the 64 MiB cap)', cli: provider === 'api7', provider, route, answer: (_q, r) => endlessBody(r), expect: /the answer from 127\.0\.0\.1:\d+ is larger than 64 MiB; refused without reading it/ },
      { name: 'an enormous Content-Length', provider, route, answer: (_q, r) => endlessBody(r, 200 * 1024 * 1024), expect: /larger than 64 MiB/ },
      { name: 'an empty body with status 200', provider, route, answer: (_q, r) => answerWith(r, 200, ''), expect: /got an empty body/ },
      { name: 'null', provider, route, answer: (_q, r) => answerWith(r, 200, 'null'), expect: provider === 'api7' ? /is not a list: expected \{list, total\}, got null/ : /is not \{apiProduct: \[\.\.\.\]\}: got null/ },
    ];
  }),
  // API7 `{list, total}` envelopes and paging.
  { name: '{value} where {list, total} is expected', provider: 'api7', route: API7_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ value: fakeApi7(2) })), expect: /is not a list: expected \{list, total\}, got an object with "value"/ },
  { name: 'a list without total', provider: 'api7', route: API7_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ list: fakeApi7(2) })), expect: /has no valid total/ },
  { name: 'items without an id', provider: 'api7', route: API7_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ list: [{ name: 'x' }], total: 1 })), expect: /lists an item without an id/ },
  { name: 'a total that lies (a billion products)', provider: 'api7', route: API7_LIST, answer: (q, r) => answerWith(r, 200, JSON.stringify({ list: fakeApi7(100, `p${q.query.get('page')}`), total: 1_000_000_000 })), expect: /claims 1000000000 items, more than apiproducts reads from one list \(200000\)/ },
  { name: 'the same page for every page number (paging loop)', cli: true, provider: 'api7', route: API7_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ list: fakeApi7(100), total: 5000 })), expect: /served page \d+ with nothing new \(the server repeats its pages\); refusing to loop/ },
  { name: 'a {value} envelope on the portal lookup', provider: 'api7', route: '/api/portals', answer: (_q, r) => answerWith(r, 200, JSON.stringify({ value: { id: 'portal-default' } })), expect: /is not a list: expected \{list, total\}/ },
  // Apigee `{apiProduct: […]}` and startKey paging.
  { name: '{value} where {apiProduct} is expected', provider: 'apigee', route: APIGEE_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ value: [] })), expect: /is not \{apiProduct: \[\.\.\.\]\}: got an object with "value"/ },
  { name: 'apiProduct that is not a list', provider: 'apigee', route: APIGEE_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ apiProduct: 'all of them' })), expect: /is not \{apiProduct: \[\.\.\.\]\}/ },
  { name: 'names although expand=true was asked', provider: 'apigee', route: APIGEE_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify(['a', 'b'])), expect: /answered a list of names although expand=true was asked/ },
  { name: 'startKey ignored: the same full page forever', cli: true, provider: 'apigee', route: APIGEE_LIST, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ apiProduct: fakeApigee(1000) })), expect: /served the same products again after startKey=loop-0999 \(a paging loop\); refusing to loop/ },
  { name: 'a wrong shape for the proxies list (preflight)', cli: true, provider: 'apigee', route: `/v1/organizations/${ORG}/apis`, answer: (_q, r) => answerWith(r, 200, JSON.stringify({ value: 1 })), expect: /the answer to GET \S+\/apis is not a list of names: got an object with "value"/ },
];

interface Outcome {
  name: string;
  via: 'cli' | 'in-process';
  provider: string;
  code: number;
  stderr: string;
  stdout: string;
  /** Requests that reached the broken server over plan and apply: bounded work, not a time budget. */
  requests: number;
  writes: number;
  planWritten: boolean;
  route: string;
  expect: RegExp;
}

/** Plan and apply read a few lists with 5 tries per request at most (20 seen); a paging loop goes far past this. */
const MAX_REQUESTS = 60;

async function runCase(c: Case, via: Outcome['via']): Promise<Outcome> {
  const emulator: Emulator = c.provider === 'api7' ? await startApi7() : await startApigee('edge');
  emulators.push(emulator);
  const hostile = await startHostileServer(emulator.url, on(c.route, c.answer));
  proxies.push(hostile);
  const project = writeLoadProject([{ name: `${c.provider}-prod`, provider: c.provider, url: hostile.url, flavour: 'edge' }], 3);
  const plan = via === 'cli' ? await runCli(['plan', '--out', 'plan.json'], { cwd: project.cwd, env: ENV }) : await planHere(project.cwd, { out: 'plan.json' });
  const apply = via === 'cli' ? await runCli(['apply', '--auto-approve'], { cwd: project.cwd, env: ENV }) : await applyHere(project.cwd);
  return {
    name: c.name,
    via,
    provider: c.provider,
    code: plan.code === apply.code ? apply.code : -plan.code * 10 - apply.code,
    stderr: plan.stderr + apply.stderr,
    stdout: plan.stdout + apply.stdout,
    requests: hostile.requests.length,
    // Product writes: apply's lock record (created, then removed) is the one write a failed read leaves no trace of.
    writes: hostile.requests.filter((r) => r.method !== 'GET' && !/apiproducts[.-]lock/.test(r.path + r.body)).length,
    planWritten: existsSync(join(project.cwd, 'plan.json')),
    route: c.route,
    expect: c.expect,
  };
}

/** At most `width` cases at a time: each runs two CLI processes. */
async function pool<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index]!);
      }
    }),
  );
  return results;
}

test(`${CASES.length} broken answers: one clear error naming target and request, exit 1, no stack, bounded time, nothing written`, async () => {
  // The cases that retry first: they take longest.
  const runs: [Case, Outcome['via']][] = [
    ...CASES.filter((c) => c.cli).map((c): [Case, Outcome['via']] => [c, 'cli']),
    ...CASES.map((c): [Case, Outcome['via']] => [c, 'in-process']),
  ].sort(([a], [b]) => Number(/retries/.test(b.name)) - Number(/retries/.test(a.name)));
  const outcomes = await pool(runs, 6, ([c, via]) => runCase(c, via));
  for (const o of outcomes) {
    const what = `${o.provider} / ${o.name} (${o.via}):\n${o.stderr}`;
    assert.is(o.code, 1, what);
    assert.not.match(o.stderr, STACK_FRAME, what);
    assert.not.match(o.stderr, 'Internal error', what);
    // `target <name>: error [...] GET <route>...: <reason>` then `Error: <summary>`, for plan and for apply.
    const lines = o.stderr.trim().split('\n');
    assert.ok(lines.length <= 4, what);
    const line = lines.find((l) => l.includes(`GET ${o.route}`));
    assert.ok(line, `${what}\n(no line names GET ${o.route})`);
    assert.match(line!, `target ${o.provider}-prod: error [`, what);
    assert.match(line!, o.expect, what);
    assert.ok(line!.length < 500, what);
    assert.is(o.writes, 0, `${what}\n(a write reached the server)`);
    assert.not.ok(o.planWritten, `${what}\n(plan.json was written)`);
    assert.ok(o.requests <= MAX_REQUESTS, `${what}\n(${o.requests} requests)`);
  }
  if (process.env.RELIABILITY_FIGURES) {
    for (const o of outcomes) console.log(`${o.via.padEnd(10)} ${o.provider.padEnd(6)} ${o.name}: exit ${o.code} after ${o.requests} requests (plan + apply): ${o.stderr.split('\n').find((l) => l.includes('GET'))}`);
  }
});

test.run();
