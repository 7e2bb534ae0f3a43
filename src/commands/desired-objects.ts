import type { ProductSet } from '../model/product.ts';
import type { TargetConfig } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
import type { DesiredObject } from '../model/objects.ts';
import { resolveEffective } from '../model/effective-product.ts';

/** Every object the products in Git become on one target, in product order. */
export function desiredObjects(products: ProductSet, target: TargetConfig, kind: ProviderKind): DesiredObject[] {
  return products.products
    .filter((source) => Object.hasOwn(source.spec.targets, target.name))
    .flatMap((source) => kind.toDesired(resolveEffective(source, target.name), target));
}
