/**
 * The product list mapped page by page as it arrives (providers/apigee/live-pages.ts), over real
 * HTTP against both emulators: the live objects are those of mapping the whole list at the end,
 * with the same requests, and a page that fails fails the observation cleanly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProviderError } from '../../src/providers/transport/provider-error.ts';
import { seedApigeeState, storeProduct } from '../../src/sandbox/apigee/state.ts';
import { FLAVOURS, ORG } from './apigee-fixtures.ts';
import { connect, PRODUCTS_PATH, withEmulator } from './apigee-harness.ts';

/** 2,500 products (3 pages of 1,000), owned and unowned alike. */
function bigOrg() {
  const state = seedApigeeState(ORG);
  const owned = state.products['orders']!;
  const unowned = state.products['legacy-billing-product']!;
  for (let i = 0; i < 2498; i++) storeProduct(state, { ...(i % 2 ? owned : unowned), name: `bulk-${String(i).padStart(4, '0')}` });
  return state;
}

for (const flavour of FLAVOURS) {
  test(`${flavour}: read ahead and mapped page by page, 3 pages give the live objects of one mapping at the end, in 3 list calls`, async () => {
    await withEmulator(flavour, async (emulator) => {
      const plain = await connect(emulator, flavour).observe();
      emulator.requests.length = 0;
      const ahead = connect(emulator, flavour);
      ahead.readAhead?.();
      const live = await ahead.observe();
      assert.is(live.length, 2500);
      assert.equal(live, plain);
      assert.equal(emulator.requests.map((r) => `${r.method} ${r.path}`), Array(3).fill(`GET ${PRODUCTS_PATH}`));
      // The next observe lists again: what was read ahead is taken once.
      assert.equal(await ahead.observe(), plain);
      assert.is(emulator.requests.length, 6);
    }, { state: bigOrg() });
  });

  test(`${flavour}: a list that fails on page 3 fails the observation with the server's answer, read ahead or not`, async () => {
    await withEmulator(flavour, async (emulator) => {
      emulator.faults.configure({ rules: [{ method: 'GET', path: '/apiproducts', nth: 3, times: Infinity, fault: 'fail', status: 400 }] });
      const ahead = connect(emulator, flavour);
      ahead.readAhead?.();
      for (const provider of [ahead, connect(emulator, flavour)]) {
        const failed = await provider.observe().then(() => undefined, (error: unknown) => error);
        assert.instance(failed, ProviderError);
        assert.match((failed as ProviderError).message, `HTTP 400 from GET ${PRODUCTS_PATH}`);
      }
    }, { state: bigOrg() });
  });
}

test.run();
