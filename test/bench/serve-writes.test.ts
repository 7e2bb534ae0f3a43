/**
 * The `sandbox serve` write bench at a smoke size: the built CLI (npm test builds dist/ first)
 * serves each vendor's sandbox, every PUT succeeds, and once serve has stopped its state file
 * holds every write. The rate is not asserted (no wall clock in tests).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runServeWrites } from '../../bench/serve-writes.ts';
import { packageRoot } from '../../src/commands/tool-info.ts';

for (const provider of ['api7', 'apigee'] as const) {
  test(`${provider}: serve answers every PUT and saves them all by the time it stops`, async () => {
    const run = await runServeWrites({ build: packageRoot, provider, products: 50, writes: 40, concurrency: 4 });
    assert.is(run.failed, 0);
    assert.is(run.saved, 40);
    assert.ok(run.perSecond > 0);
  });
}

test.run();
