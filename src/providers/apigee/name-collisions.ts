import type { Diagnostic, SourcePosition } from '../../model/diagnostic.ts';
import type { EffectiveProduct, PlanTier } from '../../model/product.ts';
import { objectKey } from './mapping.ts';

/**
 * `apigee/name-collision`: every Apigee product name of one target, across products. A plan is its
 * own Apigee product named `<name>-<plan>` (mapping.ts), so product `payments` with plan `free`
 * and product `payments-free` are one object to Apigee: the plan would hold two changes of one id
 * and every apply would flip it between the two. Each place is reported, naming the other.
 * (Two plans of one product are `apigee/duplicate-plan`, in validate-binding.ts.)
 */
export function checkApigeeNameCollisions(products: readonly EffectiveProduct[]): Diagnostic[] {
  // Where each name is written is looked up only for the names that collide: locating every
  // product's plans re-reads each file's positions, a quarter of a 10,000-product validation.
  const byKey = new Map<string, { product: EffectiveProduct; locate: () => SourcePosition }[]>();
  for (const product of products) {
    const plans: (PlanTier | undefined)[] = product.plans.length > 0 ? product.plans : [undefined];
    const seen = new Set<string>();
    plans.forEach((plan, index) => {
      const key = objectKey(product.name, plan);
      if (seen.has(key)) return;
      seen.add(key);
      const locate = () => product.source.locate(plan ? [...plansPath(product), index, 'name'] : ['name']);
      const places = byKey.get(key);
      if (places) places.push({ product, locate });
      else byKey.set(key, [{ product, locate }]);
    });
  }
  const diagnostics: Diagnostic[] = [];
  for (const [key, places] of byKey) {
    const owners = new Set(places.map((p) => p.product.name));
    if (owners.size < 2) continue;
    const located = places.map((place) => ({ product: place.product, source: place.locate() }));
    for (const place of located) {
      const others = located.filter((p) => p.product.name !== place.product.name).map((p) => `${p.source.file}:${p.source.line}:${p.source.column}`);
      diagnostics.push({
        severity: 'error',
        rule: 'apigee/name-collision',
        message: `this is the Apigee product "${key}", and so is ${others.join(', ')}: a plan is the Apigee product <name>-<plan>`,
        fix: 'rename the product or the plan so that every <name>-<plan> on the target is different',
        source: place.source,
        target: place.product.target,
        product: place.product.name,
      });
    }
  }
  return diagnostics;
}

/** Where the plans are written: the binding's own list when it overrides them. */
function plansPath(product: EffectiveProduct): (string | number)[] {
  const binding = product.source.spec.targets[product.target] as Record<string, unknown> | undefined;
  return binding && 'plans' in binding ? ['targets', product.target, 'plans'] : ['plans'];
}
