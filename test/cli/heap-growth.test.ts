/**
 * The CLI bounds V8's heap growth only once a full collection leaves a large heap (src/heap-growth.ts):
 * the decision, and the observer that feeds it every full collection of the process.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BOUNDED_GROWTH_FLAG, BOUNDED_GROWTH_FROM_BYTES, boundHeapGrowthOfLargeRuns, growthBound } from '../../src/heap-growth.ts';

test('below the bound the growth stays V8’s; past it the flag is set once', () => {
  const set: string[] = [];
  const afterFullCollection = growthBound((flags) => set.push(flags));
  assert.is(afterFullCollection(50 * 1024 * 1024), false);
  assert.is(afterFullCollection(BOUNDED_GROWTH_FROM_BYTES), false);
  assert.equal(set, []);
  assert.is(afterFullCollection(BOUNDED_GROWTH_FROM_BYTES + 1), true);
  assert.is(afterFullCollection(600 * 1024 * 1024), true);
  assert.equal(set, [BOUNDED_GROWTH_FLAG]);
});

test('a full collection of the process reaches the decision (bound 0: the first one sets the flag)', async () => {
  const set: string[] = [];
  boundHeapGrowthOfLargeRuns((flags) => set.push(flags), 0);
  // A full collection on demand: --expose-gc set at run time gives a fresh context its gc().
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  // Observers are told after the collection, on a later turn of the event loop.
  for (let turn = 0; turn < 100 && set.length === 0; turn++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(set, [BOUNDED_GROWTH_FLAG]);
});

test.run();
