/**
 * Provider.expect over HTTP against the Apigee emulators: told the names the plan looks for, the
 * product list asks for its later pages in parallel (product-pager.ts), and observe() still gives
 * every product, in the list's order, each once.
 */
import { test } from 'uvu';
import { writeProject } from '../helpers/project.ts';
import { runCliInProcess as runCli } from '../helpers/cli-in-process.ts';
import { startApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import * as assert from 'uvu/assert';
import { seedApigeeState, storeProduct, type ApigeeState } from '../../src/sandbox/apigee/state.ts';
import type { ApigeeEmulator } from '../../src/sandbox/apigee/server.ts';
import { FLAVOURS, ORG, TOKEN } from './apigee-fixtures.ts';
import { connect, PRODUCTS_PATH, withEmulator } from './apigee-harness.ts';

/** The seeded org plus `count` bulk products: `count + 2` products. */
function bulkState(count: number): ApigeeState {
  const state = seedApigeeState(ORG);
  const template = state.products['legacy-billing-product']!;
  for (let i = 0; i < count; i++) storeProduct(state, { ...template, name: `bulk-${String(i).padStart(4, '0')}` });
  return state;
}

const startKeys = (emulator: ApigeeEmulator): (string | null)[] =>
  emulator.requests
    .filter((request) => request.method === 'GET' && request.path === PRODUCTS_PATH)
    .map((request) => new URLSearchParams(request.query ?? '').get('startKey'));

for (const flavour of FLAVOURS) {
  test(`${flavour}: told every name, 5,002 products are 6 list calls: the chain's first two pages and 4 guessed pages 899 names apart, asked together`, async () => {
    const state = bulkState(5000);
    const names = Object.keys(state.products).sort();
    await withEmulator(flavour, async (emulator) => {
      const provider = connect(emulator, flavour);
      provider.readAhead?.();
      provider.expect?.(names);
      const live = await provider.observe();
      assert.equal(live.map((object) => object.key), names);
      // Guesses from the 1,000th name on: 0.9 × 999 names apart (every name is expected).
      const guessed = [1898, 2797, 3696, 4595].map((index) => names[index]!);
      assert.equal(startKeys(emulator).sort(), [names[999]!, ...guessed, null].sort());
    }, { state });
  });

  test(`${flavour}: names the org does not hold (new products; on Edge a 404 to their start keys) leave the list whole`, async () => {
    const state = bulkState(3500);
    const names = Object.keys(state.products).sort();
    const planned = [...names.filter((_, index) => index % 2 === 0), ...Array.from({ length: 3000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}-new`)];
    // The chain's second page waits until a guess at a new product's name has come, so that its
    // answer (Edge: a 404) is in the log before the list can end; the fallback only ends a failing run.
    let release = (): void => undefined;
    const newKeyAsked = new Promise<void>((resolve) => (release = resolve));
    const fallback = setTimeout(() => release(), 10_000);
    const emulator = await startApigeeEmulator({
      flavour,
      org: ORG,
      credentials: { token: TOKEN },
      state,
      beforeAnswer: async ({ path, query }) => {
        if (path !== PRODUCTS_PATH) return;
        const startKey = query.get('startKey');
        if (startKey?.endsWith('-new')) release();
        else if (startKey === names[999]) await newKeyAsked;
      },
    });
    try {
      const provider = connect(emulator, flavour);
      provider.readAhead?.();
      provider.expect?.(planned);
      const live = await provider.observe();
      assert.equal(live.map((object) => object.key), names);
      const lists = emulator.requests.filter((request) => request.path === PRODUCTS_PATH);
      assert.ok(lists.some((request) => (request.query ?? '').includes('-new')), 'a guess at a new product was asked');
      if (flavour === 'edge') assert.ok(lists.some((request) => request.status === 404), `a guess met a start key that is not a product: ${lists.map((request) => request.status).join(' ')}`);
    } finally {
      clearTimeout(fallback);
      await emulator.close();
    }
  });

  test(`${flavour}: without expect the list is paged one page after another, as before`, async () => {
    const state = bulkState(2498);
    await withEmulator(flavour, async (emulator) => {
      const live = await connect(emulator, flavour).observe();
      assert.is(live.length, 2500);
      assert.is(startKeys(emulator).length, 3);
    }, { state });
  });
}

test('plan tells the provider the Git products: pages at their names are asked for while the list is paged', async () => {
  const state = bulkState(2500);
  const gitNames = ['bulk-0100-git', 'bulk-1500-git', 'bulk-2200-git'];
  // The chain's second page is held until a guessed page is asked for: the plan has loaded its
  // products and told the provider while the list was still being paged, whatever the machine's
  // speed. Without the wiring no guess comes, and the fallback lets the plan finish and fail below.
  let release = (): void => undefined;
  const guessed = new Promise<void>((resolve) => (release = resolve));
  const fallback = setTimeout(() => release(), 10_000);
  let planning = false;
  const emulator = await startApigeeEmulator({
    flavour: 'edge',
    org: ORG,
    credentials: { token: TOKEN },
    state,
    beforeAnswer: async ({ method, path, query }) => {
      if (method !== 'GET' || path !== PRODUCTS_PATH) return;
      const startKey = query.get('startKey');
      if (startKey !== null && gitNames.includes(startKey)) release();
      else if (planning && startKey === 'bulk-0998') await guessed;
    },
  });
  try {
    const files: Record<string, string> = { 'apiproducts.yaml': `targets:\n  apigee-prod:\n    provider: apigee\n    flavour: edge\n    url: ${emulator.url}\n    org: ${ORG}\n    tokenEnv: APIGEE_TOKEN\n` };
    for (const name of gitNames) files[`products/${name}.yaml`] = `name: ${name}\ndisplayName: ${name}\ntargets:\n  apigee-prod:\n    proxies: [orders-v2]\n`;
    const cwd = writeProject(files);
    const cli = (...args: string[]) => runCli(args, { cwd, env: { APIGEE_TOKEN: TOKEN } });
    const applied = await cli('apply', '--auto-approve');
    assert.is(applied.code, 0, applied.stdout + applied.stderr);
    const before = emulator.requests.length;
    planning = true;
    const plan = await cli('plan', '--format', 'json');
    assert.is(plan.code, 0, plan.stdout + plan.stderr);
    assert.equal((JSON.parse(plan.stdout) as { changes: unknown[] }).changes, []);
    const keys = emulator.requests.slice(before).filter((request) => request.path === PRODUCTS_PATH).map((request) => new URLSearchParams(request.query ?? '').get('startKey'));
    // The first page holds bulk-0100-git; one guess per expected name past it.
    assert.equal(keys.sort(), ['bulk-0998', 'bulk-1500-git', 'bulk-2200-git', null].sort());
  } finally {
    clearTimeout(fallback);
    await emulator.close();
  }
});

test.run();
