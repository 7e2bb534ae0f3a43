import type { ProductSet } from '../model/product.ts';
import type { TargetConfig } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
import type { DesiredObject } from '../model/objects.ts';
import { resolveEffective } from '../model/effective-product.ts';
import { runSteps, runStepsPausing, type Steps } from '../model/steps.ts';

/** Every object the products in Git become on one target, in product order. */
export function desiredObjects(products: ProductSet, target: TargetConfig, kind: ProviderKind): DesiredObject[] {
  return runSteps(desiredSteps(products, target, kind));
}

/**
 * desiredObjects, giving the event loop a turn whenever `pause` says so (model/steps.ts): a plan
 * builds them while the last list pages may still be on their way.
 */
export function desiredObjectsPausing(products: ProductSet, target: TargetConfig, kind: ProviderKind, pause: () => Promise<void> | undefined): Promise<DesiredObject[]> {
  return runStepsPausing(desiredSteps(products, target, kind), pause);
}

function* desiredSteps(products: ProductSet, target: TargetConfig, kind: ProviderKind): Steps<DesiredObject[]> {
  const objects: DesiredObject[] = [];
  for (const source of products.products) {
    if (!Object.hasOwn(source.spec.targets, target.name)) continue;
    objects.push(...kind.toDesired(resolveEffective(source, target.name), target));
    yield;
  }
  return objects;
}
