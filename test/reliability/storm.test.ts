/**
 * The 429 storm (DESIGN §10: "survives 429 storms without failing a change"): many creates at a
 * high configured concurrency against a token bucket far below what that concurrency would send.
 * The adaptive gate halves the writes in flight at the first 429s and the run settles under the
 * limit: every change applies, a small share of requests is refused, and the report says what the
 * storm cost (retries, waits, the lowest concurrency reached).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TargetTraffic } from '../../src/model/plan.ts';
import { renderTrafficLine } from '../../src/render/report-text.ts';
import { applyHere, closeAll, expectedNames, ownedOn, planHere, startApi7, startApigee, writeLoadProject, type Emulator } from './harness.ts';

const PRODUCTS = 120;
const RATE = { perSecond: 50, burst: 10 };
const running: Emulator[] = [];
test.after(() => closeAll(running));

export interface StormFigures {
  provider: string;
  changes: number;
  applied: number;
  failed: number;
  traffic: TargetTraffic;
  served: number;
  refused: number;
}

interface StormShape {
  products: number;
  rate: { perSecond: number; burst: number };
  latencyMs: { min: number; max: number };
  concurrency: number;
}

const SLOW_LINK: StormShape = { products: PRODUCTS, rate: RATE, latencyMs: { min: 30, max: 60 }, concurrency: 32 };

async function storm(provider: 'api7' | 'apigee', shape: StormShape = SLOW_LINK): Promise<StormFigures> {
  const faults = { rateLimit: shape.rate, latencyMs: shape.latencyMs, seed: 42 };
  const emulator: Emulator = provider === 'api7' ? await startApi7(faults) : await startApigee('x', faults);
  running.push(emulator);
  const project = writeLoadProject([{ name: `${provider}-prod`, provider, url: emulator.url, flavour: 'x' }], shape.products, { concurrency: shape.concurrency });
  const apply = await applyHere(project.cwd);
  const results = apply.report!.results;
  emulator.faults.configure({});
  const again = await planHere(project.cwd);
  assert.is(again.plan?.changes.length, 0, 'nothing left to do');
  const owned = ownedOn(emulator);
  assert.equal(expectedNames(shape.products).filter((name) => owned.get(name) !== 1), [], 'each product exactly once');
  return {
    provider,
    changes: results.length,
    applied: results.filter((r) => r.outcome === 'applied').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    traffic: apply.report!.traffic![0]!,
    served: emulator.counters.requests - emulator.counters.rateLimited,
    refused: emulator.counters.rateLimited,
  };
}

test(`429 storm: ${PRODUCTS} creates per provider at concurrency 32 against ${RATE.perSecond} requests/s: all applied, none failed`, async () => {
  const figures = await Promise.all([storm('api7'), storm('apigee')]);
  for (const f of figures) {
    assert.is(f.changes, PRODUCTS, f.provider);
    assert.is(f.applied, PRODUCTS, f.provider);
    assert.is(f.failed, 0, f.provider);
    // The storm happened, the gate reacted, and the run then stayed mostly under the limit.
    assert.ok(f.traffic.rateLimited > 0, `${f.provider}: no 429 at all: not a storm`);
    assert.ok(f.traffic.concurrency.lowest < f.traffic.concurrency.configured, `${f.provider}: concurrency never lowered`);
    // Most refusals come from the first RTTs (the bucket's burst hides the limit from slow start).
    assert.ok(f.traffic.rateLimited < f.traffic.requests * 0.3, `${f.provider}: ${f.traffic.rateLimited} of ${f.traffic.requests} requests refused: hammering`);
    // Bounded by the work, not by retries piling up: fewer retries than changes (counted, not timed).
    assert.ok(f.traffic.retries < PRODUCTS, `${f.provider}: ${f.traffic.retries} retries for ${PRODUCTS} creates`);
    assert.match(renderTrafficLine(f.traffic)!, new RegExp(`^${f.provider}-prod: \\d+ requests, \\d+ retries \\(\\d+ answered 429\\), waited [\\d.]+ s in total across requests; writes in flight lowered from 32 to \\d+ after 429s`));
  }
  if (process.env.RELIABILITY_FIGURES) {
    for (const f of figures) {
      console.log(
        `${f.provider}: ${f.applied}/${f.changes} applied, ${f.failed} failed; ` +
          `apply sent ${f.traffic.requests} requests, ${f.traffic.rateLimited} answered 429, ${f.traffic.retries} retries, ` +
          `waited ${(f.traffic.waitMs / 1000).toFixed(1)} s in total; concurrency 32 → lowest ${f.traffic.concurrency.lowest}; ` +
          `emulator served ${f.served}, refused ${f.refused} over the whole run`,
      );
    }
  }
});

test('a fast link under a rate limit: the gate paces the starts instead of sleeping through waves of 429s', async () => {
  // At 1 ms per answer even one request at a time overruns 100/s; concurrency alone ran at 11% of the limit.
  const shape: StormShape = { products: 200, rate: { perSecond: 100, burst: 10 }, latencyMs: { min: 0, max: 1 }, concurrency: 8 };
  for (const f of await Promise.all([storm('api7', shape), storm('apigee', shape)])) {
    assert.is(f.applied, shape.products, f.provider);
    // Counted, not timed: few refusals, and once refused the gate paces (a loaded machine may be refused never).
    assert.ok(f.traffic.rateLimited < f.traffic.requests * 0.1, `${f.provider}: ${f.traffic.rateLimited} of ${f.traffic.requests} requests refused`);
    if (f.traffic.rateLimited > 0) {
      assert.ok(f.traffic.pacedPerSecond !== undefined, `${f.provider}: refused ${f.traffic.rateLimited} times and never paced`);
      assert.match(renderTrafficLine(f.traffic)!, /; requests paced to [\d.]+\/s at the end\.$/);
    }
  }
});

test.run();
