import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { EffectiveProduct } from '../../src/model/product.ts';
import type { TargetConfig } from '../../src/model/target.ts';
import { API7_SCHEMA } from '../../src/providers/api7/schema.ts';
import type { ProviderKind } from '../../src/providers/provider.ts';
import type { ImportedProduct } from '../../src/model/objects.ts';

/**
 * A test double of the ProviderKind contract (the real API7 kind lives in src/providers/api7/):
 * it accepts public and logged-in only, records what it was asked, and reports without a
 * position so that validateProject's defaulting is exercised.
 */
export function createFakeKind(kind = 'api7') {
  const calls = { targets: [] as TargetConfig[], bindings: [] as { product: EffectiveProduct; target: TargetConfig }[] };
  const fake: ProviderKind = {
    kind,
    name: 'Fake',
    title: 'Fake',
    // API7's own keys: the fake stands in for an API7 target in loader tests.
    schema: API7_SCHEMA,
    validateTarget(target) {
      calls.targets.push(target);
      return [];
    },
    validateBinding(product, target): Diagnostic[] {
      calls.bindings.push({ product, target });
      if (product.visibility === 'public' || product.visibility === 'logged-in') return [];
      return [{ severity: 'error', rule: 'fake/visibility', message: `visibility ${product.visibility} is not allowed on ${target.name}` }];
    },
    toDesired: () => [],
    // The same document whatever the object: loader tests never import.
    importObjects: (): ImportedProduct[] => [{ spec: { name: 'imported', targets: { fake: {} } }, files: {}, warnings: [], keys: ['imported'] }],
    identify: (target) => ({ url: target.url ?? `sandbox://${target.name}` }),
    lockedWhilePublished: [],
    unpublishConsequence: '',
    connect: () => {
      throw new Error('the fake provider does not connect');
    },
  };
  return { fake, calls };
}

/** The registry as loadProject sees it: only `api7`, faked. */
export const fakeKinds = (kind: string): ProviderKind | undefined => (kind === 'api7' ? createFakeKind().fake : undefined);
