/**
 * `npm run bench` at a smoke size (npm test builds dist/ first): every figure is a whole process of
 * the built CLI or of a compiled bench entry, one run each, against the bench's emulators. Its
 * figures say what the full run is there to show: our plan reads each portal in list pages while
 * the baseline GETs every product; our apply creates everything under the token bucket with no
 * failure while fixed concurrency without backoff fails creates; the report carries every part.
 * No figure of time is asserted (no wall clock in tests), only that it was measured and adds up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { grantedPerSecond } from '../../bench/apply-part.ts';
import type { BenchResult } from '../../bench/figures.ts';
import { layout } from '../../bench/generate.ts';
import { DEFAULTS, parseBenchArgs, type BenchOptions } from '../../bench/options.ts';
import { changesOf } from '../../bench/plan-part.ts';
import { countRequests, endpointOf } from '../../bench/portal.ts';
import { roundTrips, spread } from '../../bench/process-run.ts';
import { checkTargets, renderResults, targetListRequests } from '../../bench/report.ts';
import { runBench } from '../../bench/run.ts';
import { leastListRequests as leastApigeeListRequests } from '../../bench/vendors/apigee/profile.ts';
import { packageRoot } from '../../src/commands/tool-info.ts';

const N = 30;
const CREATES = 40;
const LATENCY = 5;
const quiet = (): void => {};

const options: BenchOptions = {
  ...DEFAULTS,
  builds: [packageRoot],
  runs: 1,
  baselineRuns: 1,
  sizes: [N],
  baselineSizes: [N],
  latencyMs: LATENCY,
  applyLatencies: [1],
  creates: CREATES,
  // fixed-1 would need 40 × 1 ms of writes one after another: over this budget, so it is reported as skipped.
  fixedConcurrencies: [1, 10],
  fixedBudgetMs: 30,
  parts: ['start', 'plan', 'apply'],
  out: undefined,
  log: quiet,
};

let result: BenchResult;

test.before(async () => {
  result = await runBench(options);
});

test('start: --version and --help of the build, as processes', () => {
  assert.is(result.start.length, 1);
  const [start] = result.start;
  assert.ok(start!.version.median > 0 && start!.help.median > 0);
  assert.match(start!.build, /^this checkout/);
});

test('plan: ours reads each portal in list pages and never GETs a product; the baseline GETs all of them', () => {
  assert.is(result.plan.length, 2 * 2 * 2, 'vendors × cases × readers');
  for (const m of result.plan) {
    const what = `${m.provider} ${m.case} ${m.reader}`;
    assert.is(m.runs, 1, what);
    assert.is(m.requests.writes, 0, `${what}: a plan writes nothing`);
    assert.ok(m.roundTrips >= 1, what);
    assert.is(m.floorMs, result.start[0]!.version.median + m.roundTrips * LATENCY, `${what}: floor = start + round trips × latency`);
    assert.is(m.ratio, m.wall.median / m.floorMs, what);
    if (m.case === 'changes') assert.ok(m.changes > 0, `${what}: the changes plan has changes`);
    else assert.is(m.changes, 0, what);
    if (m.reader === 'baseline') {
      assert.is(m.requests.productGets, N, `${what}: one GET per product on the portal`);
    } else {
      assert.is(m.requests.productGets, 0, `${what}: no GET per product`);
      assert.is(m.requests.productLists, targetListRequests(m.provider, N), `${what}: ⌈N / page⌉ list requests`);
    }
  }
});

test('apply: ours creates everything with no failure; fixed-10 without backoff fails a create per 429; fixed-1 over its budget is skipped', () => {
  assert.is(result.apply.length, 2 * 3, 'vendors × writers');
  for (const m of result.apply) {
    const what = `${m.provider} ${m.writer}`;
    assert.is(m.creates, CREATES, what);
    if (m.writer === 'fixed-1') {
      assert.ok(m.skipped?.includes('latency-bound'), `${what}: ${m.skipped}`);
      assert.is(m.runs, 0, what);
      continue;
    }
    assert.is(m.runs, 1, what);
    assert.ok((m.perSecond?.median ?? 0) > 0, `${what}: writes were timed`);
    if (m.writer === 'fixed-10') {
      assert.ok((m.rateLimited ?? 0) > 0, `${what}: the bucket refused some`);
      assert.is(m.failed, m.rateLimited, `${what}: every 429 is a failed create without backoff`);
    } else {
      assert.is(m.failed, 0, `${what}: no failure`);
    }
  }
});

test('RESULTS.md: machine, run counts, targets, every part, floor and ratio', () => {
  const text = renderResults(result);
  for (const line of ['## Targets (issue 21', '## Start', '### Plan, API7', '### Plan, Apigee', '### Apply, API7', '### Apply, Apigee', 'median (min–max) of 1 runs', 'load average', '| ÷ floor |', 'not run: at least']) {
    assert.ok(text.includes(line), line);
  }
  const lists = checkTargets(result).filter((c) => c.target.includes('list pages'));
  assert.is(lists.length, 2);
  assert.ok(lists.every((c) => c.met), JSON.stringify(lists));
});

test('round trips: answers close together are one, an answer half a latency later starts the next', () => {
  assert.is(roundTrips([], 50), 0);
  assert.is(roundTrips([100, 101, 103, 151, 152, 210], 50), 3);
  assert.is(roundTrips([100, 110, 120], 50), 1);
});

test('spread, the changes of a text plan, writes per second', () => {
  assert.equal(spread([5, 1, 3]), { median: 3, min: 1, max: 5 });
  assert.equal(spread([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 }, 'an even count: the mean of the middle two');
  assert.is(changesOf('x\nPlan: 3 to create, 2 to update, 1 to publish, 0 to unpublish, 4 to delete.\n'), 10);
  assert.is(changesOf('No changes.'), 0);
  // The lock (a write, then the plan's read), three creates with a 429 and a look-up among them, the lock's release.
  const requests = [
    { method: 'POST', status: 201 },
    { method: 'GET', status: 200 },
    { method: 'POST', status: 201 },
    { method: 'POST', status: 429 },
    { method: 'POST', status: 201 },
    { method: 'POST', status: 201 },
    { method: 'GET', status: 200 },
    { method: 'DELETE', status: 200 },
  ];
  // Creates answered at 1,000, 1,500 and 2,000 ms and the look-up at 1,700 ms: three intervals in one second.
  assert.is(grantedPerSecond(requests, [0, 100, 1000, 1200, 1500, 2000, 1700, 2100]), 3);
  // Without a lock (no read after the first write): every write counts.
  assert.is(grantedPerSecond(requests.slice(2, 6), [1000, 1200, 1500, 2000]), 2);
});

test('page arithmetic of the targets', () => {
  assert.is(targetListRequests('apigee', 10_000), 10);
  assert.is(targetListRequests('api7', 10_000), 20);
  // Inclusive startKey: 1,000 then 999 new per page; a full last page needs one more request.
  assert.is(leastApigeeListRequests(999), 1);
  assert.is(leastApigeeListRequests(1000), 2);
  assert.is(leastApigeeListRequests(10_000), 11);
});

test('N counts products on the portal: unmanaged ones and Apigee plans included', () => {
  for (const provider of ['api7', 'apigee'] as const) {
    const l = layout(provider, 10_000, 0.1);
    assert.is(l.managedObjects + l.unmanaged, 10_000, provider);
  }
  assert.ok(layout('apigee', 10_000, 0.1).gitProducts < 9800, 'some Apigee products have two plans');
});

test('requests are counted by endpoint, ids and names folded', () => {
  assert.is(endpointOf('GET', '/api/api_products/prod-a'), 'GET /api/api_products/{id}');
  assert.is(endpointOf('PUT', '/v1/organizations/acme/apiproducts/a-free'), 'PUT /v1/organizations/{org}/apiproducts/{name}');
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

test('options: defaults, --runs, --n, --large, --compare, --only, errors', () => {
  const defaults = parseBenchArgs([], '/root', quiet);
  if (defaults === 'help') throw new Error('parsed as --help');
  assert.is(defaults.runs, 5);
  assert.equal(defaults.builds, ['/root']);
  assert.equal(defaults.applyLatencies, [50, 1]);
  const parsed = parseBenchArgs(['--runs', '2', '--n', '1000', '--large', '--compare', '../main', '--only', 'plan', '--apply-latency', '1'], '/root', quiet);
  if (parsed === 'help') throw new Error('parsed as --help');
  assert.equal([parsed.runs, parsed.sizes, parsed.large, parsed.builds, parsed.parts, parsed.applyLatencies], [2, [1000], true, ['/root', '../main'], ['plan'], [1]]);
  assert.is(parseBenchArgs(['--help'], '/root', quiet), 'help');
  assert.throws(() => parseBenchArgs(['--providers', 'kong'], '/root', quiet), /--providers/);
  assert.throws(() => parseBenchArgs(['--runs', '0'], '/root', quiet), /--runs/);
});

test.run();
