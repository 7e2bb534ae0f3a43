/**
 * The API7 seed stores its `apiproducts-applied` digests as literal labels (the emulator shares no
 * code with the provider), so nothing but this test ties them to what the provider computes. A
 * mapping change that alters the digest would otherwise turn the seed's drifted product into a
 * "Git change not yet applied" silently; here it fails with the digest to paste into state.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDirectory, toLiveObject } from '../../src/providers/api7/mapping.ts';
import { APPLIED_LABEL, isOwned, ownershipLabels } from '../../src/providers/api7/ownership.ts';
import type { Api7Product } from '../../src/providers/api7/wire.ts';
import { seedApi7State, WRITTEN_BEFORE_DRIFT, type Api7State } from '../../src/sandbox/api7/state.ts';

/** The digest the provider writes for the product as it was before the dashboard edit. */
function providerDigest(state: Api7State, product: Api7Product): string {
  const { [APPLIED_LABEL]: _stored, ...labels } = product.labels ?? {};
  const asWritten: Api7Product = { ...product, labels, ...WRITTEN_BEFORE_DRIFT[product.id] };
  const directory = createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders);
  const written = toLiveObject(asWritten, directory);
  const name = labels['apiproducts-name']!;
  return ownershipLabels(name, { status: written.status, state: written.state })[APPLIED_LABEL]!;
}

for (const portal of ['default', 'eu']) {
  const state = seedApi7State(portal);
  const products = Object.values(state.products).flat();

  test(`portal ${portal}: every seeded apiproducts-applied digest is the provider's`, () => {
    const stale = products
      .filter((product) => product.labels?.[APPLIED_LABEL] !== undefined)
      .map((product) => ({ id: product.id, seeded: product.labels![APPLIED_LABEL], provider: providerDigest(state, product) }))
      .filter(({ seeded, provider }) => seeded !== provider)
      .map(({ id, seeded, provider }) => `${id}: seeded ${seeded}, the provider now writes ${provider}: paste it into src/sandbox/api7/state.ts`);
    assert.equal(stale, []);
  });

  test(`portal ${portal}: the seed's meaning: orders owned and drifted, Legacy Billing unmanaged`, () => {
    const owned = products.filter((product) => isOwned(product)).map((product) => product.id);
    assert.equal(owned, ['prod-orders']);
    assert.ok(products.some((product) => product.name === 'Legacy Billing' && !isOwned(product)));
    // The seeded product differs from the one apiproducts wrote: that difference is its drift.
    const orders = products.find((product) => product.id === 'prod-orders')!;
    assert.equal(Object.keys(WRITTEN_BEFORE_DRIFT), ['prod-orders']);
    const current = toLiveObject(orders, createDirectory(state.gatewayGroups, new Map(Object.entries(state.services)), state.dcrProviders));
    const asIs = ownershipLabels('orders', { status: current.status, state: current.state })[APPLIED_LABEL];
    assert.is.not(asIs, orders.labels?.[APPLIED_LABEL]);
  });
}

test.run();
