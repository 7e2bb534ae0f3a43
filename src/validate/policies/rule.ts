import type { SourcePosition } from '../../model/diagnostic.ts';
import type { EffectiveProduct, ProductSource } from '../../model/product.ts';

/** The ids of the fixed catalogue (docs/policies.md); each is a key under `policies:`. */
export const POLICY_RULE_IDS = ['public-requires-auth', 'require-team', 'approval-in-production', 'name-pattern', 'forbid-unbounded'] as const;
export type PolicyRuleId = (typeof POLICY_RULE_IDS)[number];

/** A rule's options as the schema allows them, the pattern compiled (and proved safe) already. */
export interface PolicyOptions {
  targets?: readonly string[];
  label?: string;
  pattern?: { source: string; regex: RegExp };
}

/** One product breaking one rule: where to change it, on which targets, and how. */
export interface PolicyFinding {
  message: string;
  fix: string;
  /** The offending key (file:line:column). */
  source: SourcePosition;
  /** The targets it fails on; empty when the product fails wherever it is bound (its name). */
  targets: string[];
}

/**
 * One rule of the catalogue: a pure function of a schema-valid product, the targets of
 * apiproducts.yaml it binds (in file order) and the rule's options. No I/O, no vendor names:
 * what a rule reads is the neutral product model, effective per target.
 */
export interface PolicyRule {
  id: PolicyRuleId;
  check(product: ProductSource, bound: readonly string[], options: PolicyOptions, context: PolicyContext): PolicyFinding[];
}

/** What a rule may ask of a target's provider, without naming a vendor. */
export interface PolicyContext {
  /** Whether `auth:` is what protects this product on its target (ProviderKind.authProtects). */
  authProtects(product: EffectiveProduct): boolean;
}

/** `bound`, narrowed to `options.targets` when the rule lists some. */
export function inScope(bound: readonly string[], options: PolicyOptions): string[] {
  return options.targets ? bound.filter((target) => options.targets!.includes(target)) : [...bound];
}
