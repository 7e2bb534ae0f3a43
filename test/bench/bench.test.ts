/**
 * The benchmark at a smoke size (N = 50, in-process, a few ms of latency): it runs end to end for
 * both providers, and its figures say what the full run is there to show: our plan reads a portal
 * in list pages with no GET per product while the baseline GETs every product, our apply creates
 * everything under the token bucket with no failure while fixed concurrency 10 without backoff
 * fails creates, and the report carries every scenario and target.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBench, type BenchResult } from '../../bench/bench.ts';
import { layout } from '../../bench/generate.ts';
import { DEFAULTS, parseBenchArgs, type BenchOptions } from '../../bench/options.ts';
import { countRequests, endpointOf } from '../../bench/portal.ts';
import { checkTargets, renderResults, targetListRequests } from '../../bench/report.ts';
import { runScenario } from '../../bench/runner.ts';
import { leastListRequests as leastApigeeListRequests } from '../../bench/vendors/apigee/profile.ts';

const N = 50;
const CREATES = 40;
const quiet = (): void => {};

const options: BenchOptions = {
  ...DEFAULTS,
  sizes: [N],
  latencyMs: 15,
  creates: CREATES,
  ratePerSecond: 100,
  burst: 10,
  pureSize: N,
  inProcess: true,
  out: undefined,
  log: quiet,
};

let result: BenchResult;

test.before(async () => {
  result = await runBench(options);
});

test('plan: ours reads each portal in one list page and never GETs a product; the baseline GETs all of them', () => {
  assert.is(result.plan.length, 2 * 2 * 2, 'providers × cases × strategies');
  for (const m of result.plan) {
    const what = `${m.provider} ${m.case} ${m.strategy}`;
    assert.is(m.result.changes, m.expectedChanges, what);
    assert.is(m.requests.writes, 0, `${what}: a plan writes nothing`);
    if (m.strategy === 'ours') {
      assert.is(m.requests.productGets, 0, `${what}: no GET per product`);
      assert.is(m.requests.productLists, targetListRequests(m.provider, N), `${what}: ⌈N / page⌉ list requests`);
      // Preflight and lookups are a constant number of list calls: portal, groups, services per group, DCR (API7); proxies, environments (Apigee).
      assert.ok(m.requests.lookups <= (m.provider === 'api7' ? 7 : 2), `${what}: ${m.requests.lookups} lookups`);
    } else {
      assert.is(m.requests.productGets, N, `${what}: one GET per product on the portal`);
    }
  }
  const changes = result.plan.filter((m) => m.case === 'changes');
  assert.ok(changes.every((m) => m.expectedChanges > 0), 'the changes case has changes');
});

test('apply: ours creates every product under the token bucket with no failure; fixed concurrency 10 without backoff fails some', () => {
  assert.is(result.apply.length, 2 * 3);
  for (const m of result.apply) {
    const what = `${m.provider} ${m.strategy}`;
    assert.is(m.creates, CREATES, what);
    assert.is((m.result.applied ?? 0) + (m.result.failed ?? 0), CREATES, `${what}: every create tried`);
    assert.is(m.onPortal, m.result.applied, `${what}: each applied create on the portal once`);
    if (m.strategy === 'ours') {
      assert.is(m.result.failed, 0, `${what}: no failure`);
      assert.ok(m.result.concurrency, `${what}: the executor reports its gate`);
    }
    if (m.strategy === 'fixed-10') {
      assert.ok(m.requests.rateLimited > 0, `${what}: the bucket refused some`);
      assert.is(m.result.failed, m.requests.rateLimited, `${what}: every 429 is a failed create without backoff`);
    }
  }
});

test('pure stages: every stage timed, the plan has the edited objects', () => {
  assert.is(result.pure.length, 2);
  for (const m of result.pure) {
    assert.equal(Object.keys(m.result.stages), ['load', 'validate', 'desired', 'diffPlan', 'render']);
    assert.ok(m.result.changes > 0, m.provider);
    assert.ok(m.result.wallMs > 0, m.provider);
  }
});

test('RESULTS.md: headline table, targets, requests by endpoint, machine and date', () => {
  const text = renderResults(result);
  assert.match(text, '| Scenario | Ours | Baseline | Ratio | Requests (ours / baseline) | Peak RSS (ours / baseline) | Machine | Date |');
  for (const line of ['plan, API7, 50 products, no changes', 'plan, Apigee, 50 products, no changes', 'apply, API7, 40 creates', 'fixed concurrency 10', 'pure stages, Apigee, 50 products']) {
    assert.ok(text.includes(line), line);
  }
  assert.match(text, '`GET /v1/organizations/{org}/apiproducts/{name}`');
  assert.match(text, '`GET /api/api_products/{id}`');
  assert.ok(text.includes(result.date.slice(0, 10)));
  const checks = checkTargets(result);
  const lists = checks.filter((c) => c.target.includes('list requests'));
  assert.is(lists.length, 2);
  assert.ok(lists.every((c) => c.met), JSON.stringify(lists));
});

test('a scenario in a child process reports its own peak RSS', async () => {
  const floor = await runScenario({ kind: 'floor' }, { inProcess: false, child: { kind: 'tsx' }, name: 'floor' });
  assert.ok((floor.maxRssKb ?? 0) > 10_000, `maxRSS ${floor.maxRssKb} KiB`);
});

test('page arithmetic of the targets', () => {
  assert.is(targetListRequests('apigee', 10_000), 10);
  assert.is(targetListRequests('api7', 10_000), 20);
  // Inclusive startKey: 1,000 then 999 new per page; a full last page needs one more request.
  assert.is(leastApigeeListRequests(999), 1);
  assert.is(leastApigeeListRequests(1000), 2);
  assert.is(leastApigeeListRequests(2500), 3);
  assert.is(leastApigeeListRequests(10_000), 11);
});

test('N counts products on the portal: unmanaged ones and Apigee plans included', () => {
  for (const provider of ['api7', 'apigee'] as const) {
    const l = layout(provider, 10_000, 0.1);
    assert.is(l.managedObjects + l.unmanaged, 10_000, provider);
    assert.is(l.unmanaged, 200, provider);
  }
  assert.ok(layout('apigee', 10_000, 0.1).gitProducts < 9800, 'some Apigee products have two plans');
});

test('requests are counted by endpoint, ids and names folded', () => {
  assert.is(endpointOf('GET', '/api/api_products/prod-a'), 'GET /api/api_products/{id}');
  assert.is(endpointOf('PUT', '/v1/organizations/acme/apiproducts/a-free'), 'PUT /v1/organizations/{org}/apiproducts/{name}');
  assert.is(endpointOf('GET', '/v1/organizations/acme/apis'), 'GET /v1/organizations/{org}/apis');
  const counts = countRequests([
    { method: 'GET', path: '/api/api_products', status: 200 },
    { method: 'GET', path: '/api/api_products/prod-a', status: 200 },
    { method: 'POST', path: '/api/api_products', status: 429 },
    { method: 'GET', path: '/api/gateway_groups', status: 200 },
  ]);
  assert.equal(
    { lists: counts.productLists, gets: counts.productGets, writes: counts.writes, lookups: counts.lookups, limited: counts.rateLimited },
    { lists: 1, gets: 1, writes: 1, lookups: 1, limited: 1 },
  );
});

test('options: --n, --latency, --quick, --only', () => {
  const parsed = parseBenchArgs(['--n', '1000,10000', '--latency', '50', '--quick', '--only', 'plan'], quiet);
  if (parsed === 'help') throw new Error('parsed as --help');
  assert.equal(parsed.sizes, [1000, 10000]);
  assert.is(parsed.latencyMs, 50);
  assert.is(parsed.creates, 400);
  assert.equal(parsed.parts, ['plan']);
  assert.is(parsed.baselines, true);
  assert.is(parseBenchArgs(['--help'], quiet), 'help');
  assert.throws(() => parseBenchArgs(['--providers', 'kong'], quiet), /--providers/);
});

test.run();
