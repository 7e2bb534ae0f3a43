/**
 * The whole-process bench at a smoke size: the built CLI (npm test builds dist/ first) runs as a
 * process for every figure, against the bench's emulator, for one vendor; the plan reads without
 * writing and has a floor from its round trips; the apply creates every product with no failure.
 * Figures are not asserted (no wall clock in tests), only that they were measured and add up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roundTrips, runProcessBench, spread } from '../../bench/processes.ts';
import { packageRoot } from '../../src/commands/tool-info.ts';

test('round trips: answers close together are one, an answer half a latency later starts the next', () => {
  assert.is(roundTrips([], 50), 0);
  assert.is(roundTrips([100, 101, 103, 151, 152, 210], 50), 3);
  assert.is(roundTrips([100, 110, 120], 50), 1);
});

test('spread: median, min and max', () => {
  assert.equal(spread([5, 1, 3]), { median: 3, min: 1, max: 5 });
});

test('the CLI as a process: start, a no-change plan with its floor, an apply under the bucket', async () => {
  const result = await runProcessBench('api7', { builds: [packageRoot], providers: ['api7'], n: 20, runs: 1, latencyMs: 5, creates: 10, ratePerSecond: 100, burst: 10, log: () => undefined });
  const [figures] = result.builds;
  assert.ok(figures);
  assert.ok(figures.version.median > 0 && figures.help.median > 0);
  assert.ok(figures.plan.requests > 0, 'the plan read the portal');
  assert.ok(figures.plan.roundTrips >= 1);
  assert.is(figures.plan.floorMs, figures.version.median + figures.plan.roundTrips * 5);
  assert.is(figures.apply.failed, false);
  assert.ok(figures.apply.creates >= 10);
});

test.run();
