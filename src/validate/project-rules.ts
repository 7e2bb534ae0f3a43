import type { Diagnostic } from '../model/diagnostic.ts';
import type { EffectiveProduct, ProductSet, ProductSource } from '../model/product.ts';
import type { RefusedProduct } from './product-documents.ts';
import type { Config } from '../model/target.ts';
import type { ProviderKind } from '../providers/provider.ts';
import { resolveEffective } from '../model/effective-product.ts';
import { locateKeyOf } from '../model/positions.ts';
import { checkBindingKeys } from './binding-keys.ts';
import { checkOpenapiPaths, refusedKey } from './openapi-path.ts';
import { checkDuplicateNames, checkUnknownTargets } from './rules.ts';
import { runSteps, type Steps } from '../model/steps.ts';

/**
 * Everything that needs more than one file: the cross-file rules, then each target's provider
 * (`validateTarget`), then every product on every target it binds (its binding keys against the
 * vendors' schema keys, then `validateBinding`, on the effective product), then each target's
 * products together (`validateProject`). Expects schema-valid input, which is what validateProject passes; secret
 * scanning is not here because it runs on raw documents at load time (also on invalid ones).
 * Provider diagnostics without a position are given the binding's (or the target's) position.
 * A binding whose `openapi:` points outside the project is reported here and never handed to its
 * provider, which would read the file.
 */
export function checkProjectRules(config: Config, products: ProductSet, kinds: (kind: string) => ProviderKind | undefined): Diagnostic[] {
  return runSteps(projectRuleSteps(config, products, kinds));
}

/** checkProjectRules in steps (steps.ts): it yields after each product and each target's whole-set rules. */
export function* projectRuleSteps(config: Config, products: ProductSet, kinds: (kind: string) => ProviderKind | undefined): Steps<Diagnostic[]> {
  const openapi = checkOpenapiPaths(products.products);
  const diagnostics: Diagnostic[] = [
    ...checkDuplicateNames(products.products),
    ...checkUnknownTargets(products.products, config),
    ...openapi.diagnostics,
  ];
  const kindOf = new Map<string, ProviderKind>();
  for (const target of config.targets) {
    const kind = kinds(target.provider);
    if (!kind) {
      diagnostics.push({
        severity: 'error',
        rule: 'config/unknown-provider',
        message: `target "${target.name}" uses provider "${target.provider}", which this version of apiproducts does not support`,
        fix: 'use a supported provider, or remove the target until its provider is available',
        source: target.source,
        target: target.name,
      });
      continue;
    }
    kindOf.set(target.name, kind);
    diagnostics.push(...kind.validateTarget(target).map((d) => withDefaults(d, { source: target.source, target: target.name })));
  }
  const bound = new Map<string, EffectiveProduct[]>();
  for (const product of products.products) {
    for (const targetName of Object.keys(product.spec.targets)) {
      if (openapi.refused.has(refusedKey(product, targetName))) continue;
      const checked = checkBinding(product, targetName, config, kindOf);
      if (!checked) continue; // reported above: unknown target or unsupported provider
      if (checked.diagnostics.length === 0) {
        // Appended in place: a copy per product made this quadratic in the products of a target.
        const list = bound.get(targetName);
        if (list) list.push(checked.effective);
        else bound.set(targetName, [checked.effective]);
      }
      diagnostics.push(...checked.diagnostics);
    }
    yield;
  }
  for (const target of config.targets) {
    const found = kindOf.get(target.name)?.validateProject?.(bound.get(target.name) ?? [], target) ?? [];
    diagnostics.push(...found.map((d) => withDefaults(d, { source: target.source, target: target.name })));
    yield;
  }
  return diagnostics;
}

/**
 * The provider rules on documents the schema refused, for the bindings it found sound
 * (`RefusedProduct.soundTargets`): a schema error in one binding hides no provider error in
 * another. The whole-target rules (`validateProject`) still wait for a valid document.
 */
export function checkSoundBindings(config: Config, refused: readonly RefusedProduct[], kinds: (kind: string) => ProviderKind | undefined): Diagnostic[] {
  const kindOf = new Map<string, ProviderKind>();
  for (const target of config.targets) {
    const kind = kinds(target.provider);
    if (kind) kindOf.set(target.name, kind);
  }
  const sound = refused.filter((product) => product.soundTargets.length > 0);
  const openapi = checkOpenapiPaths(sound.map((product) => product.source));
  const diagnostics = [...openapi.diagnostics];
  for (const { source, soundTargets } of sound) {
    for (const targetName of soundTargets) {
      if (openapi.refused.has(refusedKey(source, targetName))) continue;
      diagnostics.push(...(checkBinding(source, targetName, config, kindOf)?.diagnostics ?? []));
    }
  }
  return diagnostics;
}

/** One binding: its keys against the vendors' schema keys, then its provider's rules; undefined when no provider checks it. */
function checkBinding(product: ProductSource, targetName: string, config: Config, kindOf: ReadonlyMap<string, ProviderKind>): { effective: EffectiveProduct; diagnostics: Diagnostic[] } | undefined {
  const target = config.targets.find((t) => t.name === targetName);
  const kind = kindOf.get(targetName);
  if (!target || !kind) return undefined;
  const effective = resolveEffective(product, targetName);
  const found = [...checkBindingKeys(effective, kind, [...kindOf.values()]), ...kind.validateBinding(effective, target)];
  if (found.length === 0) return { effective, diagnostics: [] }; // positions cost a parse: only for products with problems
  const at = { source: locateKeyOf(product, ['targets', targetName]), target: targetName, product: product.spec.name };
  return { effective, diagnostics: found.map((d) => withDefaults(d, at)) };
}

function withDefaults(diagnostic: Diagnostic, defaults: Pick<Diagnostic, 'source' | 'target' | 'product'>): Diagnostic {
  const filled: Diagnostic = { ...diagnostic };
  if (!filled.source && defaults.source) filled.source = defaults.source;
  if (!filled.target && defaults.target) filled.target = defaults.target;
  if (!filled.product && defaults.product) filled.product = defaults.product;
  return filled;
}
