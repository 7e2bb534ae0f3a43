import type { Diagnostic } from '../model/diagnostic.ts';
import { OVERRIDABLE_FIELDS, type EffectiveProduct } from '../model/product.ts';
import type { ProviderKind } from '../providers/provider.ts';

/** Keys every binding block may carry, whatever the vendor. */
const NEUTRAL_BINDING_KEYS: readonly string[] = [...OVERRIDABLE_FIELDS, 'adopt', 'adoptFrom'];

/**
 * The keys of one binding block that its target's vendor does not read. The schema accepts any
 * vendor's key in any block (it cannot know a target's provider), so this is where a `proxies:`
 * under an API7 target is caught, named as the other vendor's, from the vendors' own schema keys:
 * no vendor knows another's.
 */
export function checkBindingKeys(product: EffectiveProduct, kind: ProviderKind, others: readonly ProviderKind[]): Diagnostic[] {
  const written = (product.source.spec.targets[product.target] as Record<string, unknown> | undefined) ?? {};
  const own = [...NEUTRAL_BINDING_KEYS, ...Object.keys(kind.schema.binding)];
  const diagnostics: Diagnostic[] = [];
  for (const key of Object.keys(written)) {
    if (own.includes(key)) continue;
    const path = ['targets', product.target, key];
    const at = { source: product.source.locate(path), target: product.target, product: product.name };
    const owner = others.find((other) => other !== kind && key in other.schema.binding);
    diagnostics.push(
      owner
        ? {
            severity: 'error',
            rule: `${kind.kind}/${owner.kind}-only`,
            message: `"${key}" is ${article(owner.name)} ${owner.name} setting; ${kind.name} products do not have it`,
            fix: `remove "${key}" from targets.${product.target}`,
            ...at,
          }
        : {
            severity: 'error',
            rule: `${kind.kind}/unknown-key`,
            message: `"${key}" is not ${article(kind.name)} ${kind.name} binding key`,
            fix: `use only ${own.join(', ')}`,
            ...at,
          },
    );
  }
  return diagnostics;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
